"""Test helper for the diff stage: build a ``Document`` from plain lists, no normalizer needed."""

from __future__ import annotations

from collections.abc import Sequence

from policydiff.model import Clause, Document, Section

Spec = Sequence[tuple[str, Sequence[str]]]


def fold(text: str) -> str:
    """A trivial canonical form for tests: whitespace collapsed (typography is tested separately)."""
    return " ".join(text.split())


def make_doc(spec: Spec, *, labels: Sequence[str | None] | None = None, source: str = "<test>") -> Document:
    """A document with one level-1 section per ``(title, clauses)``; an empty title puts the clauses
    at the root. ``labels`` optionally numbers the sections ("1.", "2." ...)."""
    root_clauses: list[Clause] = []
    sections: list[Section] = []
    for k, (title, texts) in enumerate(spec, start=1):
        sid = "s0" if not title else f"s{k}"
        clauses = tuple(
            Clause(
                id=f"{sid}-p{len(root_clauses) + n + 1 if not title else n + 1}",
                section_id=sid,
                text=text,
                canonical=fold(text),
            )
            for n, text in enumerate(texts)
        )
        if not title:
            root_clauses.extend(clauses)
            continue
        label = labels[k - 1] if labels else None
        sections.append(
            Section(id=sid, title=title, canonical_title=fold(title), level=1, label=label, clauses=clauses)
        )
    root = Section(
        id="s0", title="", canonical_title="", level=0, clauses=tuple(root_clauses), sections=tuple(sections)
    )
    return Document(root=root, source=source)
