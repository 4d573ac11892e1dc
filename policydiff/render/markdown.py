"""Markdown output: findings first, then each change, for tickets, pull requests and e-mail.

Deletions are ``~~struck~~`` and insertions ``**bold**``; document text is escaped so that nothing in a
policy can become markup (or raw HTML) in the rendered report.
"""

from __future__ import annotations

import re

from policydiff.model import ClauseChange, Comparison, Finding
from policydiff.render import KIND_LABELS

__all__ = ["escape", "to_markdown"]

_SPACE = re.compile(r"\s+")
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>|~&])")


def escape(text: str) -> str:
    """Escape Markdown and HTML syntax so that ``text`` renders literally, on one line."""
    return _SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text))


def to_markdown(comparison: Comparison) -> str:
    """The comparison as a Markdown report."""
    summary = comparison.summary
    old = comparison.old.source if comparison.old else "?"
    new = comparison.new.source if comparison.new else "?"
    lines = [f"# policydiff: {escape(comparison.title or old)}", ""]
    lines.append(
        f"- old: `{_code(old)}`" + (f" (sha256 `{comparison.old.sha256}`)" if comparison.old else "")
    )
    lines.append(
        f"- new: `{_code(new)}`" + (f" (sha256 `{comparison.new.sha256}`)" if comparison.new else "")
    )
    sev = summary.findings_by_severity
    lines.append(
        f"- {summary.material_changes} material changes; {summary.findings} findings "
        f"(high {sev.get('high', 0)}, medium {sev.get('medium', 0)}, low {sev.get('low', 0)})"
    )
    lines.append("")
    if comparison.findings:
        lines += ["## Findings", ""]
        for finding in comparison.findings:
            lines += _finding(finding, bundle=comparison.bundle)
    for diff in comparison.documents:
        material = [c for c in diff.changes if c.material]
        title = f"## Changes in {escape(diff.name)}" if comparison.bundle else "## Changes"
        lines += [f"{title} ({diff.status}, {len(material)} material)", ""]
        for section_change in diff.section_changes:
            lines.append(
                f"- section {section_change.kind}: {escape(section_change.old_title or '')} → "
                f"{escape(section_change.new_title or '')}"
            )
        if diff.section_changes:
            lines.append("")
        for change in material:
            lines += _change(change)
    return "\n".join(lines).rstrip() + "\n"


def _code(text: str) -> str:
    return text.replace("`", "'")


def _finding(finding: Finding, *, bundle: bool) -> list[str]:
    head = (
        f"### {finding.severity.upper()} · `{finding.category}` · rule `{finding.rule}` ({finding.direction})"
    )
    if finding.announced:
        head += " · announced" + (f" for {finding.date}" if finding.date else "")
    if finding.id:
        head += f" · id `{finding.id}`"
    out = [head, "", escape(finding.explanation), ""]
    doc = f"{escape(finding.document)}: " if bundle and finding.document else ""
    if finding.old_text is not None:
        place = _place(finding.old_location, finding.old_clause)
        out.append(f"- old ({doc}{place}): “{escape(finding.old_text)}”")
    if finding.new_text is not None:
        place = _place(finding.new_location, finding.new_clause)
        out.append(f"- new ({doc}{place}): “{escape(finding.new_text)}”")
    if finding.related_text is not None:
        out.append(
            f"- see ({escape(finding.related_document or '')} `{finding.related_clause or '-'}`): "
            f"“{escape(finding.related_text)}”"
        )
    if finding.evidence:
        cues = ", ".join(f"{escape(e.text)} ({e.cue}, {e.side})" for e in finding.evidence)
        out.append(f"- evidence: {cues}")
    out.append("")
    return out


def _place(location: str | None, clause_id: str | None) -> str:
    """A place as readers name it, linked to the clause id (the anchor in the HTML page)."""
    if clause_id is None:
        return escape(location or "-")
    return f"[{escape(location or clause_id)}](#{_anchor(clause_id)})"


def _anchor(clause_id: str) -> str:
    return re.sub(r"[^\w.:-]", "_", clause_id)


def _change(change: ClauseChange) -> list[str]:
    old_place = _place(change.old_location, change.old_ids[0]) if change.old_ids else ""
    new_place = _place(change.new_location, change.new_ids[0]) if change.new_ids else ""
    if change.old_location == change.new_location and old_place and new_place:
        places = new_place  # the same place on both sides: name it once
    else:
        places = " → ".join(p for p in (old_place, new_place) if p)
    head = f"- **{KIND_LABELS.get(change.kind, change.kind)}** {places}"
    if change.degraded:
        head += " (word diff degraded: time budget hit)"
    if change.kind == "added":
        body = f"**{escape(change.new_text or '')}**"
    elif change.kind == "removed":
        body = f"~~{escape(change.old_text or '')}~~"
    elif change.ops:
        body = "".join(_op(op.op, op.text) for op in change.ops)
    elif change.kind == "moved":
        body = escape(change.new_text or "")
    else:
        body = f"~~{escape(change.old_text or '')}~~ **{escape(change.new_text or '')}**"
    return [head, f"  > {body}", ""]


def _op(op: str, text: str) -> str:
    if op == "equal":
        return escape(text)
    stripped = text.strip()
    if not stripped:
        return " "
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    mark = "~~" if op == "delete" else "**"
    return f"{lead}{mark}{escape(stripped)}{mark}{trail}"
