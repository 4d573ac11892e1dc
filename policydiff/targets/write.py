"""``targets.toml`` writing: ``dump_targets`` and ``append_targets`` (existing text kept byte for byte)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from policydiff.targets.lines import toml_key, toml_string
from policydiff.targets.load import parse_targets
from policydiff.targets.values import DocumentTarget, Part, Targets, slugify

__all__ = ["append_targets", "dump_targets"]


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def _toml_inline_table(mapping: Mapping[str, str]) -> str:
    if not mapping:
        return "{}"
    return "{ " + ", ".join(f"{toml_key(k)} = {toml_string(v)}" for k, v in mapping.items()) + " }"


def _toml_part(part: Part) -> str:
    if not part.select and not part.remove:
        return toml_string(part.url)
    fields = [f"url = {toml_string(part.url)}"]
    if part.select:
        fields.append(f"select = {_toml_list(part.select)}")
    if part.remove:
        fields.append(f"remove = {_toml_list(part.remove)}")
    return "{ " + ", ".join(fields) + " }"


def _fetch_lines(doc: DocumentTarget) -> list[str]:
    """The fetch keys that differ from their defaults."""
    lines: list[str] = []
    if doc.browser:
        lines.append("browser = true")
    if doc.robots != "obey":
        lines.append(f"robots = {toml_string(doc.robots)}")
    if doc.robots_reason is not None:
        lines.append(f"robots_reason = {toml_string(doc.robots_reason)}")
    if doc.format is not None:
        lines.append(f"format = {toml_string(doc.format)}")
    return lines


_HEADER = (
    "# policydiff targets: one [services.<key>] per service, one [services.<key>.documents.<key>]\n"
    "# per document (url or parts required; select, remove, headers, locale, browser, robots and\n"
    "# format optional)."
)


def dump_targets(targets: Targets, *, header: bool = True, known_services: Collection[str] = ()) -> str:
    """``targets`` as TOML text that :func:`parse_targets` reads back to an equal value.

    Keys are written in slug form; headers and locale are written per document (service-level
    values were merged in at load time). Services in ``known_services`` get no ``[services.<key>]``
    table of their own (it already exists in the text this is appended to).
    """
    lines: list[str] = [_HEADER] if header else []
    for service_key, docs in targets.services().items():
        if service_key not in known_services:
            lines.append("")
            lines.append(f"[services.{toml_key(service_key)}]")
            name = next((d.service_name for d in docs if d.service_name), None)
            if name:
                lines.append(f"name = {toml_string(name)}")
        for doc in docs:
            lines.append("")
            lines.append(f"[services.{toml_key(service_key)}.documents.{toml_key(slugify(doc.document))}]")
            if doc.document_name:
                lines.append(f"name = {toml_string(doc.document_name)}")
            if doc.parts:
                lines.append(f"parts = [{', '.join(_toml_part(part) for part in doc.parts)}]")
            else:
                lines.append(f"url = {toml_string(doc.url)}")
            if doc.select and not doc.parts:
                lines.append(f"select = {_toml_list(doc.select)}")
            if doc.remove and not doc.parts:
                lines.append(f"remove = {_toml_list(doc.remove)}")
            lines.extend(_fetch_lines(doc))
            if doc.headers:
                lines.append(f"headers = {_toml_inline_table(doc.headers)}")
            if doc.locale is not None:
                lines.append(f"locale = {toml_string(doc.locale)}")
            if doc.allow_internal:
                lines.append(f"allow_internal = {_toml_list(doc.allow_internal)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def append_targets(text: str, new: Targets, *, path: str = "targets.toml", comment: str | None = None) -> str:
    """``text`` (an existing targets file, kept byte for byte) with the ``new`` targets appended.

    Existing comments and layout survive; new documents of an existing service are added as
    tables below it. The result is checked by parsing it again.
    """
    existing = parse_targets(text, path=path) if text.strip() else Targets(())
    keys = {t.key for t in existing.documents}
    fresh = Targets(tuple(t for t in new.documents if t.key not in keys))
    if not fresh.documents:
        return text
    known = set(existing.services())
    parts = [text.rstrip("\n") if text.strip() else _HEADER]
    if comment:
        parts.append("\n".join(f"# {line}" for line in comment.splitlines()))
    parts.append(dump_targets(fresh, header=False, known_services=known))
    combined = "\n\n".join(parts)
    parse_targets(combined, path=path)  # never write a file we cannot read back
    return combined
