"""Align + diff: match clauses across two versions, then word-level redlines inside edited clauses.

``diff_documents(old, new)`` is :func:`policydiff.diff.align.align` (which clause became which) turned
into ``ClauseChange`` values: only changes are listed, in the new document's order (a removed clause
where it used to be), each edited clause with its word ops (:mod:`policydiff.diff.words`).
Materiality is decided on canonical text: a clause whose canonical text is unchanged is never a
material change, whatever happened to its typography, wrapping, numbering or link targets.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from policydiff.diff.align import DEFAULT_SIMILARITY, Alignment, Match, align
from policydiff.diff.locate import side_index
from policydiff.diff.words import DEFAULT_WORD_TIMEOUT, word_diff, word_keys
from policydiff.errors import ConfigError
from policydiff.model import ChangeKind, Clause, ClauseChange, Document, DocumentDiff, SideIndex, WordOp

__all__ = [
    "DEFAULT_SIMILARITY",
    "DEFAULT_WORD_TIMEOUT",
    "Alignment",
    "Match",
    "align",
    "diff_documents",
    "document_added_or_removed",
    "word_diff",
]

OPTIONS = frozenset({"word_timeout", "similarity", "presentation"})
PART_SEPARATOR = "\n"  # how the parts of a split or merge are joined into one old_text / new_text

_HAS_WORD = re.compile(r"\w")


def diff_documents(old: Document, new: Document, *, name: str = "", **options: Any) -> DocumentDiff:
    """All clause changes between ``old`` and ``new``.

    Options: ``word_timeout`` (seconds the word diff of one clause may take, default 2.0; 0 = no
    limit), ``similarity`` (Dice threshold of the similar-text pass, default 0.5), ``presentation``
    (True to also list clauses whose text changed only in presentation, as non-material).
    """
    unknown = set(options) - OPTIONS
    if unknown:
        raise ConfigError(
            f"unknown diff option(s): {', '.join(sorted(unknown))} (known: {', '.join(sorted(OPTIONS))})"
        )
    timeout = _number(options.get("word_timeout", DEFAULT_WORD_TIMEOUT), "word_timeout", 0.0, None)
    threshold = _number(options.get("similarity", DEFAULT_SIMILARITY), "similarity", 0.01, 1.0)
    presentation = bool(options.get("presentation", False))

    alignment = align(old, new, similarity=threshold)
    old_index = side_index(old)
    new_index = side_index(new)
    builder = _Builder(alignment, old_index, new_index, name, timeout, presentation)
    builder.old_banners = _banners(old)  # ids are per side: never mix the two sets
    builder.new_banners = _banners(new)
    old_to_new: list[int | None] = [None] * len(alignment.old)
    for match in alignment.matches:
        for i in match.old:
            old_to_new[i] = match.new[0]
    return DocumentDiff(
        name=name,
        old=old,
        new=new,
        changes=builder.changes(),
        section_changes=alignment.section_changes,
        old_to_new=old_to_new,
        old_index=old_index,
        new_index=new_index,
    )


def document_added_or_removed(name: str, old: Document | None, new: Document | None) -> DocumentDiff:
    """A bundle document present on one side only: each of its clauses added or removed."""
    changes: list[ClauseChange] = []
    old_index = side_index(old) if old is not None else None
    new_index = side_index(new) if new is not None else None
    if old is not None and old_index is not None and new is None:
        banners = _banners(old)
        for clause in old_index.clauses:
            changes.append(_removed(clause, old_index, name, banners))
    elif new is not None and new_index is not None and old is None:
        banners = _banners(new)
        for clause in new_index.clauses:
            changes.append(_added(clause, new_index, name, banners))
    return DocumentDiff(
        name=name,
        old=old,
        new=new,
        changes=changes,
        old_to_new=[None] * len(old_index.clauses) if old_index is not None else (),
        old_index=old_index,
        new_index=new_index,
    )


# --------------------------------------------------------------------------- helpers


def _number(value: Any, option: str, low: float, high: float | None) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{option} must be a number, not {value!r}") from None
    if number != number or number < low or (high is not None and number > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ConfigError(f"{option} must be {bound}, not {value!r}")
    return number


def _material(texts: Iterable[str]) -> bool:
    return any(_HAS_WORD.search(t) for t in texts)


def _banners(doc: Document) -> frozenset[str]:
    """Ids of clauses that are announcement banners: a change to one is not a change in force."""
    return frozenset(i for a in doc.announcements for i in a.clause_ids)


def _added(clause: Clause, index: SideIndex, name: str, banners: frozenset[str]) -> ClauseChange:
    return ClauseChange(
        kind="added",
        material=_material([clause.canonical]) and clause.id not in banners,
        new_id=clause.id,
        new_section=index.paths.get(clause.section_id, ""),
        new_location=index.locations.get(clause.id),
        new_text=clause.text,
        ops=(WordOp("insert", clause.text),) if clause.text else (),
        similarity=0.0,
        document=name,
    )


def _removed(clause: Clause, index: SideIndex, name: str, banners: frozenset[str]) -> ClauseChange:
    return ClauseChange(
        kind="removed",
        material=_material([clause.canonical]) and clause.id not in banners,
        old_id=clause.id,
        old_section=index.paths.get(clause.section_id, ""),
        old_location=index.locations.get(clause.id),
        old_text=clause.text,
        ops=(WordOp("delete", clause.text),) if clause.text else (),
        similarity=0.0,
        document=name,
    )


def _same_words(olds: Sequence[Clause], news: Sequence[Clause]) -> bool:
    """Whether two clause groups say the same thing: equal canonical text, or equal once whitespace
    is ignored entirely ("publishers ; and" vs "publishers; and" is presentation)."""
    old = " ".join(" ".join(c.canonical for c in olds).split())
    new = " ".join(" ".join(c.canonical for c in news).split())
    return old == new or word_keys(old) == word_keys(new)


def _whole_section_moves(alignment: Alignment) -> set[Match]:
    """Unedited moves that are one whole section moving: every clause of an old section moved,
    unedited and in order, into one new section that holds exactly those clauses."""
    groups: dict[tuple[str, str], list[Match]] = {}
    for match in alignment.matches:
        if match.moved and match.how == "exact":
            key = (alignment.old[match.old[0]].section_id, alignment.new[match.new[0]].section_id)
            groups.setdefault(key, []).append(match)
    if not groups:
        return set()
    old_count = Counter(c.section_id for c in alignment.old)
    new_count = Counter(c.section_id for c in alignment.new)
    quiet: set[Match] = set()
    for (old_section, new_section), matches in groups.items():
        if alignment.section_map.get(old_section) != new_section:
            continue
        if len(matches) != old_count[old_section] or len(matches) != new_count[new_section]:
            continue
        news = [m.new[0] for m in sorted(matches, key=lambda m: m.old[0])]
        if news == sorted(news):
            quiet.update(matches)
    return quiet


class _Builder:
    """Turns an ``Alignment`` into ordered ``ClauseChange`` values."""

    def __init__(
        self,
        alignment: Alignment,
        old_index: SideIndex,
        new_index: SideIndex,
        name: str,
        timeout: float,
        presentation: bool,
    ) -> None:
        self.a = alignment
        self.old_index = old_index
        self.new_index = new_index
        self.name = name
        self.timeout = timeout
        self.presentation = presentation
        self.old_banners: frozenset[str] = frozenset()
        self.new_banners: frozenset[str] = frozenset()
        self.quiet: set[Match] = set()

    def changes(self) -> tuple[ClauseChange, ...]:
        keyed: list[tuple[tuple[float, int, int], ClauseChange]] = []
        # where each old clause landed in the new order, for placing removed clauses
        old_to_new: list[int | None] = [None] * len(self.a.old)
        for match in self.a.matches:
            if not match.moved:
                for i in match.old:
                    old_to_new[i] = match.new[0]
        self.quiet = _whole_section_moves(self.a)
        for match in self.a.matches:
            change = self._match(match)
            if change is not None:
                keyed.append(((float(match.new[0]), 1, match.old[0]), change))
        for j in self.a.added:
            change = _added(self.a.new[j], self.new_index, self.name, self.new_banners)
            keyed.append(((float(j), 1, -1), change))
        for i in self.a.removed:
            anchor = next((old_to_new[k] for k in range(i - 1, -1, -1) if old_to_new[k] is not None), None)
            position = -0.5 if anchor is None else anchor + 0.5
            change = _removed(self.a.old[i], self.old_index, self.name, self.old_banners)
            keyed.append(((position, 0, i), change))
        keyed.sort(key=lambda pair: pair[0])
        return tuple(change for _, change in keyed)

    def _match(self, match: Match) -> ClauseChange | None:
        exact = match.how == "exact"  # canonical text equal by construction
        if exact and not match.moved:  # the common case, kept cheap: an unchanged clause
            if not self.presentation or self.a.old[match.old[0]].text == self.a.new[match.new[0]].text:
                return None
        olds = [self.a.old[i] for i in match.old]
        news = [self.a.new[j] for j in match.new]
        old_text = PART_SEPARATOR.join(c.text for c in olds)
        new_text = PART_SEPARATOR.join(c.text for c in news)
        same_canonical = exact or _same_words(olds, news)
        kind: ChangeKind
        if match.how == "split":
            kind = "split"
        elif match.how == "merged":
            kind = "merged"
        elif match.moved:
            kind = "moved" if same_canonical else "moved_modified"
        elif same_canonical:
            if old_text == new_text or not self.presentation:
                return None  # unchanged (or only presentation, which is not a change)
            kind = "modified"
        else:
            kind = "modified"
        if kind == "moved":
            material = match not in self.quiet  # a section that only moved is not material
        else:
            material = not same_canonical
        if all(c.id in self.old_banners for c in olds) and all(c.id in self.new_banners for c in news):
            material = False  # an announcement banner changed: not a change in force
        diff = word_diff(old_text, new_text, timeout=self.timeout)
        return ClauseChange(
            kind=kind,
            material=material,
            old_id=olds[0].id if len(olds) == 1 else tuple(c.id for c in olds),
            new_id=news[0].id if len(news) == 1 else tuple(c.id for c in news),
            old_section=self.old_index.paths.get(olds[0].section_id, ""),
            new_section=self.new_index.paths.get(news[0].section_id, ""),
            old_location=self.old_index.locations.get(olds[0].id),
            new_location=self.new_index.locations.get(news[0].id),
            old_text=old_text,
            new_text=new_text,
            ops=diff.ops,
            degraded=diff.degraded,
            similarity=round(match.similarity, 4),
            document=self.name,
        )
