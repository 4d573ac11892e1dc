"""``policydiff verify``, ``history`` and ``backfill``: the snapshot store."""

from __future__ import annotations

import sys

import click

from policydiff.cli.base import handle_errors, main


@main.command("verify")
@click.option("--store", "store_dir", required=True, type=click.Path(file_okay=False), help="Snapshot store.")
@click.option(
    "--repair",
    is_flag=True,
    help="Move damaged files to STORE/.quarantine/ (kept, not deleted) so the next run refetches.",
)
@handle_errors
def verify_command(store_dir: str, repair: bool) -> None:
    """Check every file in the store; exit 1 when something is corrupt or missing."""
    from policydiff.store import Store, verify

    if repair:
        from policydiff.store.repair import repair as quarantine

        for source, target in quarantine(store_dir):
            click.echo(f"quarantined: {source} -> {target}")
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
