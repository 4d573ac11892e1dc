"""``policydiff watch``, ``verify``, ``demo``, ``history`` and ``backfill``: the store side."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from policydiff.cli.base import fail, handle_errors, main
from policydiff.errors import PolicyDiffError


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


@main.command("watch")
@click.option(
    "--targets", "targets_path", required=True, type=click.Path(dir_okay=False), help="targets.toml to fetch."
)
@click.option(
    "--store", "store_dir", required=True, type=click.Path(file_okay=False), help="Snapshot store folder."
)
@click.option(
    "--report",
    "report_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Report folder: index.html, redlines, feed.atom, run.json.",
)
@click.option("--webhook", help="POST the run summary (JSON) to this URL.")
@click.option(
    "--fail-on",
    type=click.Choice(["high", "medium", "low"]),
    help="Exit 1 only when a finding at or above this severity exists.",
)
@click.option("--host-delay", type=float, help="Seconds between requests to one host (default 1).")
@click.option("--concurrency", type=int, help="Requests in flight overall (default 8).")
@click.option("--timeout", type=float, help="Seconds per network operation (default 20).")
@click.option("--retries", type=int, help="Retries for transient failures (default 3).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@handle_errors
def watch_command(
    targets_path: str,
    store_dir: str,
    report_dir: str,
    webhook: str | None,
    fail_on: str | None,
    host_delay: float | None,
    concurrency: int | None,
    timeout: float | None,
    retries: int | None,
    progress: bool | None,
) -> None:
    """Fetch every target, store new versions, compare them and write the report folder.

    Exit 0 when nothing changed, 1 when a material change was recorded (with --fail-on: a finding at
    or above it), 2 when the run failed (every target failed, the store is locked, bad targets file).
    """
    from policydiff.fetch import FetchConfig
    from policydiff.targets import load_targets
    from policydiff.watch import watch_with_progress

    targets = load_targets(targets_path)
    overrides: dict[str, Any] = {
        "host_delay": host_delay,
        "concurrency": concurrency,
        "timeout": timeout,
        "retries": retries,
    }
    config = FetchConfig(**{k: v for k, v in overrides.items() if v is not None})
    show_progress = sys.stderr.isatty() if progress is None else progress
    try:
        summary = watch_with_progress(
            targets,
            store_dir,
            report_dir,
            fail_on=fail_on,
            webhook=webhook,
            config=config,
            progress=show_progress,
            log=_echo_err,
        )
    except PolicyDiffError:
        raise
    except Exception as exc:  # cron must see exit 2 ("the run failed"), never 1 ("changed")
        fail(f"the watch run failed: {type(exc).__name__}: {exc}")
        return
    click.echo(summary.headline)
    for failure in summary.failures:
        click.echo(f"  failed: {failure.key}: {failure.failure_reason}: {failure.message}")
    if summary.webhook is not None and not summary.webhook.get("ok"):
        click.echo(f"policydiff: warning: webhook not delivered: {summary.webhook.get('error')}", err=True)
    click.echo(f"report: {Path(report_dir) / 'index.html'}")
    sys.exit(summary.exit_code)


@main.command("verify")
@click.option("--store", "store_dir", required=True, type=click.Path(file_okay=False), help="Snapshot store.")
@handle_errors
def verify_command(store_dir: str) -> None:
    """Check every hash in the store; exit 1 when something is corrupt or missing."""
    from policydiff.store import Store, verify

    problems = verify(store_dir)
    for problem in problems:
        click.echo(str(problem))
    errors = [p for p in problems if p.level == "error"]
    if errors:
        click.echo(f"{store_dir}: {len(errors)} problem(s) found")
        sys.exit(1)
    store = Store(store_dir)
    versions = sum(len(store.versions(s, d)) for s, d in store.documents())
    click.echo(f"{store_dir}: ok ({versions} versions checked)")


@main.command("demo")
@click.option(
    "--report",
    "report_dir",
    default="demo-report",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Report folder to write.",
)
@click.option(
    "--snapshots",
    "snapshots_dir",
    type=click.Path(file_okay=False),
    help="Folder of example snapshots (default: the bundled snapshots/).",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False),
    help="Keep the replayed store here (a new or empty folder) to try history and compare on it.",
)
@handle_errors
def demo_command(report_dir: str, snapshots_dir: str | None, store_dir: str | None) -> None:
    """Run the nightly job offline on the bundled example snapshots and write a report."""
    from policydiff.demo import run_demo
    from policydiff.severity import add_counts

    click.echo("policydiff demo: replaying the example snapshots of a fictional service, date by date")
    result = run_demo(
        report_dir,
        snapshots_dir=snapshots_dir,
        store_dir=store_dir,
        log=lambda line: click.echo(f"  {line}"),
    )
    changes = [change for run in result.runs for change in run.changes]
    severity = add_counts(*(change.findings_by_severity for change in changes))
    click.echo(
        f"{len(result.runs)} runs, {len(changes)} changes compared, {sum(severity.values())} findings "
        f"({severity['high']} high, {severity['medium']} medium, {severity['low']} low)"
    )
    if store_dir:
        click.echo(f"store kept in {store_dir}: try `policydiff history acme-social --store {store_dir}`")
    click.echo(f"open {result.index.resolve()}")


@main.command("history")
@click.argument("selector")
@click.option("--store", "store_dir", required=True, type=click.Path(file_okay=False), help="Store folder.")
@click.option("--no-compute", is_flag=True, help="Do not compare versions watch never compared.")
@handle_errors
def history_command(selector: str, store_dir: str, no_compute: bool) -> None:
    """List the stored versions of SERVICE or SERVICE/DOCUMENT with dates, hashes and findings."""
    from policydiff.history import history

    entries = history(store_dir, selector, compute=not no_compute)
    current = ""
    for entry in entries:
        version = entry.version
        if version.key != current:
            current = version.key
            click.echo(current)
        if entry.findings is None:
            found = "-"
        else:
            sev = entry.findings_by_severity
            found = (
                f"{entry.findings} findings ({sev.get('high', 0)} high, {sev.get('medium', 0)} medium, "
                f"{sev.get('low', 0)} low)"
            )
        seen = f", seen again {entry.checks}x" if entry.checks else ""
        click.echo(
            f"  {version.fetched_at.strftime('%Y-%m-%d %H:%M')}Z  {version.sha256[:12]}  "
            f"{entry.status}: {found}{seen}"
        )


@main.command("backfill")
@click.option(
    "--ota-versions",
    "repo_dir",
    required=True,
    type=click.Path(file_okay=False, exists=True),
    help="An Open Terms Archive versions git repository.",
)
@click.option("--store", "store_dir", default="store", show_default=True, type=click.Path(file_okay=False))
@click.option(
    "--targets",
    "targets_path",
    type=click.Path(dir_okay=False, exists=True),
    help="targets.toml: give imported versions their target's URL and selectors (one lineage).",
)
@handle_errors
def backfill_command(repo_dir: str, store_dir: str, targets_path: str | None) -> None:
    """Import the history of an Open Terms Archive versions repository into the store."""
    from policydiff.ota import backfill
    from policydiff.targets import load_targets

    targets = load_targets(targets_path) if targets_path else None
    result = backfill(repo_dir, store_dir, targets=targets, log=lambda line: click.echo(f"  {line}"))
    total = sum(result.imported.values())
    click.echo(
        f"{store_dir}: imported {total} versions of {len(result.imported)} documents"
        f" ({result.unchanged} commits with unchanged text recorded as checks"
        + (f", {result.already} already in the store" if result.already else "")
        + ")"
    )
    for line in result.skipped:
        click.echo(f"policydiff: warning: skipped {line}", err=True)
