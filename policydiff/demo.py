"""``policydiff demo``: the nightly job, offline, on the example snapshots shipped in the package.

``demo_snapshots/targets.toml`` names a fictional service's documents; each published version is a
file ``demo_snapshots/<service>/<document>/<YYYY-MM-DD>.<html|md|txt>``. The demo replays the dates in order:
for each date, a watch run "fetches" every document's newest file at or before that date (instead of
the network) and goes through the real store, comparison and report, into a temporary store and the
report folder. The last run's ``index.html`` also lists every change recorded over the replay.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import attrs

from policydiff.errors import InputError
from policydiff.model import Snapshot
from policydiff.targets import DocumentTarget, Targets, load_targets
from policydiff.watch import Attempt, RunSummary, run_watch

__all__ = ["DemoResult", "default_snapshots_dir", "discover_versions", "run_demo"]

MEDIA_TYPES = {".html": "text/html", ".htm": "text/html", ".md": "text/markdown", ".txt": "text/plain"}
_DATED = re.compile(r"^(\d{4}-\d{2}-\d{2})$")
FETCH_TIME = time(6, 0, tzinfo=UTC)  # the replayed nightly run "fetches" at 06:00 UTC


@attrs.frozen
class DemoResult:
    """The replayed runs, oldest first, and where the report is."""

    runs: tuple[RunSummary, ...]
    report: Path

    @property
    def index(self) -> Path:
        return self.report / "index.html"


def default_snapshots_dir() -> Path:
    """The example snapshots shipped inside the package (``policydiff/demo_snapshots/``)."""
    return Path(__file__).resolve().parent / "demo_snapshots"


def discover_versions(snapshots_dir: Path, targets: Targets) -> dict[str, list[tuple[date, Path]]]:
    """Each target's dated files, oldest first; every target must have at least one."""
    found: dict[str, list[tuple[date, Path]]] = {}
    for target in targets.documents:
        folder = snapshots_dir / target.service / target.document
        if not folder.is_dir():
            raise InputError(f"{folder}: no folder of snapshots for {target.key} (named in targets.toml)")
        versions: list[tuple[date, Path]] = []
        for path in sorted(folder.iterdir()):
            match = _DATED.match(path.stem)
            if not path.is_file() or path.suffix.lower() not in MEDIA_TYPES or not match:
                continue
            versions.append((date.fromisoformat(match.group(1)), path))
        if not versions:
            raise InputError(f"{folder}: no snapshot files named YYYY-MM-DD.html, .md or .txt")
        found[target.key] = sorted(versions)
    return found


def _replay_fetcher(
    versions: Mapping[str, list[tuple[date, Path]]], day: date
) -> Callable[[Sequence[DocumentTarget], Mapping[str, Any], Callable[[Attempt], None]], list[Attempt]]:
    """A fetcher that serves each target's newest file at or before ``day`` (no network)."""
    when = datetime.combine(day, FETCH_TIME)

    def fetch(
        targets: Sequence[DocumentTarget],
        validators: Mapping[str, Any],
        on_attempt: Callable[[Attempt], None],
    ) -> list[Attempt]:
        attempts: list[Attempt] = []
        for target in targets:
            available = [path for d, path in versions[target.key] if d <= day]
            path = available[-1]
            media = MEDIA_TYPES[path.suffix.lower()]
            snapshot = Snapshot(
                content=path.read_bytes(),
                url=target.url,
                final_url=target.url,
                fetched_at=when,
                headers={"content-type": f"{media}; charset=utf-8"},
                media_type=media,
                service=target.service,
                document=target.document,
                selectors=target.select,
                remove_selectors=target.remove,
            )
            attempt = Attempt(target=target, snapshot=snapshot)
            on_attempt(attempt)
            attempts.append(attempt)
        return attempts

    return fetch


def run_demo(
    report_dir: str | os.PathLike[str],
    *,
    snapshots_dir: str | os.PathLike[str] | None = None,
    store_dir: str | os.PathLike[str] | None = None,
    log: Callable[[str], None] | None = None,
) -> DemoResult:
    """Replay the bundled snapshots date by date through watch; the report lands in ``report_dir``."""
    source = Path(snapshots_dir) if snapshots_dir is not None else default_snapshots_dir()
    targets_file = source / "targets.toml"
    if not targets_file.is_file():
        raise InputError(
            f"{source}: no demo snapshots here (expected {targets_file}); "
            "give the folder with --snapshots DIR"
        )
    if store_dir is not None and Path(store_dir).is_dir() and any(Path(store_dir).iterdir()):
        raise InputError(f"{store_dir}: the demo replays into an empty store; give a new or empty folder")
    targets = load_targets(targets_file)
    versions = discover_versions(source, targets)
    days = sorted({d for dated in versions.values() for d, _ in dated})
    report = Path(report_dir)
    runs: list[RunSummary] = []
    with tempfile.TemporaryDirectory(prefix="policydiff-demo-store-") as tmp:
        store = Path(store_dir) if store_dir is not None else Path(tmp)
        for day in days:
            present = Targets(tuple(t for t in targets.documents if versions[t.key][0][0] <= day))
            moment = datetime.combine(day, FETCH_TIME)
            summary = run_watch(
                present,
                store,
                report,
                fetcher=_replay_fetcher(versions, day),
                now=lambda moment=moment: moment,  # type: ignore[misc]
            )
            runs.append(summary)
            if log is not None:
                log(f"{day.isoformat()}: {summary.headline}")
                for outcome in summary.outcomes:
                    if outcome.status not in ("unchanged", "new") or outcome.noise_only:
                        log(f"    {outcome.title}: {outcome.message}")
                for change in summary.changes:
                    log(
                        f"    {change.title}: {', '.join(change.document_titles)} changed; "
                        f"{change.material_changes} material changes, {len(change.findings)} findings "
                        f"-> {change.redline}"
                    )
    return DemoResult(tuple(runs), report)
