"""Sections across versions: which old section became which new one (by where their clauses went,
then by title, then by place under a mapped parent), and the renames, renumberings, additions and
removals that mapping reveals."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from policydiff.model import Document, Section, SectionChange

__all__ = ["map_sections", "section_changes", "title_key"]


def map_sections(matched: Iterable[tuple[str, str]], old_doc: Document, new_doc: Document) -> dict[str, str]:
    """Old section id -> new section id, by where the majority of a section's clauses went
    (``matched``: the old and new section id of every matched clause pair)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for old_section, new_section in matched:
        votes[old_section][new_section] += 1
    ranked = sorted(
        ((count, o, n) for o, counter in votes.items() for n, count in counter.items()), reverse=True
    )
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for _, o, n in ranked:
        if o not in mapping and n not in used:
            mapping[o] = n
            used.add(n)
    # sections without clauses of their own (or whose clauses all changed): same title, then same
    # place under a mapped parent
    old_sections = {s.id: s for s in old_doc.sections()}
    new_sections = {s.id: s for s in new_doc.sections()}
    by_title: dict[str, list[str]] = defaultdict(list)
    for s in new_sections.values():
        if s.id not in used:
            by_title[title_key(s)].append(s.id)
    for s in old_sections.values():
        if s.id in mapping:
            continue
        same = [n for n in by_title.get(title_key(s), []) if n not in used]
        if len(same) == 1:
            mapping[s.id] = same[0]
            used.add(same[0])
    for old_parent in old_sections.values():
        new_parent_id = mapping.get(old_parent.id)
        if new_parent_id is None:
            continue
        new_parent = new_sections[new_parent_id]
        old_free = [c for c in old_parent.sections if c.id not in mapping]
        new_free = [c for c in new_parent.sections if c.id not in used]
        if len(old_free) == len(new_free):
            for a, b in zip(old_free, new_free, strict=True):
                if a.level == b.level:
                    mapping[a.id] = b.id
                    used.add(b.id)
    mapping = {o: n for o, n in mapping.items() if o in old_sections and n in new_sections}
    return mapping


def title_key(section: Section) -> str:
    return " ".join(section.canonical_title.split()).lower()


def section_changes(
    old_doc: Document, new_doc: Document, mapping: dict[str, str]
) -> tuple[SectionChange, ...]:
    new_sections = {s.id: s for s in new_doc.sections()}
    out: list[SectionChange] = []
    mapped_new = set(mapping.values())
    for s in old_doc.sections():
        n_id = mapping.get(s.id)
        if n_id is None:
            if s.title:
                out.append(SectionChange("removed", s.id, None, s.title, None, material=False))
            continue
        n = new_sections[n_id]
        if title_key(s) != title_key(n):
            out.append(SectionChange("renamed", s.id, n.id, s.title, n.title, material=True))
        elif (s.label or "") != (n.label or ""):
            out.append(SectionChange("renumbered", s.id, n.id, s.title, n.title, material=False))
    for n in new_doc.sections():
        if n.id not in mapped_new and n.title:
            out.append(SectionChange("added", None, n.id, None, n.title, material=False))
    return tuple(out)
