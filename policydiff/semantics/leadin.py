"""Inherited frames: a list item, table row or bare noun phrase read with the words that govern it.

"We use your information to: - deliver orders; - measure advertising" -- the item "measure advertising"
has no subject and no verb of its own; its frame comes from the lead-in sentence ending with a colon
above it, from the table's header row, or from its section heading. ``lead_ins`` finds that governing
text for the clauses that rules will look at (once per document diff); ``inherit`` gives a sentence
the lead-in's practice (for an item without one) or its user subject ("You must not: - sell the
content" is the user's conduct, not the service's practice), or its negation ("We will never: - sell your
data" is the service's promise not to sell it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from policydiff.model import Clause, Document
from policydiff.semantics.cues import Cue
from policydiff.semantics.frames import PRACTICES, SHARING, Analysis, Frame
from policydiff.semantics.lexicon import FIRST_PARTY, is_third_party

_ITEMS = ("list_item", "table_row")
_LOOK_BACK = 40  # items between an item and its lead-in, at most


def lead_ins(doc: Document | None, wanted: Iterable[str]) -> dict[str, str]:
    """For each wanted clause id: the text that governs it (lead-in, table header or heading), if any."""
    if doc is None:
        return {}
    want = set(wanted)
    if not want:
        return {}
    titles = {s.id: s.title for s in doc.sections()}
    clauses = list(doc.clauses())
    out: dict[str, str] = {}
    for at, clause in enumerate(clauses):
        if clause.id not in want:
            continue
        lead = _governing(clauses, at) or (
            "" if heading_like(clause) else titles.get(clause.section_id) or ""
        )
        if lead.strip():
            out[clause.id] = lead.strip()
    return out


_HEADING_WORDS = 8
_END_MARK = re.compile(r"[.!?;:,)\]\"”']\s*$")


def heading_like(clause: Clause) -> bool:
    """A heading, or a paragraph that reads as one ("Personalised advertising"): a few words, no closing
    punctuation, not a list item or table row. It titles what follows; the section's title does not make
    it a practice."""
    if clause.kind == "heading":
        return True
    text = clause.text.strip()
    return (
        clause.kind == "paragraph"
        and text[:1].isupper()
        and len(text.split()) <= _HEADING_WORDS
        and _END_MARK.search(text) is None
    )


def _governing(clauses: list[Clause], at: int) -> str | None:
    clause = clauses[at]
    if clause.kind == "table_row":
        first = at
        while first > 0 and clauses[first - 1].kind == "table_row" and at - first < _LOOK_BACK:
            first -= 1
        return clauses[first].text if first < at else None
    for back in range(at - 1, max(-1, at - _LOOK_BACK), -1):
        prev = clauses[back]
        if prev.section_id != clause.section_id:
            return None
        if prev.text.rstrip().endswith(":"):
            return prev.text
        if not (_item(prev) and _item(clause)):
            return None
    return None


def _item(clause: Clause) -> bool:
    """A list item or table row, or a fragment that starts in lower case ("to copy ...;")."""
    return clause.kind in _ITEMS or clause.text[:1].islower()


def _at_item(cue: Cue, item: Analysis, slot: str) -> Cue:
    """A lead-in's cue shown on the item's first data or purpose words, so evidence stays in the item."""
    anchor = next(c for c in item.cues if c.slot in ("data", "purpose", "actor"))
    return Cue(slot, cue.key, anchor.start, anchor.end, anchor.text)


# a lead naming where data comes from: "We obtain data from these sources:", a "Source" column, a heading
# "Information from other sources" (the lexicon's source cues, or these words)
_SOURCE_LEAD = re.compile(
    r"\bfrom\s+(?:these|the following|the sources below|other|third|outside|external)\b|\bfrom:?\s*$"
    r"|^\W*(?:(?:categor(?:y|ies)|types?|kinds?) of )?"
    r"(?:sources?|origin|where (?:we get|it comes from|the data comes from))\s*(?:\||of (?:personal )?"
    r"(?:data|information)|$)",
    re.IGNORECASE,
)
_ITEM_HEAD = re.compile(r"[^|,;:(]{2,60}?(?=\s*(?:[|,;:(]|\bwhen\b|\bif\b|\bwho\b|\bthat\b|$))")


def _source_item(item: Analysis, lead: Analysis) -> Analysis:
    """An item under a lead that names sources is a source itself: its head ("your employer") is one."""
    if item.of("source") or not (lead.of("source") or _SOURCE_LEAD.search(lead.text)):
        return item
    if any(f.negated for f in (*item.frames, *lead.frames)):
        return item
    head = _ITEM_HEAD.match(item.text, len(item.text) - len(item.text.lstrip("-*• ")))
    if head is None or not head.group(0).strip():
        return item
    start, end = head.span()
    first = next((c for c in item.cues if c.start >= start), None)
    if (
        first is not None
        and first.start < start + 6
        and first.slot == "actor"
        and not is_third_party(first.key)
    ):
        return item  # "you, when you fill in a form", "us": not an outside source
    cue = Cue("source", "origin", start, end, item.text[start:end])  # read from the lead, not the lexicon
    return attrs.evolve(item, cues=tuple(sorted((*item.cues, cue), key=lambda c: (c.start, c.slot))))


# a table column of sources: "Categories of sources", "Source", "Where we get it", "Obtained from"
_SOURCE_COLUMN = re.compile(
    r"^\s*(?:(?:categor(?:y|ies)|types?|kinds?) of )?sources?\b"
    r"|^\s*where (?:we get|it comes from|the data comes from)|^\s*(?:obtained|received|collected) from\b",
    re.IGNORECASE,
)
# a member of a cell's list: "You; advertising networks, data brokers and public records"
_MEMBER = re.compile(r"[^;,/]+?(?=\s*(?:[;,/]|\band\b|\bor\b|$))", re.IGNORECASE)
_CONJUNCTION = re.compile(r"^(?:(?:and|or)\b\s*)+", re.IGNORECASE)


def _cells(text: str) -> list[tuple[int, int]]:
    """The spans of a table row's cells (``|``-separated, outer bars dropped)."""
    spans, start = [], 0
    for at, ch in enumerate(text + "|"):
        if ch == "|":
            spans.append((start, at))
            start = at + 1
    if spans and not text[slice(*spans[-1])].strip():
        spans.pop()  # a closing bar
    if spans and not text[slice(*spans[0])].strip():
        spans.pop(0)  # an opening bar
    return spans


def _source_cells(item: Analysis, lead: Analysis) -> Analysis:
    """A table row under a header with a column of sources: each outside party in that column's cell
    is a source ("| Identifiers | You; advertising networks |"); the user and the service are not."""
    if "|" not in lead.text or "|" not in item.text or any(f.negated for f in lead.frames):
        return item
    heads = [lead.text[s:e] for s, e in _cells(lead.text)]
    column = next((i for i, h in enumerate(heads) if _SOURCE_COLUMN.search(h)), None)
    cells = _cells(item.text)
    if column is None or column >= len(cells):
        return item
    start, end = cells[column]
    parties = sorted(
        (c for c in item.cues if start <= c.start < end and c.slot in ("actor", "origin")),
        key=lambda c: c.start,
    )
    added, next_party = [], 0  # members and parties both run left to right: one pass over each
    for member in _MEMBER.finditer(item.text, start, end):
        words = _CONJUNCTION.sub("", member.group(0).strip())
        if not words:
            continue
        at = member.start() + member.group(0).index(words)
        while next_party < len(parties) and parties[next_party].start < at:
            next_party += 1
        inside = []
        for party in parties[next_party:]:
            if party.start >= at + len(words):
                break
            inside.append(party)
        if any(c.slot == "origin" or is_third_party(c.key) for c in inside):
            # an outside party ("advertising networks", "your employer"); not "your device", "you, when
            # you call us", "our website"
            added.append(Cue("source", "origin", at, at + len(words), words))
    if not added:
        return item
    return attrs.evolve(item, cues=tuple(sorted((*item.cues, *added), key=lambda c: (c.start, c.slot))))


# a lead that names who receives data: a "Recipient" or "Who receives it" column, "Shared with:", "We
# disclose your data to:" without a verb the lexicon reads, a heading "Third parties we share data with"
_RECIPIENT_LEAD = re.compile(
    r"^\W*(?:who (?:receives|gets|we share (?:it|data|information) with)|(?:categories of )?recipients?"
    r"|(?:shared|disclosed) (?:with|to)|third part(?:y|ies) (?:we share|who receive))\b",
    re.IGNORECASE,
)


def _recipient_item(item: Analysis, lead: Analysis) -> Analysis:
    """A row or item under a lead naming recipients, headed by a third party, discloses to it.

    "| Who receives it | What they receive |" over "| Advertising networks | Device identifiers |": the
    networks receive the identifiers. The frame is anchored on the party (the item has no verb).
    """
    if any(f.action.key in SHARING for f in item.frames) or any(f.negated for f in lead.frames):
        return item
    start = _recipient_cell(item.text, lead.text)
    head = next((c for c in item.cues if c.slot == "actor" and c.start >= start), None)
    if start < 0 or head is None or head.start > start + 6 or not is_third_party(head.key):
        return item
    action = Cue("action", "share", head.start, head.end, head.text)
    parties = [(c.start, c.end) for c in item.cues if c.slot == "actor"]
    after = head.end if _RECIPIENT_LEAD.search(lead.text) else 0  # a "Recipients" column: any cell's data
    data = tuple(  # the row's data, not a word of a party's name ("our email provider")
        c
        for c in item.cues
        if c.slot == "data" and c.start >= after and not any(s <= c.start < e for s, e in parties)
    )
    frame = Frame(action=action, passive=True, data=data, recipients=(head,))
    return attrs.evolve(item, frames=(*item.frames, frame))


def _recipient_cell(item: str, lead: str) -> int:
    """Where the item's recipients start: the item itself under a lead naming recipients, the cell of
    the "Recipients" column of a table row ("| Data | Purpose | Recipients |"); -1 when none."""
    if _RECIPIENT_LEAD.search(lead):
        return len(item) - len(item.lstrip("-*•| "))
    header = lead.strip().strip("|").split("|")
    column = next((n for n, cell in enumerate(header) if _RECIPIENT_LEAD.search(cell)), -1)
    if column < 1:
        return -1
    at = item.index("|") + 1 if item.lstrip().startswith("|") else 0
    for _ in range(column):
        at = item.find("|", at) + 1
        if at == 0:
            return -1
    return at + len(item[at:]) - len(item[at:].lstrip())


# a lead that names the data and ends on a purpose marker ("We use your information to:", "... for the
# following purposes:"): its items are purposes, the nouns in them no data of their own
_PURPOSE_LEAD = re.compile(
    r"\b(?:to|for|in order to|purposes?(?: such as| including)?)\s*:\s*$", re.IGNORECASE
)


_LAST_SENTENCE = re.compile(r".*[.!?]\s", re.DOTALL)


def _negated_item(item: Analysis, lead: Analysis) -> Analysis:
    """An item under a negated lead-in without a verb ("We will never:", "We do not:") is negated by it:
    "- sell your data;" is the service's promise not to sell it."""
    if not lead.text.rstrip().endswith(":"):
        return item
    last = _LAST_SENTENCE.search(lead.text)  # the sentence that ends with the colon
    start = last.end() if last else 0
    first = [a for a in lead.of("actor") if a.key in FIRST_PARTY and a.start >= start]
    negation = [c for c in lead.of("negation") if c.start >= start]
    if not (first and negation) or any(f.action.start >= start for f in lead.frames):
        return item
    frames = tuple(
        attrs.evolve(
            f,
            negated=True,
            modality="prohibit",
            actors=(Cue("actor", first[0].key, f.action.start, f.action.end, f.action.text),),
        )
        if not f.actors and not f.negated
        else f
        for f in item.frames
    )
    return attrs.evolve(item, frames=frames) if frames != item.frames else item


def inherit(item: Analysis, lead: Analysis | None) -> Analysis:
    """``item`` with the frame its lead-in gives it (see the module docstring)."""
    if lead is None:
        return item
    item = _recipient_item(_source_item(_source_cells(item, lead), lead), lead)
    negated = _negated_item(item, lead)
    if negated is not item or not lead.frames:
        return negated
    governing = lead.frames[-1]
    user = [a for a in governing.actors if a.key == "user"]
    if user and governing.actors and len(user) == len(governing.actors):
        frames = tuple(f if f.actors else attrs.evolve(f, actors=tuple(user)) for f in item.frames)
        return attrs.evolve(item, frames=frames)
    if any(f.action.key in PRACTICES for f in item.frames) or governing.action.key not in PRACTICES:
        return item
    data = tuple(c for c in item.cues if c.slot == "data")
    if governing.data and _PURPOSE_LEAD.search(lead.text):
        data = ()  # "We use information to: - help you discover content": the item is the purpose
    purposes = tuple(c for c in item.cues if c.slot == "purpose")
    # "We may share information about you with: - insurance partners": the item names the recipient
    receivers = tuple(c for c in item.cues if c.slot == "actor" and governing.action.key in SHARING)
    if not data and not purposes and not receivers:
        return item
    frame = Frame(
        action=_at_item(governing.action, item, "action"),
        modality=governing.modality,
        negated=governing.negated,
        passive=governing.passive,
        actors=tuple(_at_item(a, item, "actor") for a in governing.actors if a.key in FIRST_PARTY),
        data=data,
        recipients=tuple(c for c in receivers if c.key not in FIRST_PARTY),
        purposes=purposes,
        conditions=tuple(c for c in item.cues if c.slot == "condition"),
        inherited_data=tuple(sorted({c.key for c in governing.data})) if not data else (),
    )
    return attrs.evolve(item, frames=(*item.frames, frame))
