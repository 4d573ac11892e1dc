"""The ``policydiff`` command: thin click wrappers over the library; errors exit 2 with one line.

Each command lives in its own section below; it parses arguments, calls the library, and prints.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from policydiff import __version__
from policydiff.errors import PolicyDiffError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_ERROR = 2


def fail(message: str) -> None:
    """Print ``policydiff: error: MESSAGE`` to stderr and exit 2."""
    click.echo(f"policydiff: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def handle_errors(func: F) -> F:
    """Turn policydiff's own errors (and unreadable files) into one line on stderr and exit 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PolicyDiffError as exc:
            fail(str(exc))
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            fail(f"{exc.filename}: {exc.strerror}")
        except KeyboardInterrupt:
            click.echo("policydiff: interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


class _Group(click.Group):
    """A click group whose usage errors also exit 2 with ``policydiff: error:``."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            kwargs["standalone_mode"] = False
            return super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
            sys.exit(EXIT_ERROR)
        except click.UsageError as exc:
            fail(exc.format_message())
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("policydiff: aborted", err=True)
            sys.exit(130)
        except click.ClickException as exc:
            fail(exc.format_message())
        return None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policydiff")
def main() -> None:
    """policydiff: what changed in a privacy policy, and which changes touch consent."""


# ---------------------------------------------------------------------------------------- commands
# Each command below is added by the stage that owns it.


# ---------------------------------------------------------------------------------------- compare


def _resolve_side(argument: str, store: str | None) -> Any:
    """A file or directory path, or a store reference ``SERVICE/DOCUMENT@DATE`` (with ``--store``)."""
    path = Path(argument)
    if path.exists():
        return path
    if "@" in argument:
        if store is None:
            fail(f"{argument}: no such file; to compare stored versions, give the store with --store DIR")
            return None
        from policydiff.store import resolve_reference

        return resolve_reference(Path(store), argument)
    fail(f"{argument}: no such file or directory")
    return None


def write_output(path: str, text: str) -> None:
    """Write ``text`` to ``path`` atomically, so a reader never sees half a report."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        fail(f"{path}: cannot write output: {exc.strerror or exc}")


@main.command("compare")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["terminal", "json", "markdown", "html"]),
    default="terminal",
    show_default=True,
    help="Output format.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are material changes, 0 when none.")
@click.option(
    "--fail-on",
    type=click.Choice(["high", "medium", "low"]),
    help="Exit 1 when a finding at or above this severity exists, 0 otherwise.",
)
@click.option(
    "--input-format",
    type=click.Choice(["html", "markdown", "text"]),
    help="Read both sides as this format instead of detecting it.",
)
@click.option("--store", type=click.Path(file_okay=False), help="Snapshot store for SERVICE/DOCUMENT@DATE.")
@click.option("--title", help="Service or document name for report headers.")
@click.option("--color/--no-color", default=None, help="Force colour on or off (default: when a terminal).")
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
    disable_rules: tuple[str, ...],
) -> None:
    """Compare OLD and NEW (files, directories of a bundle, or store references)."""
    from policydiff.compare import compare
    from policydiff.model import SEVERITY_RANK

    old_side = _resolve_side(old, store)
    new_side = _resolve_side(new, store)
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
    if disable_rules:
        options["disable_rules"] = disable_rules
    result = compare(old_side, new_side, **options)

    if output_format == "json":
        text = result.to_json()
    elif output_format == "markdown":
        text = result.to_markdown()
    elif output_format == "html":
        text = result.to_html()
    else:
        use_color = color if color is not None else (output is None and sys.stdout.isatty())
        use_color = use_color and "NO_COLOR" not in os.environ if color is None else use_color
        width = shutil.get_terminal_size((100, 24)).columns if output is None else 100
        text = result.to_terminal(color=use_color, width=width)

    if output:
        write_output(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))

    status = 0
    if exit_code and result.summary.material_changes:
        status = 1
    if fail_on and any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in result.findings):
        status = 1
    sys.exit(status)


# ---------------------------------------------------------------------------------------- targets


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

    fetch, select, remove and combine are imported; JavaScript filters, range selectors and
    client-side scripts cannot be honoured and are printed as warnings.
    """
    import tempfile

    from policydiff.targets import Targets, append_targets, import_ota, parse_targets

    out = Path(output)
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    existing = parse_targets(text, path=output) if text.strip() else Targets(())
    merged, warnings = import_ota(declarations_dir, existing=existing)
    added = Targets(merged.documents[len(existing.documents) :])
    comment = f"imported from Open Terms Archive declarations in {declarations_dir}"
    new_text = append_targets(text, added, path=output, comment=comment)
    if new_text != text:
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=out.parent or ".", prefix=f".{out.name}.", delete=False
        ) as tmp:
            tmp.write(new_text)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp.name, out)
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
        click.echo(f"{target.key}  {target.url}{selectors}")
    click.echo(f"{targets_file}: {len(targets)} document(s) of {len(targets.services())} service(s), valid")


# ---------------------------------------------------------------------------- watch and store (issue 7)


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

    click.echo("policydiff demo: replaying the example snapshots of a fictional service, date by date")
    result = run_demo(
        report_dir,
        snapshots_dir=snapshots_dir,
        store_dir=store_dir,
        log=lambda line: click.echo(f"  {line}"),
    )
    changes = [change for run in result.runs for change in run.changes]
    severity = {"high": 0, "medium": 0, "low": 0}
    for change in changes:
        for name, count in change.findings_by_severity.items():
            severity[name] = severity.get(name, 0) + count
    click.echo(
        f"{len(result.runs)} runs, {len(changes)} changes compared, {sum(severity.values())} findings "
        f"({severity['high']} high, {severity['medium']} medium, {severity['low']} low)"
    )
    if store_dir:
        click.echo(f"store kept in {store_dir}: try `policydiff history acme-social --store {store_dir}`")
    click.echo(f"open {result.index.resolve()}")


# ---------------------------------------------------------------------------- normalize: show (issue 3)


@main.command("show")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Print the tree as indented text or as JSON.",
)
@click.option(
    "--input-format",
    type=click.Choice(["html", "markdown", "text"]),
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


@main.command("history")
@click.argument("selector")
@click.option("--store", "store_dir", required=True, type=click.Path(file_okay=False), help="Store folder.")
@click.option("--no-compute", is_flag=True, help="Do not compare versions watch never compared.")
@handle_errors
def history_command(selector: str, store_dir: str, no_compute: bool) -> None:
    """List the stored versions of SERVICE or SERVICE/DOCUMENT with dates, hashes and findings."""
    from policydiff.store import history

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
    from policydiff.store import backfill
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


# ---------------------------------------------------------------------------- semantics: rules (issue 5)


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
