"""The values rules work on: sentences, the context a rule sees, what it returns, and the rule itself.

A clause rule sees one ``Context``: the old and new sentence of a pair (either may be absent: a
sentence that appeared or disappeared), the sentences of the aligned clauses on each side (so
"already there before" means "somewhere in the old clause", not only in the paired sentence) and
the facts of both whole document versions. It returns a ``Hit`` (explanation, evidence cues,
optional severity/direction override) or ``None``. A bundle rule sees every document diff of a
comparison and the permissions its clause rules found. The engine turns hits into ``Finding``s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import attrs

from policydiff.model import Clause, Direction, DocumentDiff, Finding, Severity
from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import Analysis, Frame
from policydiff.semantics.text import EMPTY, DocumentFacts, normalize_text

Side = Literal["old", "new"]


@attrs.frozen
class Sent:
    """A sentence of a clause: verbatim ``text`` at ``start`` in the clause; ``pos`` orders clauses."""

    clause_id: str
    text: str
    start: int
    pos: int
    key: str


def clause_sentences(clause: Clause, pos: int) -> list[Sent]:
    """The sentences of ``clause`` as verbatim substrings (the whole text when none are marked)."""
    spans = [(s.start, s.end) for s in clause.sentences] or [(0, len(clause.text))]
    out: list[Sent] = []
    for start, end in spans:
        raw = clause.text[start:end]
        stripped = raw.strip()
        if not stripped:
            continue
        offset = start + (len(raw) - len(raw.lstrip()))
        out.append(Sent(clause.id, stripped, offset, pos, normalize_text(stripped)))
    return out


@attrs.frozen
class Context:
    """What a clause rule sees: a sentence pair, the sentences of the aligned clauses, both documents."""

    old: Analysis | None
    new: Analysis | None
    old_group_fn: Callable[[], tuple[Analysis, ...]] = attrs.field(default=tuple, eq=False, repr=False)
    new_group_fn: Callable[[], tuple[Analysis, ...]] = attrs.field(default=tuple, eq=False, repr=False)
    old_facts: DocumentFacts = attrs.field(default=EMPTY, eq=False, repr=False)
    new_facts: DocumentFacts = attrs.field(default=EMPTY, eq=False, repr=False)
    _memo: dict[str, tuple[Analysis, ...]] = attrs.field(factory=dict, eq=False, repr=False)

    @property
    def old_group(self) -> tuple[Analysis, ...]:
        """The sentences of the aligned old clause(s), read only when a rule asks (most never do)."""
        if "old" not in self._memo:
            self._memo["old"] = self.old_group_fn()
        return self._memo["old"]

    @property
    def new_group(self) -> tuple[Analysis, ...]:
        """The sentences of the aligned new clause(s), read only when a rule asks."""
        if "new" not in self._memo:
            self._memo["new"] = self.new_group_fn()
        return self._memo["new"]

    def known(self, cue: Cue) -> bool:
        """True when the old version of the document already used these exact words somewhere."""
        return self.old_facts.contains(cue.text)

    def kept(self, cue: Cue) -> bool:
        """True when the new version of the document still uses these exact words somewhere."""
        return self.new_facts.contains(cue.text)


@attrs.frozen
class Hit:
    """A rule firing: one plain sentence, the cues (with their side), optional overrides."""

    explanation: str
    evidence: tuple[tuple[Cue, Side], ...]
    severity: Severity | None = None
    direction: Direction | None = None


@attrs.frozen
class Permission:
    """A permission that a changed sentence adds: a third party gets, uses or trains on data."""

    document: str
    sent: Sent
    old_clause: str | None
    frame: Frame
    party: Cue


ClauseFn = Callable[[Context], "Hit | None"]


@attrs.frozen
class Rule:
    """A rule of the table: stable id, taxonomy category, default severity and direction, description."""

    id: str
    category: str
    severity: Severity
    direction: Direction
    description: str


@attrs.frozen
class ClauseRule(Rule):
    """A rule over one sentence pair of a document (``fn`` returns a ``Hit`` or None)."""

    fn: ClauseFn = attrs.field(eq=False, repr=False, kw_only=True)


BundleFn = Callable[[Sequence[DocumentDiff], Sequence[Permission], "BundleRule"], list[Finding]]


@attrs.frozen
class BundleRule(Rule):
    """A rule over the documents of a bundle and the permissions the clause rules found."""

    fn: BundleFn = attrs.field(eq=False, repr=False, kw_only=True)
