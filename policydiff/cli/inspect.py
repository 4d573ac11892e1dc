"""``policydiff show`` (a document as policydiff reads it) and ``policydiff rules``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from policydiff.cli.base import FORMAT_ALIASES, AliasChoice, handle_errors, main


@main.command("show")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=AliasChoice(["text", "json"], FORMAT_ALIASES),
    default="text",
    show_default=True,
    help="Print the tree as indented text or as JSON.",
)
@click.option(
    "--input-format",
    type=AliasChoice(["html", "markdown", "text", "pdf"], FORMAT_ALIASES),
    help="Read FILE as this format instead of detecting it.",
)
@handle_errors
def show_command(file: str, output_format: str, input_format: str | None) -> None:
    """Print how FILE is read: its section tree with ids, labels and clause text ('-' reads stdin)."""
    from policydiff.normalize import normalize
    from policydiff.normalize.show import document_to_json, document_to_text

    fmt: Any = input_format
    if file == "-":
        document = normalize(sys.stdin.buffer.read(), format=fmt, name="<stdin>")
    else:
        document = normalize(Path(file), format=fmt)
    text = document_to_json(document) if output_format == "json" else document_to_text(document)
    click.echo(text, nl=not text.endswith("\n"))


@main.command("rules")
@click.option(
    "--category", "category", default=None, help="Only rules of this taxonomy category (e.g. purpose.added)."
)
@handle_errors
def rules_command(category: str | None) -> None:
    """List the semantic rules: id, category, default severity, direction, what each one finds."""
    from policydiff.errors import InputError
    from policydiff.semantics import all_rules

    rules = [r for r in all_rules() if category is None or r.category == category]
    if not rules:
        raise InputError(f"no rule has the category {category!r} (see 'policydiff rules' for the list)")
    id_width = max(len(r.id) for r in rules)
    cat_width = max(len(r.category) for r in rules)
    for r in rules:
        head = f"{r.id:<{id_width}}  {r.category:<{cat_width}}  {r.severity:<6}  {r.direction:<11}"
        click.echo(f"{head}  {r.description}")
