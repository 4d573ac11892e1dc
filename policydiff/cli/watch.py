"""``policydiff watch`` (the nightly job) and ``policydiff demo`` (the same job, offline)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from policydiff.cli.base import SEVERITY, fail, handle_errors, main
from policydiff.errors import PolicyDiffError

FETCH_POLICY = click.Choice(["never", "new", "any"], case_sensitive=False)


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


def _acks(ack_path: str | None, targets_path: str) -> Any:
    """The acknowledgements: ``--ack FILE``, else ``policydiff.ack.toml`` beside the targets file."""
    from policydiff.acks import DEFAULT_NAME, Acknowledgements, load_acks

    if ack_path is not None:
        return load_acks(ack_path)
    beside = Path(targets_path).parent / DEFAULT_NAME
    return load_acks(beside) if beside.is_file() else Acknowledgements()


def _print_summary(summary: Any, report_dir: str) -> None:
    """The run's headline, its fetch failures and recoveries, undelivered notifications, the index."""
    click.echo(summary.headline)
    for failure in summary.failures:
        since = failure.failing_since.strftime("%Y-%m-%d") if failure.failing_since else "?"
        state = "newly failing" if failure.fetch_state == "new" else f"failing since {since}"
        click.echo(f"  {state}: {failure.key}: {failure.failure_reason}: {failure.message}")
    for recovered in summary.fetch_failures("recovered"):
        click.echo(f"  recovered: {recovered.key}")
    for note in summary.notifications:
        if not note.get("ok"):
            where = f"{note['kind']} {note['url']}"
            click.echo(f"policydiff: warning: {where} not delivered: {note['error']}", err=True)
    click.echo(f"report: {Path(report_dir) / 'index.html'}")


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
    help="Report folder: index.html, redlines, feeds, run.json.",
)
@click.option("--fail-on", type=SEVERITY, help="Exit 1 only for a finding at or above this severity.")
@click.option(
    "--fail-on-fetch-error",
    type=FETCH_POLICY,
    default="new",
    show_default=True,
    help="Add 4 to the exit code when a document newly fails, when any fails, or never.",
)
@click.option("--notify", "notify", multiple=True, metavar="URL", help="Apprise URL to notify (repeatable).")
@click.option("--webhook", metavar="URL", help="POST the JSON notification payload to this URL.")
@click.option(
    "--notify-on",
    type=click.Choice(["alerts", "always"], case_sensitive=False),
    default="alerts",
    show_default=True,
    help="Notify only when something changed, failed or recovered, or after every run.",
)
@click.option(
    "--notify-attempts",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Tries per notification (retried after 2 s, 4 s ...).",
)
@click.option("--base-url", metavar="URL", help="Public URL of the report folder, for absolute links.")
@click.option(
    "--ack",
    "ack_path",
    type=click.Path(dir_okay=False, exists=True),
    help="Acknowledgements file (default: policydiff.ack.toml beside the targets file, if any).",
)
@click.option(
    "--runs",
    "runs_listed",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Recent runs the index lists.",
)
@click.option("--host-delay", type=float, help="Seconds between requests to one host (default 1).")
@click.option("--concurrency", type=int, help="Requests in flight overall (default 8).")
@click.option("--timeout", type=float, help="Seconds per network operation (default 20).")
@click.option("--retries", type=int, help="Retries for transient failures (default 3).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option(
    "--budget",
    type=click.FloatRange(min=0, max=86400),
    default=300,
    show_default=True,
    help=(
        "Seconds classifying one page, and one service's comparison, may take (in a worker "
        "process: a page past it fails alone; 0: no limit, no worker)."
    ),
)
@handle_errors
def watch_command(
    targets_path: str,
    store_dir: str,
    report_dir: str,
    fail_on: str | None,
    fail_on_fetch_error: str,
    notify: tuple[str, ...],
    webhook: str | None,
    notify_on: str,
    notify_attempts: int,
    base_url: str | None,
    ack_path: str | None,
    runs_listed: int,
    progress: bool | None,
    budget: float,
    **fetch_options: Any,
) -> None:
    """Fetch every target, store new versions, compare them, notify and write the report folder.

    The exit code is a sum: 1 when a material change was recorded (with --fail-on: an unacknowledged
    finding at or above it), 4 when fetching failed (see --fail-on-fetch-error); so 0, 1, 4 or 5.
    2 alone: the run failed (every target failed, the store is locked, a bad targets file).
    """
    from policydiff.fetch import FetchConfig
    from policydiff.targets import load_targets
    from policydiff.watch import WatchOptions, watch_with_progress

    targets = load_targets(targets_path)
    options = WatchOptions(
        fail_on=fail_on,
        fail_on_fetch_error=fail_on_fetch_error.lower(),  # type: ignore[arg-type]  # checked by click
        webhook=webhook,
        notify=notify,
        notify_when=notify_on.lower(),  # type: ignore[arg-type]  # checked by click
        base_url=base_url,
        acks=_acks(ack_path, targets_path),
        runs_listed=runs_listed,
        notify_attempts=notify_attempts,
        budget=budget,
    )
    config = FetchConfig(**{k: v for k, v in fetch_options.items() if v is not None})
    show_progress = sys.stderr.isatty() if progress is None else progress
    try:
        summary = watch_with_progress(
            targets,
            store_dir,
            report_dir,
            options=options,
            config=config,
            progress=show_progress,
            log=_echo_err,
        )
    except PolicyDiffError:
        raise
    except Exception as exc:  # cron must see exit 2 ("the run failed"), never 1 ("changed")
        fail(f"the watch run failed: {type(exc).__name__}: {exc}")
        return
    _print_summary(summary, report_dir)
    sys.exit(summary.exit_code)


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
    help="Folder of example snapshots (default: the ones shipped with policydiff).",
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
