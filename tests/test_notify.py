"""Notifications against real endpoints on 127.0.0.1: Apprise's json:// and the JSON webhook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from test_watch import BASE, CHANGED, page, serve, write_targets
from werkzeug import Request, Response

from policydiff.targets import load_targets
from policydiff.watch import WatchOptions, run_watch


class Endpoint:
    """Collects JSON bodies; answers with the given statuses in turn (then 200)."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: Request) -> Response:
        self.bodies.append(json.loads(request.get_data()))
        status = self.statuses.pop(0) if self.statuses else 200
        return Response("x", status=status)


def _run(tmp_path: Path, targets: Path, options: WatchOptions, delays: list[float]) -> Any:
    return run_watch(
        load_targets(targets), tmp_path / "store", tmp_path / "report", options=options, sleep=delays.append
    )


def _apprise_url(httpserver: HTTPServer, path: str) -> str:
    return f"json://{httpserver.host}:{httpserver.port}{path}"


def test_apprise_message_says_what_changed_with_findings_and_links(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    endpoint = Endpoint()
    httpserver.expect_request("/notify", method="POST").respond_with_handler(endpoint)
    serve(httpserver, "/privacy", page(BASE))
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    options = WatchOptions(
        notify=(_apprise_url(httpserver, "/notify"),), base_url="https://example.org/policy-report"
    )
    delays: list[float] = []
    first = _run(tmp_path, targets, options, delays)
    assert endpoint.bodies == [] and first.notifications == ()  # a baseline is not news
    httpserver.clear()
    httpserver.expect_request("/notify", method="POST").respond_with_handler(endpoint)
    serve(httpserver, "/privacy", page(CHANGED))
    summary = _run(tmp_path, targets, options, delays)
    (body,) = endpoint.bodies
    assert body["title"] == "policydiff: Acme Social changed"
    message = body["message"]
    (change,) = summary.changes
    top = change.findings[0]
    assert f"[{top.severity}] {top.explanation}" in message
    assert f"redline: https://example.org/policy-report/{change.redline}" in message
    assert "Report: https://example.org/policy-report/index.html" in message
    (note,) = summary.notifications
    assert note["ok"] is True and note["kind"] == "apprise" and note["attempts"] == 1
    assert note["url"].startswith("json://") and delays == []
    run_json = json.loads((tmp_path / "report" / "run.json").read_text())
    assert run_json["notifications"] == [note] and run_json["policydiff_run"] == 2


def test_apprise_and_webhook_are_retried_and_a_lasting_failure_is_reported(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    flaky = Endpoint(500)  # fails once, then delivers
    broken = Endpoint(500, 500, 500)
    hook = Endpoint(503, 503)
    httpserver.expect_request("/flaky", method="POST").respond_with_handler(flaky)
    httpserver.expect_request("/broken", method="POST").respond_with_handler(broken)
    httpserver.expect_request("/hook", method="POST").respond_with_handler(hook)
    httpserver.expect_request("/faq").respond_with_data("gone", status=404)
    serve(httpserver, "/privacy", page(BASE))
    targets = write_targets(
        tmp_path, {"privacy": httpserver.url_for("/privacy"), "faq": httpserver.url_for("/faq")}
    )
    options = WatchOptions(
        notify=(_apprise_url(httpserver, "/flaky"), _apprise_url(httpserver, "/broken")),
        webhook=httpserver.url_for("/hook"),
        retry_delay=0.5,
    )
    delays: list[float] = []
    summary = _run(tmp_path, targets, options, delays)
    flaky_note, broken_note, hook_note = summary.notifications
    assert flaky_note["ok"] is True and flaky_note["attempts"] == 2
    assert broken_note["ok"] is False and broken_note["attempts"] == 3 and broken_note["error"]
    assert hook_note["ok"] is True and hook_note["attempts"] == 3 and hook_note["status"] == 200
    assert delays == [0.5, 0.5, 1.0, 0.5, 1.0]
    assert len(flaky.bodies) == 2 and len(broken.bodies) == 3 and len(hook.bodies) == 3
    assert "1 newly failing" in flaky.bodies[-1]["title"]
    assert "Newly failing: Acme Social — Faq" in flaky.bodies[-1]["message"]
    payload = hook.bodies[-1]
    assert payload["policydiff_notification"] == 1 and payload["exit_code"] == summary.exit_code == 4
    assert [f["key"] for f in payload["run"]["fetch_failures"]["new"]] == ["acme/faq"]


def test_an_invalid_apprise_url_is_reported_not_raised(tmp_path: Path, httpserver: HTTPServer) -> None:
    serve(httpserver, "/privacy", page(BASE))
    targets = write_targets(tmp_path, {"privacy": httpserver.url_for("/privacy")})
    options = WatchOptions(notify=("nosuchscheme://secret-token@host",), notify_when="always")
    (note,) = _run(tmp_path, targets, options, []).notifications
    assert note["ok"] is False and "Apprise" in note["error"] and "secret-token" not in note["url"]
