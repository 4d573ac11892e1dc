"""``policydiff targets import-ota`` and ``policydiff targets check``."""

from __future__ import annotations

from pathlib import Path

import click

from policydiff.cli.base import handle_errors, main


@main.group("targets")
def targets_group() -> None:
    """Manage targets.toml: the services and documents a watch run fetches."""


@targets_group.command("import-ota")
@click.argument("declarations_dir", type=click.Path(exists=True, file_okay=False, dir_okay=True))
@click.option(
    "-o",
    "--output",
    default="targets.toml",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Targets file to write; an existing file is merged (its entries and comments kept).",
)
@handle_errors
def targets_import_ota(declarations_dir: str, output: str) -> None:
    """Import Open Terms Archive declarations (<Service>.json) from DECLARATIONS_DIR.

    fetch, select, remove, headers, combine (one document of several parts), executeClientScripts
    (browser = true) and PDF sources are imported; JavaScript filters and range selectors cannot be
    honoured and are printed as warnings.
    """
    from policydiff.atomic import atomic_text
    from policydiff.ota import import_ota
    from policydiff.targets import Targets, append_targets, parse_targets

    out = Path(output)
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    existing = parse_targets(text, path=output) if text.strip() else Targets(())
    merged, warnings = import_ota(declarations_dir, existing=existing)
    added = Targets(merged.documents[len(existing.documents) :])
    comment = f"imported from Open Terms Archive declarations in {declarations_dir}"
    new_text = append_targets(text, added, path=output, comment=comment)
    if new_text != text:
        atomic_text(out, new_text)
    for warning in warnings:
        click.echo(f"policydiff: warning: {warning}", err=True)
    services = len({t.service for t in added.documents})
    kept = len(existing.documents)
    click.echo(
        f"{output}: added {len(added.documents)} document(s) of {services} service(s)"
        + (f"; kept the {kept} already there" if kept else "")
        + (f"; {len(warnings)} warning(s)" if warnings else "")
    )


@targets_group.command("check")
@click.argument("targets_file", type=click.Path(dir_okay=False))
@handle_errors
def targets_check(targets_file: str) -> None:
    """Validate TARGETS_FILE and list its documents (errors name the line and key; exit 2)."""
    from policydiff.targets import load_targets

    targets = load_targets(targets_file)
    for target in targets.documents:
        selectors = f"  select {', '.join(target.select)}" if target.select else ""
        extra = [f"+{len(target.parts) - 1} part(s)"] if target.parts else []
        extra += ["browser"] if target.browser else []
        extra += [f"format {target.format}"] if target.format else []
        extra += [f"robots ignored: {target.robots_reason}"] if target.robots == "ignore" else []
        shown = "".join(f"  {item}" for item in extra)
        click.echo(f"{target.key}  {target.url}{selectors}{shown}")
    click.echo(f"{targets_file}: {len(targets)} document(s) of {len(targets.services())} service(s), valid")
