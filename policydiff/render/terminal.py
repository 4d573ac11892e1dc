"""Terminal output: findings first, then the redline, readable in colour and when piped.

With colour, deletions are red and struck through, insertions green and underlined; without it
(a pipe, ``NO_COLOR``), the same cues are spelled ``[-old-]`` and ``{+new+}`` as ``git diff --word-diff``.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from policydiff.model import ClauseChange, Comparison, Finding
from policydiff.render import KIND_LABELS, plural

__all__ = ["to_terminal"]


INDENT = 4
_HEIGHT = 25  # never used for layout (no pager, no full-screen), only spares a lookup per line
_SEVERITY_STYLE = {"high": "bold white on red", "medium": "bold black on yellow", "low": "bold white on blue"}


def to_terminal(comparison: Comparison, *, color: bool = False, width: int = 100) -> str:
    """The comparison as text for a terminal; ``color`` adds ANSI styles on top of the text cues."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        soft_wrap=False,
        height=_HEIGHT,  # a known size: rich would otherwise ask the OS for it on every print
    )
    out = _Out(console, buffer, plain=not color)
    _header(out, comparison)
    if comparison.findings:
        out.print(Text(f"Findings ({len(comparison.findings)})", style="bold"))
        for finding in comparison.findings:
            _finding(out, finding, bundle=comparison.bundle)
        out.print()
    for diff in comparison.documents:
        material = [c for c in diff.changes if c.material]
        if comparison.bundle:
            out.print(
                Text(
                    f"== {diff.name} ({diff.status}, {plural(len(material), 'material change')})",
                    style="bold",
                )
            )
        for section_change in diff.section_changes:
            line = Text(f"  section {section_change.kind}: ")
            line.append(f"{section_change.old_title or ''} -> {section_change.new_title or ''}")
            out.print(line)
        for change in material:
            _change(out, change, color=color)
    return buffer.getvalue()


class _Out:
    """Where the report's lines go: through rich, except a plain (no colour) line of printable ASCII
    that fits the width, which rich would write unchanged: that one is written directly. Rich costs
    ~0.1 ms a line; a report of 100,000 added headings or table rows is mostly such lines."""

    def __init__(self, console: Console, buffer: io.StringIO, *, plain: bool) -> None:
        self.console = console
        self.buffer = buffer
        self.plain = plain

    def direct(self, line: str, indent: int = 0, wrap: int | None = None) -> bool:
        """Write ``line`` (indented, trailing spaces dropped) directly when rich would write it as is."""
        if not (self.plain and line.isascii() and line.isprintable()):
            return False
        if wrap is not None and len(line) > wrap:
            return False
        out = " " * indent + (line.rstrip() if wrap is not None else line)
        if len(out) >= self.console.width:
            return False
        self.buffer.write(out + "\n")
        return True

    def print(self, text: Text | None = None) -> None:
        if not self.direct(text.plain if text is not None else ""):
            self.console.print(text if text is not None else "")


def _header(out: _Out, comparison: Comparison) -> None:
    summary = comparison.summary
    old = comparison.old.source if comparison.old else "?"
    new = comparison.new.source if comparison.new else "?"
    title = Text("policydiff ", style="bold")
    title.append(f"{old} -> {new}")
    out.print(title)
    kinds = ", ".join(f"{n} {KIND_LABELS.get(k, k)}" for k, n in sorted(summary.by_kind.items()))
    sev = summary.findings_by_severity
    out.print(
        Text(
            plural(summary.material_changes, "material change")
            + (f" ({kinds})" if kinds else "")
            + f"; {plural(summary.findings, 'finding')}"
            + f" (high {sev.get('high', 0)}, medium {sev.get('medium', 0)}, low {sev.get('low', 0)})"
        )
    )
    out.print()


def _finding(out: _Out, finding: Finding, *, bundle: bool) -> None:
    line = Text()
    line.append(f" {finding.severity.upper()} ", style=_SEVERITY_STYLE.get(finding.severity, "bold"))
    line.append(f" {finding.category}", style="bold")
    line.append(f"  [{finding.rule}, {finding.direction}]")
    if finding.announced:
        line.append(f"  announced{' for ' + finding.date if finding.date else ''}", style="italic")
    if finding.id:
        line.append(f"  id {finding.id}", style="dim")
    _indented(out, line, first=0)
    _indented(out, Text(finding.explanation))
    where = finding.document + ": " if bundle and finding.document else ""
    if finding.old_text is not None:
        place = finding.old_location or finding.old_clause or ""
        _quoted(out, f"old {where}{place}: ", finding.old_text, "red")
    if finding.new_text is not None:
        place = finding.new_location or finding.new_clause or ""
        _quoted(out, f"new {where}{place}: ", finding.new_text, "green")
    if finding.related_text is not None:
        loc = f"{finding.related_document or ''} {finding.related_clause or ''}".strip()
        _quoted(out, f"see {loc}: ", finding.related_text, "yellow")


def _indented(out: _Out, text: Text, *, first: int = INDENT) -> None:
    """Print ``text`` indented by four columns (the first line by ``first``), wrapped lines included,
    with no trailing padding."""
    wrap = max(20, out.console.width - INDENT)
    if out.direct(text.plain, first, wrap):
        return
    for number, line in enumerate(text.wrap(out.console, wrap)):
        line.rstrip()
        out.print(Text(" " * (first if number == 0 else INDENT)) + line)


def _quoted(out: _Out, prefix: str, text: str, style: str) -> None:
    line = Text(prefix)
    line.append(f'"{text}"', style=style)
    _indented(out, line)


def _change(out: _Out, change: ClauseChange, *, color: bool) -> None:
    old_place = change.old_location or _ids(change.old_id)
    new_place = change.new_location or _ids(change.new_id)
    same = old_place == new_place and change.old_location is not None
    places = new_place if same else " -> ".join(part for part in (old_place, new_place) if part)
    head = Text(f"[{KIND_LABELS.get(change.kind, change.kind)}] ", style="bold cyan")
    head.append(places)
    if change.degraded:
        head.append("  (word diff degraded: time budget hit)", style="bold yellow")
    out.print(head)
    body = Text()
    if change.kind == "added":
        _insert(body, change.new_text or "", color)
    elif change.kind == "removed":
        _delete(body, change.old_text or "", color)
    elif change.ops:
        for op in change.ops:
            if op.op == "equal":
                body.append(op.text)
            elif op.op == "delete":
                _delete(body, op.text, color)
            else:
                _insert(body, op.text, color)
    elif change.kind == "moved":
        body.append(change.new_text or "")
    else:
        _delete(body, change.old_text or "", color)
        body.append(" ")
        _insert(body, change.new_text or "", color)
    _indented(out, body)


def _ids(value: str | tuple[str, ...] | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else "+".join(value)


def _delete(text: Text, words: str, color: bool) -> None:
    if color:
        text.append(words, style="red strike")
    else:
        text.append(f"[-{words}-]")


def _insert(text: Text, words: str, color: bool) -> None:
    if color:
        text.append(words, style="green underline")
    else:
        text.append(f"{{+{words}+}}")
