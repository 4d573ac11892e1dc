"""``policydiff corpus`` and ``policydiff timeline``: thin click wrappers over ``run_corpus`` and the
timeline page. ``policydiff/cli.py`` adds them to the ``policydiff`` group with its error handling.

Importing this module is cheap: pyarrow and distributed are imported only when a command runs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from policydiff.errors import InputError

__all__ = ["COMMANDS", "corpus_command", "timeline_command"]


def _needs_extra() -> None:
    try:
        import distributed  # noqa: F401  # only checking that the optional dependency is installed
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise InputError(
            f"corpus mode needs {exc.name}: install it with pip install 'policydiff[corpus]'"
        ) from exc


@click.command("corpus")
@click.argument("source", type=click.Path(exists=True, file_okay=False))
@click.argument("output_dir", type=click.Path(file_okay=False))
@click.option("--scheduler", help="'local' for a LocalCluster, or a Dask scheduler address tcp://HOST:PORT.")
@click.option("--workers", type=int, help="Worker processes (default: the machine's cores; 1: no pool).")
@click.option("--chunk", type=int, default=50, show_default=True, help="Pairs per task (of one history).")
@click.option("--no-cache", is_flag=True, help="Normalize every version afresh (for measuring the cache).")
@click.option("--no-baseline", is_flag=True, help="Do not read first versions against an empty document.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option(
    "--budget",
    type=click.FloatRange(min=0, max=86400),
    default=0,
    show_default=True,
    help="Seconds reading or comparing one version may take (in a worker process: a version past it "
    "is an error row; 0: no limit, no worker).",
)
def corpus_command(
    source: str,
    output_dir: str,
    scheduler: str | None,
    workers: int | None,
    chunk: int,
    no_cache: bool,
    no_baseline: bool,
    progress: bool | None,
    budget: float,
) -> None:
    """Compare every consecutive pair of every document history in SOURCE into tables in OUTPUT_DIR.

    SOURCE is an Open Terms Archive versions git repository, a policydiff store, or a folder of
    SERVICE/DOCUMENT/DATE.{md,html,txt} files. Running it again continues where it stopped. Exit 0
    when every pair was compared, 1 when some pairs are error rows or were left for the next run.
    """
    _needs_extra()
    from policydiff.corpus.progress import make_progress
    from policydiff.corpus.run import run_corpus

    if chunk < 1:
        raise InputError(f"--chunk must be at least 1, not {chunk}")
    summary = run_corpus(
        source,
        output_dir,
        scheduler=scheduler,
        workers=workers,
        chunk=chunk,
        cache=not no_cache,
        baseline=not no_baseline,
        progress=make_progress(progress, lambda line: click.echo(line, err=True)),
        log=lambda line: click.echo(f"policydiff: warning: {line}", err=True),
        budget=budget,
    )
    click.echo(summary.headline)
    click.echo(f"tables: {Path(output_dir)}/{{pairs,findings,changes}}/ (Parquet and JSON Lines)")
    sys.exit(1 if summary.errors or summary.failed else 0)


@click.command("timeline")
@click.argument("output_dir", type=click.Path(exists=True, file_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Page to write (default OUTPUT_DIR/timeline.html).",
)
@click.option("--no-redlines", is_flag=True, help="Do not generate the redlines the page links to.")
def timeline_command(output_dir: str, output: str | None, no_redlines: bool) -> None:
    """Write the timeline page of a corpus run: first appearance of each finding category per document,
    findings per quarter, and the AI-training stance table (also as CSV beside the page)."""
    _needs_extra()
    from policydiff.corpus.timeline import write_timeline

    page, csv_path = write_timeline(output_dir, output, redlines=not no_redlines)
    click.echo(f"timeline: {page}")
    click.echo(f"stance table: {csv_path}")


COMMANDS = (corpus_command, timeline_command)
