"""``policydiff compare``."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from policydiff.cli.base import FORMAT_ALIASES, SEVERITY, AliasChoice, fail, handle_errors, main

if TYPE_CHECKING:
    from policydiff.model import Comparison


def _resolve_side(argument: str, store: str | None, input_format: str | None = None) -> Any:
    """A file or directory path, or a store reference ``SERVICE/DOCUMENT@DATE`` (with ``--store``):
    the normalized document the store keeps for it (not normalized again), or its raw snapshot when
    ``--input-format`` asks to read the bytes another way."""
    path = Path(argument)
    if path.exists():
        return path
    if "@" in argument:
        if store is None:
            fail(f"{argument}: no such file; to compare stored versions, give the store with --store DIR")
            return None
        from policydiff.store import resolve_document, resolve_reference

        if input_format:
            return resolve_reference(Path(store), argument)
        return resolve_document(Path(store), argument)
    fail(f"{argument}: no such file or directory")
    return None


def write_output(path: str, text: str | Iterable[str]) -> None:
    """Write ``text`` (a string, or its pieces in order) to ``path`` atomically, so a reader never
    sees half a report; pieces are written as they come and never joined in memory."""
    from policydiff.atomic import atomic_stream

    pieces = (text,) if isinstance(text, str) else text
    try:
        atomic_stream(Path(path), (piece.encode("utf-8") for piece in pieces), durable=False)
    except OSError as exc:
        fail(f"{path}: cannot write output: {exc.strerror or exc}")


@main.command("compare")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "output_format",
    type=AliasChoice(["terminal", "json", "markdown", "html"], FORMAT_ALIASES),
    default="terminal",
    show_default=True,
    help="Output format.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are material changes, 0 when none.")
@click.option(
    "--fail-on",
    type=SEVERITY,
    help="Exit 1 when a finding at or above this severity exists, 0 otherwise.",
)
@click.option(
    "--input-format",
    type=AliasChoice(["html", "markdown", "text", "pdf"], FORMAT_ALIASES),
    help="Read both sides as this format instead of detecting it.",
)
@click.option("--store", type=click.Path(file_okay=False), help="Snapshot store for SERVICE/DOCUMENT@DATE.")
@click.option("--title", help="Service or document name for report headers.")
@click.option("--color/--no-color", default=None, help="Force colour on or off (default: when a terminal).")
@click.option(
    "--budget",
    type=click.FloatRange(min=0, min_open=True, max=86400),
    help="Stop (exit 2) if reading and comparing take longer than SECONDS (runs in a worker process).",
)
@click.option(
    "--disable-rule",
    "disable_rules",
    multiple=True,
    metavar="ID",
    help="Leave out the semantic rule ID (repeatable; 'policydiff rules' lists them).",
)
@handle_errors
def compare_command(
    old: str,
    new: str,
    output_format: str,
    output: str | None,
    exit_code: bool,
    fail_on: str | None,
    input_format: str | None,
    store: str | None,
    title: str | None,
    color: bool | None,
    budget: float | None,
    disable_rules: tuple[str, ...],
) -> None:
    """Compare OLD and NEW (files, directories of a bundle, or store references)."""
    from policydiff.compare import compare

    old_side = _resolve_side(old, store, input_format)
    new_side = _resolve_side(new, store, input_format)
    if store is not None and not Path(old).exists() and not Path(new).exists():
        from policydiff.store import lineage_note

        note = lineage_note(Path(store), old, new)
        if note:
            click.echo(f"policydiff: warning: {note}", err=True)
    options: dict[str, Any] = {}
    if input_format:
        options["format"] = input_format
    if title:
        options["title"] = title
    if budget:
        options["budget"] = budget
    if disable_rules:
        options["disable_rules"] = disable_rules
    result = compare(old_side, new_side, **options)
    _emit(output, _rendered(result, output_format, output, color))
    sys.exit(_exit_status(result, exit_code, fail_on))


def _rendered(
    result: Comparison, output_format: str, output: str | None, color: bool | None
) -> str | Iterable[str]:
    """The comparison in the asked format: HTML streamed (a large page is never held as one string)."""
    if output_format == "json":
        return result.to_json()
    if output_format == "markdown":
        return result.to_markdown()
    if output_format == "html":
        from policydiff.render.html import iter_html

        return iter_html(result)
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    use_color = use_color and "NO_COLOR" not in os.environ if color is None else use_color
    width = shutil.get_terminal_size((100, 24)).columns if output is None else 100
    return result.to_terminal(color=use_color, width=width)


def _emit(output: str | None, text: str | Iterable[str]) -> None:
    """Write to OUTPUT (atomically) or to stdout, ending with one newline."""
    if output:
        write_output(output, text)
    elif isinstance(text, str):
        click.echo(text, nl=not text.endswith("\n"))
    else:
        last = ""
        for piece in text:
            click.echo(piece, nl=False)
            last = piece or last
        if not last.endswith("\n"):
            click.echo("")


def _exit_status(result: Comparison, exit_code: bool, fail_on: str | None) -> int:
    """1 when --exit-code sees material changes or --fail-on sees a finding that severe, else 0."""
    from policydiff.model import SEVERITY_RANK

    if exit_code and result.summary.material_changes:
        return 1
    if fail_on and any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in result.findings):
        return 1
    return 0
