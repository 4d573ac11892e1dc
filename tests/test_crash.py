"""Crash safety: ``policydiff watch`` killed with SIGKILL at random moments never leaves a partial version.

A real HTTP server on 127.0.0.1 serves pages whose text changes on every request, so every run
writes new versions (objects, normalized documents, version records, checks, assessments, report
files): a kill can land in any of those writes. With some pages failing now and then, fetch
states and events change too; notifications, run records, run.json entries and fetch transitions
are each counted: exactly once across the kills (issue 15).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import typing
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from policydiff.store import Store, verify

DOCS = 12
RUNS = 50
BUDGET = 50.0  # seconds for the kill loop: as many of the RUNS as fit (about 25-50 here)


class _Pages(BaseHTTPRequestHandler):
    counter = 0
    delay = 0.0
    flaky = False  # doc0..doc2 answer 503 to every third request: fetch failures and recoveries
    lock = threading.Lock()

    def do_GET(self) -> None:
        with _Pages.lock:
            _Pages.counter += 1
            n = _Pages.counter
        if _Pages.delay:
            time.sleep(_Pages.delay)
        if _Pages.flaky and self.path in ("/doc0", "/doc1", "/doc2") and n % 3 == 0:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        words = " ".join(f"clause{n % 7}-{i}" for i in range(30))
        body = (
            f"<html><body><main><h1>Policy {self.path}</h1>"
            f"<p>We collect your name and email address to provide the service to you. {words}</p>"
            f"<p>We keep your data for {n % 5 + 1} years and we never sell it to anyone.</p>"
            f"<p>Revision {n}: we may share data with partners {n % 3} for analytics.</p>"
            "</main></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    _Pages.delay = 0.0
    _Pages.flaky = False


def _targets(tmp_path: Path, base: str) -> Path:
    lines = []
    for i in range(DOCS):
        service = f"svc{i % 3}"
        lines.append(f'[services.{service}.documents.doc{i}]\nurl = "{base}/doc{i}"\n')
    path = tmp_path / "targets.toml"
    path.write_text("\n".join(lines))
    return path


def _command(tmp_path: Path, targets: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "policydiff",
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
        "--no-progress",
    ]


def _check_store(store_dir: Path) -> int:
    """verify finds no error, and every version's parts load; returns the number of versions."""
    errors = [p for p in verify(store_dir) if p.level == "error"]
    assert errors == [], errors
    store = Store(store_dir)
    count = 0
    for service, document in store.documents():
        for version in store.versions(service, document):
            assert store.load_snapshot(version).sha256 == version.sha256
            store.load_document(version)
            count += 1
        store.checks(service, document)
    return count


@pytest.mark.slow
def test_sigkill_at_random_moments_never_leaves_a_partial_version(tmp_path: Path, server: str) -> None:
    targets = _targets(tmp_path, server)
    command = _command(tmp_path, targets)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    start = time.monotonic()
    full = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert full.returncode == 0, full.stderr  # first run: baselines
    duration = time.monotonic() - start
    rng = random.Random(1234)
    killed = completed = 0
    loop_start = time.monotonic()
    for _ in range(RUNS):
        if time.monotonic() - loop_start > BUDGET:
            break
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        else:
            completed += 1
        proc.wait(timeout=60)
        _check_store(tmp_path / "store")
    print(f"full run {duration:.2f}s; {killed} runs killed, {completed} completed before the kill")
    assert killed >= 10, f"only {killed} runs were killed mid-way ({completed} completed)"
    # a clean run afterwards: succeeds, reports, and the store is whole with no temp files left
    final = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert final.returncode in (0, 1), final.stderr
    versions = _check_store(tmp_path / "store")
    assert versions > DOCS
    assert not list((tmp_path / "store").rglob(".tmp-*"))
    run = json.loads((tmp_path / "report" / "run.json").read_text())
    assert run["counts"]["failed"] == 0


@pytest.mark.slow
def test_second_run_is_refused_while_the_first_holds_the_lock(tmp_path: Path, server: str) -> None:
    targets = _targets(tmp_path, server)
    command = _command(tmp_path, targets)
    _Pages.delay = 0.3  # the first run takes a few seconds
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = tmp_path / "store" / ".lock"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (lock.exists() and lock.read_text().strip()):
        time.sleep(0.05)
    second = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert second.returncode == 2
    assert "locked by another policydiff run" in second.stderr
    assert first.wait(timeout=120) == 0
    assert _check_store(tmp_path / "store") == DOCS


class _Hooks(BaseHTTPRequestHandler):
    """A webhook receiver: keeps (idempotency key, versions reported) of every delivery."""

    received: typing.ClassVar[list[tuple[str, list[str]]]] = []
    lock = threading.Lock()

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        key = self.headers.get("Idempotency-Key") or ""
        assert body.get("idempotency_key") == key
        versions = [
            f"{o['key']}@{o['version']}"
            for o in body["run"]["documents"]
            if o["status"] == "new" and o["version"]
        ]
        with _Hooks.lock:
            _Hooks.received.append((key, versions))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _run_json_entries(report: Path, seen: dict[str, list[str]]) -> None:
    """Keep the versions the report's run.json lists (its own, and stopped runs' it recovered)."""
    try:
        run = json.loads((report / "run.json").read_text())
    except (OSError, ValueError):
        return
    seen[run["started_at"]] = [*run["reported"], *(v for r in run["recovered_runs"] for v in r["reported"])]


def _transitions_match_the_run_records(store: Store) -> int:
    """Every fetch event is listed by exactly one run record (new failure or recovery), and each
    document's state agrees with its last event; the number of events."""
    events: Counter[tuple[str, str, datetime]] = Counter()
    for service, document in store.documents(tracked=True):
        log = store.fetch_events(service, document)
        events.update((f"{service}/{document}", e.kind, e.at) for e in log)
        failing = bool(log) and log[-1].kind == "failing"
        assert store.fetch_state(service, document).failing == failing, (service, document, log)
    listed: Counter[tuple[str, str, datetime]] = Counter()
    for record in store.runs(10**6):
        at = datetime.fromisoformat(record["started_at"])
        for state, kind in (("new", "failing"), ("recovered", "recovered")):
            listed.update((f["key"], kind, at) for f in record["fetch_failures"][state])
    assert events == listed, (events - listed, listed - events)
    return sum(events.values())


@pytest.mark.slow
def test_sigkill_never_notifies_a_version_under_two_keys(tmp_path: Path, server: str) -> None:
    """Exactly-once delivery (issue 15): every reported version reaches the webhook, and all its
    deliveries carry one idempotency key (a repeat after a kill between send and mark is the same
    delivery, which the receiver drops by its key)."""
    hooks = ThreadingHTTPServer(("127.0.0.1", 0), _Hooks)
    threading.Thread(target=hooks.serve_forever, daemon=True).start()
    _Hooks.received = []
    _Pages.flaky = True
    report = tmp_path / "report"
    run_jsons: dict[str, list[str]] = {}
    command = [*_command(tmp_path, _targets(tmp_path, server)), "--webhook",
               f"http://127.0.0.1:{hooks.server_address[1]}/hook", "--notify-attempts", "1"]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)  # baselines
    _run_json_entries(report, run_jsons)
    start = time.monotonic()  # a run that compares and notifies: the span the kills spread over
    subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    _run_json_entries(report, run_jsons)
    duration = time.monotonic() - start
    rng = random.Random(4321)
    loop_start = time.monotonic()
    killed = 0
    for run in range(RUNS):
        if time.monotonic() - loop_start > BUDGET:
            break
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        # every fourth run is left to finish, so deliveries happen however slow a loaded machine makes
        # the runs (a kill at a random moment of a run that takes longer than measured is always early)
        if run % 4 != 3:
            time.sleep(rng.uniform(0.05, duration * 1.1))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed += 1
        proc.wait(timeout=120)
        _run_json_entries(report, run_jsons)
    _Pages.flaky = False  # the final run: every page answers (failing ones recover)
    final = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    _run_json_entries(report, run_jsons)
    hooks.shutdown()
    assert final.returncode in (0, 1), final.stderr
    keys_of: dict[str, set[str]] = {}
    for key, versions in _Hooks.received:
        for version in versions:
            keys_of.setdefault(version, set()).add(key)
    twice = {v: keys for v, keys in keys_of.items() if len(keys) > 1}
    store = Store(tmp_path / "store")
    assessed = {
        f"{s}/{d}@{v.id}" for s, d in store.documents() for v in store.versions(s, d) if store.assessment(v)
    }
    repeats = len(_Hooks.received) - len({key for key, _ in _Hooks.received})
    deliveries = len(_Hooks.received)
    print(f"{killed} kills, {deliveries} deliveries ({repeats} repeats by key), {len(assessed)} versions")
    assert killed >= 5 and deliveries >= 3
    assert twice == {}, f"versions notified under two keys: {twice}"
    assert assessed <= set(keys_of), f"reported but never notified: {sorted(assessed - set(keys_of))[:5]}"
    # run records and run.json entries: each reported version exactly once, none lost
    in_records = Counter(v for record in store.runs(10**6) for v in record["reported"])
    assert set(in_records) == assessed and max(in_records.values()) == 1, in_records.most_common(3)
    in_run_json = Counter(v for versions in run_jsons.values() for v in versions)
    assert set(in_run_json) == assessed and max(in_run_json.values()) == 1, in_run_json.most_common(3)
    events = _transitions_match_the_run_records(store)
    print(f"{len(run_jsons)} run.json files read, {events} fetch transitions, each listed once")
    assert events >= 2  # the flaky pages failed and recovered at least once
