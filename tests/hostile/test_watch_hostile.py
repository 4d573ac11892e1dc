"""Watch against damage and pathological pages (issue 15), real servers on 127.0.0.1: a damaged
document fails alone with its file named; a comparison past its budget fails its service, and the
run goes on."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from pytest_httpserver import HTTPServer

from policydiff.store import verify
from policydiff.targets import parse_targets
from policydiff.watch import WatchOptions, run_watch

PARAGRAPHS = {"count": 12}


def page(n: int, service: str) -> str:
    text = "".join(
        f"<p>We collect your {service} data of kind {i} and keep it {i + n} days.</p>"
        for i in range(PARAGRAPHS["count"])
    )
    return (
        f"<html><body><main><h1>{service} privacy</h1>{text}"
        f"<p>We keep your data for {n} years and we may share it with {n} partners.</p></main></body></html>"
    )


def serve(server: HTTPServer, n: int) -> None:
    server.clear()
    for service in ("acme", "bolt"):
        server.expect_request(f"/{service}").respond_with_data(page(n, service), content_type="text/html")
    server.expect_request("/robots.txt").respond_with_data("", status=404)


def run(server: HTTPServer, tmp_path: Path, n: int, **options: object):  # type: ignore[no-untyped-def]
    serve(server, n)
    text = "".join(
        f'[services.{s}.documents.privacy]\nurl = "{server.url_for("/" + s)}"\n' for s in ("acme", "bolt")
    )
    from policydiff.fetch import FetchConfig
    from policydiff.watch.fetching import network_fetcher

    fetcher = network_fetcher(FetchConfig(host_delay=0, retries=0, timeout=5))
    return run_watch(
        parse_targets(text), tmp_path / "store", tmp_path / "report",
        options=WatchOptions(**options), fetcher=fetcher,  # type: ignore[arg-type]
    )  # fmt: skip


def test_damaged_files_fail_their_document_only(httpserver: HTTPServer, tmp_path: Path) -> None:
    run(httpserver, tmp_path, 1)
    run(httpserver, tmp_path, 2)
    acme = tmp_path / "store" / "acme" / "privacy"
    for damaged in [*acme.glob("assessments/*.json"), acme / "fetch-state.json"]:
        damaged.write_bytes(b"[]")
    (acme / "checks.jsonl").write_bytes(b"{nope\n")
    summary = run(httpserver, tmp_path, 3)  # failed for every service before (damaged assessment)
    by_key = {o.key: o for o in summary.outcomes}
    assert by_key["bolt/privacy"].status == "new"
    assert by_key["acme/privacy"].status == "new"  # its old records are damaged, its new version fine
    assert sorted(c.service for c in summary.changes if not c.error) == ["acme", "bolt"]
    damage = [p.path for p in verify(tmp_path / "store") if p.level == "error"]
    assert any("assessments" in p for p in damage) and any("checks.jsonl" in p for p in damage)
    for feed in (tmp_path / "report").rglob("*.atom"):
        ET.parse(feed)  # the report was written, feeds and all


def test_a_damaged_stored_document_is_named_in_the_run(httpserver: HTTPServer, tmp_path: Path) -> None:
    run(httpserver, tmp_path, 1)
    acme = tmp_path / "store" / "acme" / "privacy"
    (normalized,) = acme.glob("normalized/*.json")
    normalized.write_bytes(b'{"damaged": true}')
    summary = run(httpserver, tmp_path, 2)
    (failed,) = [c for c in summary.changes if c.error]
    assert failed.service == "acme" and str(normalized) in (failed.error or "")
    assert {c.service for c in summary.changes if not c.error} == {"bolt"}


def test_a_comparison_past_its_budget_fails_and_the_run_goes_on(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pages whose comparison takes far longer than the budget, whatever the machine's load
    monkeypatch.setitem(PARAGRAPHS, "count", 400)
    run(httpserver, tmp_path, 1)
    summary = run(httpserver, tmp_path, 2, budget=0.05)
    assert {c.service for c in summary.changes} == {"acme", "bolt"}
    errors = [c.error or "" for c in summary.changes]
    assert all("took longer than 0.05 s" in e for e in errors), errors
    assert (tmp_path / "report" / "run.json").is_file()
    again = run(httpserver, tmp_path, 2, budget=300)  # not assessed: compared again, within budget
    assert {c.service for c in again.changes if not c.error} == {"acme", "bolt"}


def test_a_page_whose_classification_overruns_the_budget_fails_alone(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """The budget covers the fetch stage too: a page that takes seconds to classify and normalize
    (50,000 paragraphs, 1.4 MB) is that document's failure "took longer than N s", recorded, and the
    other targets are fetched, stored and compared as usual."""
    huge = "<html><body>" + "".join(f"<p>We collect item {i}.</p>" for i in range(50_000)) + "</body></html>"
    run(httpserver, tmp_path, 1)
    serve(httpserver, 2)
    httpserver.clear()
    httpserver.expect_request("/acme").respond_with_data(huge, content_type="text/html")
    httpserver.expect_request("/bolt").respond_with_data(page(2, "bolt"), content_type="text/html")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    text = "".join(
        f'[services.{s}.documents.privacy]\nurl = "{httpserver.url_for("/" + s)}"\n' for s in ("acme", "bolt")
    )
    from policydiff.fetch import FetchConfig
    from policydiff.watch.fetching import network_fetcher

    fetcher = network_fetcher(FetchConfig(host_delay=0, retries=0, timeout=5), budget=0.5)
    summary = run_watch(
        parse_targets(text), tmp_path / "store", tmp_path / "report",
        options=WatchOptions(budget=60), fetcher=fetcher,
    )  # fmt: skip
    by_key = {o.key: o for o in summary.outcomes}
    acme, bolt = by_key["acme/privacy"], by_key["bolt/privacy"]
    assert acme.status == "failed" and acme.failure_reason == "budget", acme
    assert "took longer than 0.5 s" in acme.message
    assert bolt.status == "new"
    run_json = (tmp_path / "report" / "run.json").read_text()
    assert "took longer than 0.5 s" in run_json and '"budget"' in run_json


def test_a_damaged_outbox_entry_is_skipped_and_the_run_goes_on(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """Recovery acts on an outbox entry only when it has the shape a run writes: a damaged one is
    reported and left for ``verify --repair``; it never removes files or stops the run."""
    run(httpserver, tmp_path, 1)
    outbox = tmp_path / "store" / ".outbox"
    outbox.mkdir(exist_ok=True)
    (outbox / "bad.json").write_text('{"key": "bad", "state": "prepared", "assessments": [["acme"]]}')
    (outbox / "list.json").write_text("[]")
    assessments = sorted((tmp_path / "store").rglob("assessments/*.json"))
    summary = run(httpserver, tmp_path, 2)
    assert {o.status for o in summary.outcomes} == {"new"}
    assert set(assessments) <= set((tmp_path / "store").rglob("assessments/*.json"))
    assert (outbox / "bad.json").is_file() and (outbox / "list.json").is_file()
