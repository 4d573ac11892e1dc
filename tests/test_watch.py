"""The nightly job end to end against real HTTP servers on 127.0.0.1 (pytest-httpserver)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from policydiff.cli import main
from policydiff.store import Store, verify
from policydiff.watch import (
    ChangeSummary,
    DocumentOutcome,
    FindingLine,
    RunSummary,
    decide_exit_code,
)

ATOM = "{http://www.w3.org/2005/Atom}"

BASE = [
    "We collect your name, email address and the posts you write when you use Acme Social. "
    "We use this information to provide, maintain and improve the service for you and other members.",
    "We share information with service providers who process it on our behalf, under contract, "
    "and only to help us run the service.",
    "We will never sell your personal data, and we will email you thirty days before any material "
    "change to this policy takes effect.",
]


def page(paragraphs: list[str], title: str = "Privacy Policy") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>"


CHANGED = [BASE[0], BASE[1].replace("only to help us run the service", "to help us run the service"), BASE[2]]
CHANGED[1] += (
    " Your posts may also be used to train artificial intelligence models by us or another provider."
)


def write_targets(tmp_path: Path, urls: dict[str, str]) -> Path:
    lines = ['[services.acme]\nname = "Acme Social"\n']
    for key, url in urls.items():
        lines.append(f'[services.acme.documents.{key}]\nname = "{key.title()}"\nurl = "{url}"\n')
    path = tmp_path / "targets.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def watch(tmp_path: Path, targets: Path, *extra: str) -> tuple[int, str, dict]:  # type: ignore[type-arg]
    args = [
        "watch",
        "--targets",
        str(targets),
        "--store",
        str(tmp_path / "store"),
        "--report",
        str(tmp_path / "report"),
        "--host-delay",
        "0",
        "--retries",
        "0",
        "--timeout",
        "5",
        "--no-progress",
        *extra,
    ]
    result = CliRunner().invoke(main, args)
    run_json = tmp_path / "report" / "run.json"
    data = json.loads(run_json.read_text()) if run_json.exists() else {}
    return result.exit_code, result.output, data


def serve(httpserver: HTTPServer, path: str, html: str) -> None:
    httpserver.expect_request(path).respond_with_data(html, content_type="text/html; charset=utf-8")


def test_changed_page_exit_1_with_redline_and_feed(tmp_path: Path, httpserver: HTTPServer) -> None:
    serve(httpserver, "/privacy", page(BASE))
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    code, out, run = watch(tmp_path, targets)
    assert code == 0, out
    assert run["counts"]["first"] == 1 and run["changes"] == []

    httpserver.clear()
    serve(httpserver, "/privacy", page(CHANGED))
    code, out, run = watch(tmp_path, targets)
    assert code == 1, out
    assert run["exit_code"] == 1 and run["counts"]["new"] == 1
    (change,) = run["changes"]
    assert change["documents"] == ["acme/privacy"] and change["material_changes"] >= 1
    redline = tmp_path / "report" / change["redline"]
    assert redline.is_file()
    assert "another provider" in redline.read_text(encoding="utf-8")
    index = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert change["redline"] in index and "Acme Social" in index

    feed = ET.parse(tmp_path / "report" / "feed.atom").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry_id = entries[0].findtext(f"{ATOM}id")
    version = Store(tmp_path / "store").latest("acme", "privacy")
    assert (
        version is not None and entry_id is not None and entry_id.endswith(f"acme/privacy/{version.sha256}")
    )
    assert entries[0].find(f"{ATOM}link").get("href") == change["redline"]  # type: ignore[union-attr]
    service_feed = ET.parse(tmp_path / "report" / "feeds" / "acme.atom").getroot()
    assert [e.findtext(f"{ATOM}id") for e in service_feed.findall(f"{ATOM}entry")] == [entry_id]

    # the same page again: nothing new, and the feed keeps the entry under the same id
    code, out, run = watch(tmp_path, targets)
    assert code == 0, out
    assert run["counts"]["unchanged"] == 1 and run["changes"] == []
    feed = ET.parse(tmp_path / "report" / "feed.atom").getroot()
    assert [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")] == [entry_id]
    assert verify(tmp_path / "store") == []


def test_unchanged_page_records_a_check(tmp_path: Path, httpserver: HTTPServer) -> None:
    serve(httpserver, "/privacy", page(BASE))
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    assert watch(tmp_path, targets)[0] == 0
    # only markup noise: not a version either
    httpserver.clear()
    serve(httpserver, "/privacy", page(BASE).replace("<main>", '<main class="v2">'))
    code, out, run = watch(tmp_path, targets)
    assert code == 0, out
    assert run["counts"] == {**run["counts"], "unchanged": 1, "new": 0}
    store = Store(tmp_path / "store")
    assert len(store.versions("acme", "privacy")) == 1
    checks = store.checks("acme", "privacy")
    assert len(checks) == 1 and not checks[0].same_bytes


def test_failing_target_tracked_until_it_recovers(tmp_path: Path, httpserver: HTTPServer) -> None:
    serve(httpserver, "/privacy", page(BASE))
    httpserver.expect_request("/faq").respond_with_data("oops", status=500)
    targets = write_targets(
        tmp_path, {"privacy": httpserver.url_for("/privacy"), "faq": httpserver.url_for("/faq")}
    )
    code, out, run = watch(tmp_path, targets)
    assert code == 4, out  # newly failing: the default --fail-on-fetch-error new
    (failure,) = run["failures"]
    assert failure["key"] == "acme/faq" and failure["http_status"] == 500 and failure["reason"]
    assert failure["state"] == "new" and [f["key"] for f in run["fetch_failures"]["new"]] == ["acme/faq"]
    first_failure = failure["failing_since"]
    httpserver.clear()
    serve(httpserver, "/privacy", page(CHANGED))
    httpserver.expect_request("/faq").respond_with_data("oops", status=500)
    code, out, run = watch(tmp_path, targets)
    assert code == 1, out  # the change counts; a failure already known does not (by default)
    assert run["counts"]["failed"] == 1 and run["counts"]["new"] == 1
    (ongoing,) = run["fetch_failures"]["ongoing"]
    assert ongoing["key"] == "acme/faq" and ongoing["failing_since"] == first_failure
    assert "failing since" in out
    index = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "Fetch failures (1)" in index and "/faq" in index and "failing since" in index
    assert Store(tmp_path / "store").versions("acme", "faq") == []
    code, out, run = watch(tmp_path, targets, "--fail-on-fetch-error", "ANY")
    assert code == 4, out  # nothing changed; any failing document counts
    code, out, run = watch(tmp_path, targets, "--fail-on-fetch-error", "never")
    assert code == 0, out
    httpserver.clear()
    serve(httpserver, "/privacy", page(CHANGED))
    serve(httpserver, "/faq", page(BASE, title="FAQ"))
    code, out, run = watch(tmp_path, targets)
    assert code == 0 and run["failures"] == [], out
    (recovered,) = run["fetch_failures"]["recovered"]
    assert recovered["key"] == "acme/faq" and recovered["failing_since"] == first_failure
    state = Store(tmp_path / "store").fetch_state("acme", "faq")
    assert state.failing_since is None and state.last_success is not None
    events = Store(tmp_path / "store").fetch_events("acme", "faq")
    assert [e.kind for e in events] == ["failing", "recovered"]
    store = Store(tmp_path / "store")
    assert not (store.folder("acme", "privacy") / "fetch-state.json").exists()  # healthy: no state kept
    last_good = store.checks("acme", "privacy")[-1].checked_at
    httpserver.clear()
    httpserver.expect_request("/privacy").respond_with_data("gone", status=410)
    serve(httpserver, "/faq", page(BASE, title="FAQ"))
    code, out, run = watch(tmp_path, targets)
    assert code == 4, out
    state = store.fetch_state("acme", "privacy")
    assert state.failing and state.last_success == last_good and state.reason == "http_error"


def test_all_targets_failing_exit_2(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("gone", status=404)
    httpserver.expect_request("/b").respond_with_data("", status=200, content_type="text/html")
    targets = write_targets(tmp_path, {"a": httpserver.url_for("/a"), "b": httpserver.url_for("/b")})
    code, out, run = watch(tmp_path, targets)
    assert code == 2, out
    assert run["exit_code"] == 2 and run["counts"]["failed"] == 2 and len(run["failures"]) == 2
    assert "every target failed" in run["error"]


def test_webhook_receives_the_payload_only_when_there_is_news(tmp_path: Path, httpserver: HTTPServer) -> None:
    received: list[dict] = []  # type: ignore[type-arg]

    def hook(request: Request) -> Response:
        received.append(json.loads(request.get_data()))
        return Response("ok")

    serve(httpserver, "/privacy", page(BASE))
    httpserver.expect_request("/hook", method="POST").respond_with_handler(hook)
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    code, _, run = watch(tmp_path, targets, "--webhook", httpserver.url_for("/hook"))
    assert code == 0 and received == [] and run["notifications"] == []  # a baseline is no news
    code, _, run = watch(tmp_path, targets, "--webhook", httpserver.url_for("/hook"), "--notify-on", "always")
    assert code == 0 and len(received) == 1
    payload = received[0]
    assert payload["policydiff_notification"] == 1 and payload["title"] == "policydiff: nothing changed"
    assert payload["run"]["counts"]["unchanged"] == 1 and payload["run"]["targets"] == 1
    assert payload["link"].endswith("/index.html") and payload["exit_code"] == 0
    (note,) = run["notifications"]
    assert note["kind"] == "webhook" and note["ok"] is True and note["attempts"] == 1


def test_webhook_failure_is_reported_not_fatal(tmp_path: Path, httpserver: HTTPServer) -> None:
    serve(httpserver, "/privacy", page(BASE))
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    args = ("--webhook", "http://127.0.0.1:9/nothing", "--notify-on", "always", "--notify-attempts", "1")
    code, out, run = watch(tmp_path, targets, *args)
    assert code == 0
    (note,) = run["notifications"]
    assert note["ok"] is False and note["error"] and "not delivered" in out


def test_store_locked_by_another_run_exit_2(tmp_path: Path, httpserver: HTTPServer) -> None:
    serve(httpserver, "/privacy", page(BASE))
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    with Store(tmp_path / "store").locked():
        code, out, _ = watch(tmp_path, targets)
    assert code == 2 and "locked by another policydiff run" in out


def test_bad_targets_file_exit_2(tmp_path: Path) -> None:
    targets = tmp_path / "targets.toml"
    targets.write_text("[services.acme.documents.p]\nurl = 3\n")
    code, out, _ = watch(tmp_path, targets)
    assert code == 2 and "targets.toml" in out


def test_change_stored_by_a_killed_run_is_reported_next_time(tmp_path: Path, httpserver: HTTPServer) -> None:
    """A run killed after storing a version but before reporting it: the next run reports it."""
    serve(httpserver, "/privacy", page(BASE))
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    assert watch(tmp_path, targets)[0] == 0
    httpserver.clear()
    serve(httpserver, "/privacy", page(CHANGED))
    # store the new version the way a run does, then "crash" (no report, no assessment)
    from policydiff.model import Snapshot
    from policydiff.normalize import normalize

    store = Store(tmp_path / "store")
    latest = store.latest("acme", "privacy")
    assert latest is not None
    snapshot = Snapshot(
        content=page(CHANGED).encode(),
        url=latest.url,
        final_url=latest.url,
        fetched_at=datetime.now(UTC),
        headers={"content-type": "text/html; charset=utf-8"},
        media_type="text/html",
        service="acme",
        document="privacy",
    )
    with store.locked():
        assert store.record(snapshot, normalize(snapshot)).kind == "new"
    code, _, run = watch(tmp_path, targets)
    assert code == 1 and run["counts"]["new"] == 1
    code, _, run = watch(tmp_path, targets)
    assert code == 0 and run["counts"]["unchanged"] == 1


def _change(*severities: str, material: int = 1) -> ChangeSummary:
    findings = [FindingLine(s, "purpose.added", "r", "weakens", "", "x") for s in severities]
    return ChangeSummary("acme", "Acme", ("acme/p",), ("P",), "changes/a.html", material, material, findings)


def _outcome(status: str) -> DocumentOutcome:
    return DocumentOutcome("acme/p", "acme", "p", "P", "http://x", status, "")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "fail_on", "expected"),
    [
        ([], None, 0),
        ([_change(material=0)], None, 0),
        ([_change()], None, 1),
        ([_change("low")], "medium", 0),
        ([_change("low", "medium")], "medium", 1),
        ([_change("high")], "high", 1),
        ([_change()], "low", 0),
    ],
)
def test_exit_code_decision(changes: list[ChangeSummary], fail_on: str | None, expected: int) -> None:
    assert decide_exit_code([_outcome("new"), _outcome("failed")], changes, fail_on) == expected


def test_exit_code_all_failed_and_none() -> None:
    assert decide_exit_code([_outcome("failed"), _outcome("failed")], [], None) == 2
    assert decide_exit_code([_outcome("unchanged")], [], "high") == 0


@pytest.mark.parametrize(
    ("state", "policy", "with_change", "expected"),
    [
        ("new", "new", False, 4),
        ("new", "new", True, 5),
        ("ongoing", "new", False, 0),
        ("ongoing", "new", True, 1),
        ("ongoing", "any", False, 4),
        ("ongoing", "any", True, 5),
        ("new", "never", False, 0),
        ("new", "never", True, 1),
    ],
)
def test_exit_code_combines_changes_and_fetch_failures(
    state: str, policy: str, with_change: bool, expected: int
) -> None:
    failed = attrs.evolve(_outcome("failed"), fetch_state=state)
    changes = [_change()] if with_change else []
    assert decide_exit_code([_outcome("new"), failed], changes, None, policy) == expected


def test_acknowledged_findings_do_not_trip_fail_on() -> None:
    silenced = [attrs.evolve(f, acknowledged="ok (acknowledged by a)") for f in _change("high").findings]
    change = attrs.evolve(_change("high"), findings=silenced)
    assert decide_exit_code([_outcome("new")], [change], "low") == 0
    assert decide_exit_code([_outcome("new")], [_change("high")], "low") == 1
    assert change.top_severity is None and change.findings_by_severity["high"] == 1


def test_conditional_request_304_is_a_seen_unchanged_check(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/privacy").respond_with_data(
        page(BASE), content_type="text/html; charset=utf-8", headers={"ETag": '"v1"'}
    )
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    assert watch(tmp_path, targets)[0] == 0
    httpserver.clear()
    httpserver.expect_request("/privacy", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    code, out, run = watch(tmp_path, targets)
    assert code == 0, out
    assert run["counts"]["unchanged"] == 1 and run["counts"]["failed"] == 0
    store = Store(tmp_path / "store")
    (check,) = store.checks("acme", "privacy")
    assert check.same_bytes and check.version == store.versions("acme", "privacy")[0].id


def test_flapping_page_is_not_alerted_again(tmp_path: Path, httpserver: HTTPServer) -> None:
    """A, B, A, B: the first B is a change; going back and forth is flapping, exit 0, no new redline."""
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    codes, runs = [], []
    for paragraphs in (BASE, CHANGED, BASE, CHANGED):
        httpserver.clear()
        serve(httpserver, "/privacy", page(paragraphs))
        code, _out, run = watch(tmp_path, targets)
        codes.append(code)
        runs.append(run)
    assert codes == [0, 1, 0, 0]
    assert [r["documents"][0]["status"] for r in runs] == ["first", "new", "flapping", "flapping"]
    assert runs[2]["changes"] == [] and runs[3]["changes"] == []
    assert "back to the version of" in runs[2]["documents"][0]["message"]
    index = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "back to the version of" in index
    feed = ET.parse(tmp_path / "report" / "feed.atom").getroot()
    assert len(feed.findall(f"{ATOM}entry")) == 1  # the one real change


def test_new_url_starts_a_new_lineage_not_compared(tmp_path: Path, httpserver: HTTPServer) -> None:
    serve(httpserver, "/privacy", page(BASE))
    serve(httpserver, "/legal/privacy", page(CHANGED))
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    assert watch(tmp_path, targets)[0] == 0
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/legal/privacy")})
    code, out, run = watch(tmp_path, targets, "--progress")
    assert code == 0, out
    (doc,) = run["documents"]
    assert doc["status"] == "new_lineage" and "not compared" in doc["message"]
    assert run["changes"] == []
    versions = Store(tmp_path / "store").versions("acme", "privacy")
    assert len(versions) == 2 and versions[1].lineage_start and versions[0].lineage != versions[1].lineage


def test_a_failing_comparison_is_reported_and_retried(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault injection: compare() raising for one service neither kills the run nor loses the change."""
    import importlib

    compare_module = importlib.import_module("policydiff.compare")
    serve(httpserver, "/privacy", page(BASE))
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    assert watch(tmp_path, targets)[0] == 0
    httpserver.clear()
    serve(httpserver, "/privacy", page(CHANGED))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected failure")

    with monkeypatch.context() as patch:
        patch.setattr(compare_module, "compare", broken)
        code, out, run = watch(tmp_path, targets, "--budget", "0")  # in this process: the patch applies
    assert code == 1, out
    (change,) = run["changes"]
    assert "injected failure" in change["error"] and change["redline"] == ""
    assert "injected failure" in (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    code, out, run = watch(tmp_path, targets)  # compared now, under the real compare()
    assert code == 1, out
    (change,) = run["changes"]
    assert change["error"] is None and (tmp_path / "report" / change["redline"]).is_file()


def test_bundle_keeps_a_document_that_failed_this_run(tmp_path: Path, httpserver: HTTPServer) -> None:
    """The FAQ fails tonight; the policy changed: the bundle still holds the FAQ's last good version."""
    faq = page(["Your messages are private, and we will never read them or use them for advertising. " * 3])
    serve(httpserver, "/privacy", page(BASE))
    serve(httpserver, "/faq", faq)
    targets = write_targets(
        tmp_path, {"privacy": httpserver.url_for("/privacy"), "faq": httpserver.url_for("/faq")}
    )
    assert watch(tmp_path, targets)[0] == 0
    httpserver.clear()
    serve(httpserver, "/privacy", page(CHANGED))
    httpserver.expect_request("/faq").respond_with_data("down", status=503)
    code, out, run = watch(tmp_path, targets)
    assert code == 5, out  # 1 (a change) + 4 (a document newly failing)
    (change,) = run["changes"]
    assert change["documents"] == ["acme/privacy"] and run["counts"]["failed"] == 1
    redline = (tmp_path / "report" / change["redline"]).read_text(encoding="utf-8")
    assert "Faq" in redline  # the FAQ is part of the compared bundle (unchanged)


def test_unusable_report_or_store_folder_fails_before_any_fetch(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    serve(httpserver, "/privacy", page(BASE))
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    base = ["watch", "--targets", str(targets), "--no-progress"]
    bad_report = [*base, "--store", str(tmp_path / "store"), "--report", str(blocker / "report")]
    result = CliRunner().invoke(main, bad_report)
    assert result.exit_code == 2 and "report folder" in result.output and "Traceback" not in result.output
    bad_store = [*base, "--store", str(blocker / "store"), "--report", str(tmp_path / "report")]
    result = CliRunner().invoke(main, bad_store)
    assert result.exit_code == 2 and "store folder" in result.output and "Traceback" not in result.output
    assert httpserver.log == []  # nothing was fetched


def _api_watch(tmp_path: Path, targets: Path) -> RunSummary:
    from policydiff.fetch import FetchConfig
    from policydiff.targets import load_targets
    from policydiff.watch import WatchOptions, run_watch
    from policydiff.watch.fetching import network_fetcher

    fetcher = network_fetcher(FetchConfig(host_delay=0, retries=0, timeout=5))
    return run_watch(
        load_targets(targets), tmp_path / "store", tmp_path / "report",
        options=WatchOptions(budget=0), fetcher=fetcher,
    )  # fmt: skip


def _two_pages(server: HTTPServer, tmp_path: Path, privacy: list[str], faq_ok: bool) -> Path:
    server.clear()
    serve(server, "/privacy", page(privacy))
    if faq_ok:
        serve(server, "/faq", page(BASE, title="FAQ"))
    else:
        server.expect_request("/faq").respond_with_data("oops", status=500)
    return write_targets(tmp_path, {"privacy": server.url_for("/privacy"), "faq": server.url_for("/faq")})


def test_a_run_stopped_before_its_commit_is_rolled_back_whole(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15: assessments, fetch states, fetch events and the run record saved by a run stopped
    before its commit mark are all put back, so the next run reports them exactly once."""
    first = _api_watch(tmp_path, _two_pages(httpserver, tmp_path, BASE, faq_ok=False))
    assert [o.key for o in first.fetch_failures("new")] == ["acme/faq"]
    targets = _two_pages(httpserver, tmp_path, CHANGED, faq_ok=True)

    def stopped(*args: object) -> None:
        raise KeyboardInterrupt("stopped after saving assessments and fetch states")

    monkeypatch.setattr(Store, "save_run", stopped)
    with pytest.raises(KeyboardInterrupt):
        _api_watch(tmp_path, targets)
    store = Store(tmp_path / "store")
    assert [e.kind for e in store.fetch_events("acme", "faq")] == ["failing", "recovered"]  # saved...
    monkeypatch.undo()
    third = _api_watch(tmp_path, targets)  # ... and rolled back here, then done again, once
    assert [o.key for o in third.fetch_failures("recovered")] == ["acme/faq"]
    assert [e.kind for e in store.fetch_events("acme", "faq")] == ["failing", "recovered"]
    assert not store.fetch_state("acme", "faq").failing
    (changed,) = store.versions("acme", "privacy")[1:]
    assert third.reported == (f"acme/privacy@{changed.id}",)
    records = store.runs(10)
    assert [r["started_at"] for r in records] == [third.started_at.isoformat(), first.started_at.isoformat()]
    assert sum(r["reported"].count(f"acme/privacy@{changed.id}") for r in records) == 1


def test_a_run_stopped_after_its_commit_has_its_entries_in_the_next_run_json(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Committed but killed before run.json: the next run.json lists the stopped run's record
    (``recovered_runs``) and does not report its versions again."""
    import policydiff.watch.run as run_module

    _api_watch(tmp_path, _two_pages(httpserver, tmp_path, BASE, faq_ok=True))
    targets = _two_pages(httpserver, tmp_path, CHANGED, faq_ok=True)

    def stopped(path: Path, text: str) -> None:
        raise KeyboardInterrupt("stopped before run.json")

    monkeypatch.setattr(run_module, "atomic_text", stopped)
    with pytest.raises(KeyboardInterrupt):
        _api_watch(tmp_path, targets)
    monkeypatch.undo()
    (changed,) = Store(tmp_path / "store").versions("acme", "privacy")[1:]
    after = _api_watch(tmp_path, targets)
    assert after.reported == ()  # reported by the stopped run: not again
    run = json.loads((tmp_path / "report" / "run.json").read_text())
    assert [r["reported"] for r in run["recovered_runs"]] == [[f"acme/privacy@{changed.id}"]]
    again = _api_watch(tmp_path, targets)  # listed once: the outbox entry is gone
    assert again.recovered_runs == ()


def test_runs_stopped_one_after_another_before_run_json_all_reach_the_next_run_json(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that recovers a stopped run's record and is itself stopped before its run.json must
    leave that record for the next run (CI saw versions missing from every run.json after kills)."""
    import policydiff.watch.run as run_module

    _api_watch(tmp_path, _two_pages(httpserver, tmp_path, BASE, faq_ok=True))

    def stopped(path: Path, text: str) -> None:
        raise KeyboardInterrupt("stopped before run.json")

    monkeypatch.setattr(run_module, "atomic_text", stopped)
    with pytest.raises(KeyboardInterrupt):  # reports CHANGED, commits, stops
        _api_watch(tmp_path, _two_pages(httpserver, tmp_path, CHANGED, faq_ok=True))
    third = [*CHANGED[:2], CHANGED[2] + " We may share your location with advertising partners."]
    with pytest.raises(KeyboardInterrupt):  # recovers that record, reports a third text, stops
        _api_watch(tmp_path, _two_pages(httpserver, tmp_path, third, faq_ok=True))
    monkeypatch.undo()
    store = Store(tmp_path / "store")
    changed, back = store.versions("acme", "privacy")[1:]
    after = _api_watch(tmp_path, _two_pages(httpserver, tmp_path, third, faq_ok=True))
    run = json.loads((tmp_path / "report" / "run.json").read_text())
    listed = sorted(v for r in run["recovered_runs"] for v in r["reported"])
    assert listed == sorted([f"acme/privacy@{changed.id}", f"acme/privacy@{back.id}"])
    assert after.reported == ()

    # a run stopped after writing its run.json but before clearing the outbox lists nothing twice
    fourth = [*third[:2], third[2] + " We keep your messages for ten years."]

    def then_stopped(path: Path) -> None:
        raise KeyboardInterrupt("stopped after run.json")

    with pytest.raises(KeyboardInterrupt):
        monkeypatch.setattr(run_module.Outbox, "done", lambda self, path: then_stopped(path))
        _api_watch(tmp_path, _two_pages(httpserver, tmp_path, fourth, faq_ok=True))
    monkeypatch.undo()
    written = json.loads((tmp_path / "report" / "run.json").read_text())
    again = _api_watch(tmp_path, _two_pages(httpserver, tmp_path, fourth, faq_ok=True))
    assert again.recovered_runs == () and len(written["reported"]) == 1
