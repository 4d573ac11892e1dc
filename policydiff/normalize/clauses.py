"""Blocks to a ``Document``: canonical text, labels, sentences, section tree and stable ids.

Ids are positional: section ``s3.2`` is the second sub-section of the third top-level section,
clause ``s3.2-p4`` the fourth clause in it; the root section is ``s0`` and an upcoming version
(a pending-version page) uses ``u`` instead of ``s``. An id therefore changes only when something
before it in the same section (or an earlier sibling section) was added or removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from policydiff.model import Announcement, Clause, Document, Format, Link, Section, Sentence
from policydiff.normalize.announce import find_announcements, find_pending_split
from policydiff.normalize.blocks import HEADING_LEVEL_BOLD, Block
from policydiff.normalize.nfkc import nfkc
from policydiff.normalize.reuse import reused

# --------------------------------------------------------------------------- canonical text

_ZERO_WIDTH = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u034f"
_QUOTES_SINGLE = "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02b9\u00b4"
_QUOTES_DOUBLE = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u301d\u301e"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2e3a\u2e3b"

_REPLACE: dict[str, str] = {c: "" for c in _ZERO_WIDTH}
_REPLACE.update({c: "'" for c in _QUOTES_SINGLE})
_REPLACE.update({c: '"' for c in _QUOTES_DOUBLE})
_REPLACE.update({c: "-" for c in _DASHES})
_REPLACE["\u2026"] = "..."
# no replacement holds a replaced character: the characters present can be replaced in any order
_REPLACED = re.compile("[" + "".join(_REPLACE) + "]")

# Only whitespace that is not already a single space: re.sub then touches a handful of places
# instead of every gap between words (which dominates on multi-megabyte clauses).
WS_TO_COLLAPSE = re.compile(r"[^\S ]\s*| \s+")
_HAS_WORD = re.compile(r"\w")


_STRAY_EMPHASIS = re.compile(r"\*{2,}")


def canonical(text: str) -> str:
    """The comparison form of ``text``: NFKC, no zero-width or soft hyphens, one quote, apostrophe
    and dash style, emphasis markers a Markdown export left unparsed ("** Usage.**") dropped,
    whitespace collapsed. Presentation changes never survive this."""
    if "**" in text:
        text = _STRAY_EMPHASIS.sub("", text)
    if not text.isascii():
        text = nfkc(text)
        for char in set(_REPLACED.findall(text)):
            text = text.replace(char, _REPLACE[char])
    if "  " not in text and text.isprintable():
        # every whitespace character but the space is unprintable: nothing to collapse
        return text.strip()
    return WS_TO_COLLAPSE.sub(" ", text).strip()


# --------------------------------------------------------------------------- labels

_BULLETS = "•·▪◦‣●■□○◆◇►▸‧∙⁃"
_LABEL_COMMON = (
    r"\(\s*(?:\d{1,3}|[a-z]{1,2}|[ivxlcdm]{1,6})\s*\)"  # (a) (1) (iv) (aa)
    r"|\d{1,3}(?:\.\d{1,3})+\.?"  # 3.2  3.2.1.
    r"|\d{1,3}[.)]"  # 1.  1)
    r"|[a-z][.)]"  # a.  b)
    r"|[ivxlcdm]{2,6}[.)]"  # iv.
    rf"|[{_BULLETS}*\-–—]"  # bullets
)
_HEADING_LABEL = re.compile(
    r"^\s*((?:section|article|clause|part|chapter|schedule|annex|§)\s*(?:\d+(?:\.\d+)*|[ivxlcdm]{1,6}\b)[.:)]?|"
    + _LABEL_COMMON
    + r")(?:\s+|$)(?=\S|$)",
    re.IGNORECASE,
)
_PARA_LABEL = re.compile(
    r"^\s*((?:section|article|clause|§)\s*\d+(?:\.\d+)*[.:)]|" + _LABEL_COMMON + r")\s+(?=\S)",
    re.IGNORECASE,
)


_TITLE_SEPARATOR = re.compile(r"^[\s\-–—:.|]+(?=\S)")


def split_label(text: str, *, heading: bool = False) -> tuple[str | None, str]:
    """Split list numbering or a bullet off the front of ``text``: ``"3.2 Data"`` -> ``("3.2", "Data")``."""
    match = (_HEADING_LABEL if heading else _PARA_LABEL).match(text[:80])
    if not match:
        return None, text
    rest = text[match.end() :]
    if heading:
        rest = _TITLE_SEPARATOR.sub("", rest)  # "ARTICLE I - DEFINITIONS", "Section 4: Privacy"
        if not rest.strip():
            return None, text  # the whole heading is a number: keep it as the title
    return match.group(1).strip(), rest


def _normal_label(label: str | None) -> str | None:
    """Bullets of any style are one label, ``-``; numbers keep their form."""
    if label is None:
        return None
    if len(label) == 1 and (label in _BULLETS or label in "*-–—+"):
        return "-"
    return label


# --------------------------------------------------------------------------- sentences

_SENTENCE_CHUNK = 20_000  # nupunkt's cost grows with the text it sees: feed long clauses in chunks
_SENTENCE_LIMIT = 10_000_000  # beyond this a clause is not prose: fixed-size pieces are enough


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """nupunkt's default legal-aware model, loaded once per process."""
    import nupunkt

    return nupunkt.load_default_model()


# Abbreviations that are always followed by more of the same sentence ("e.g. Microsoft").
_NEVER_FINAL = re.compile(
    r"(?:\b(?:e\.g|i\.e|cf|viz|secs?|arts?|nos?|paras?|pp?|vs?|approx|incl|esp|fig|ch|cl|subsec|et al)\.|§)"
    r"\s*$",
    re.IGNORECASE,
)


_INNER_END = re.compile(r"[.!?\u2026\u3002](?=\s*\S)")


def sentences(text: str) -> tuple[Sentence, ...]:
    """Sentence offsets into ``text`` ("Sec. 3.1", "e.g.", "U.K.", "Inc." do not end sentences)."""
    if not text.strip():
        return ()
    if not _INNER_END.search(text):  # no sentence end before the last character: one sentence
        start = len(text) - len(text.lstrip())
        return (Sentence(start, len(text.rstrip())),)
    if len(text) > _SENTENCE_LIMIT:
        spans = _chunks(text, _SENTENCE_CHUNK * 10)
    else:
        spans = []
        tok = _tokenizer()
        for base, end in _chunks(text, _SENTENCE_CHUNK):
            spans.extend((base + s, base + e) for s, e in tok.span_tokenize(text[base:end]))
    out: list[Sentence] = []
    merge = False
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        if merge and out:
            out[-1] = Sentence(out[-1].start, end)
        else:
            out.append(Sentence(start, end))
        merge = bool(_NEVER_FINAL.search(text[max(start, end - 12) : end]))
    return tuple(out)


def _chunks(text: str, size: int) -> list[tuple[int, int]]:
    """Split ``text`` into pieces of about ``size`` characters, at a sentence end or space when possible."""
    spans: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            window = text[start + size // 2 : end]
            cut = max(window.rfind(". "), window.rfind("; "))
            if cut < 0:
                cut = window.rfind(" ")
            if cut >= 0:
                end = start + size // 2 + cut + 1
        spans.append((start, end))
        start = end
    return spans


# --------------------------------------------------------------------------- tree


class _Node:
    __slots__ = ("children", "clauses", "id", "label", "level", "title")

    def __init__(self, node_id: str, level: int, title: str = "", label: str | None = None) -> None:
        self.id = node_id
        self.level = level
        self.title = title
        self.label = label
        self.clauses: list[Clause] = []
        self.children: list[_Node] = []

    def freeze(self) -> Section:
        return Section(
            id=self.id,
            title=self.title,
            canonical_title=canonical(self.title),
            level=self.level,
            label=self.label,
            clauses=tuple(self.clauses),
            sections=tuple(child.freeze() for child in self.children),
        )


def _make_clause(block: Block, clause_id: str, section_id: str, upcoming: bool) -> Clause | None:
    parts = reused("clause parts", block, lambda: _clause_parts(block))
    if parts is None:
        return None
    return Clause(id=clause_id, section_id=section_id, upcoming=upcoming, **parts)


def _clause_parts(block: Block) -> dict[str, Any] | None:
    """A clause's fields that depend on its block alone (all but its ids and ``upcoming``), or None
    for a block without a word."""
    text, links = block.text, block.links
    label = block.label
    if block.kind != "table_row":
        # numbering typed into the text ("(a) ...", also in list items styled without markers) is
        # the label readers see: split it off so renumbering never changes the clause
        found, rest = split_label(text)
        if found is not None and _HAS_WORD.search(rest):
            cut = len(text) - len(rest)
            text = rest
            links = _shift_links(links, cut, len(text))
            label = found
    stripped = text.rstrip()
    if len(stripped) != len(text):
        links = _shift_links(links, 0, len(stripped))
        text = stripped
    canon = canonical(text)
    if not _HAS_WORD.search(canon):
        return None
    kind = block.kind if block.kind != "heading" else "paragraph"
    return {
        "text": text,
        "canonical": canon,
        "kind": kind,
        "label": _normal_label(label),
        "depth": block.depth,
        "sentences": sentences(text),
        "links": links,
    }


def _shift_links(links: Sequence[Link], cut: int, length: int) -> tuple[Link, ...]:
    out = []
    for link in links:
        start, end = max(0, link.start - cut), min(length, link.end - cut)
        if end > start:
            out.append(Link(text=link.text, target=link.target, start=start, end=end))
    return tuple(out)


def _build_tree(blocks: Sequence[Block], prefix: str, upcoming: bool) -> tuple[_Node, list[str | None]]:
    """Sections from headings, clauses from the rest; also each block's resulting id (or None)."""
    root = _Node(f"{prefix}0", 0)
    stack = [root]
    ids: list[str | None] = []
    for block in blocks:
        if block.kind == "heading":
            label, title = split_label(block.text, heading=True)
            label = block.label or label
            title = title.strip()
            if not _HAS_WORD.search(title):
                ids.append(None)
                continue
            level = block.level
            if level >= HEADING_LEVEL_BOLD and label and _DOTTED.match(label):
                level += label.rstrip(".").count(".")  # bold "1.1." sits under bold "1."
            level = min(level, _MAX_LEVEL)  # the tree stays shallow whatever the numbering
            while stack[-1].level >= level and len(stack) > 1:
                stack.pop()
            parent = stack[-1]
            number = len(parent.children) + 1
            node_id = f"{prefix}{number}" if parent is root else f"{parent.id}.{number}"
            node = _Node(node_id, level, title, _normal_label(label))
            parent.children.append(node)
            stack.append(node)
            ids.append(node_id)
            continue
        section = stack[-1]
        clause = _make_clause(block, f"{section.id}-p{len(section.clauses) + 1}", section.id, upcoming)
        if clause is None:
            ids.append(None)
            continue
        section.clauses.append(clause)
        ids.append(clause.id)
    return root, ids


_MAX_HEADING = 160
_MAX_LEVEL = 12
_DOTTED = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")


def _tidy(blocks: Sequence[Block]) -> list[Block]:
    """Demote "headings" that are really prose (long, several sentences) to paragraphs."""
    out: list[Block] = []
    for block in blocks:
        if block.kind == "heading" and (
            len(block.text) > _MAX_HEADING or (len(block.text) > 60 and ". " in block.text.rstrip(". "))
        ):
            block = Block("paragraph", block.text, block.links, depth=block.depth)
        out.append(block)
    return out


def build_document(
    blocks: Sequence[Block],
    *,
    source: str,
    format: Format,
    sha256: str,
    fetched_at: datetime | None = None,
) -> Document:
    """Assemble the ``Document``: the version in force, the upcoming one (if any), announcements."""
    # The sentence model loads with the first document, whatever its clauses: a process that
    # normalizes a small document first (a warm-up) then pays nothing later, mid-comparison.
    _tokenizer()
    blocks = _tidy(blocks)
    split = find_pending_split(blocks)
    upcoming_root: _Node | None = None
    announcements: list[Announcement] = []
    if split is not None:
        upcoming_root, up_ids = _build_tree(blocks[:split], "u", True)
        current_root, cur_ids = _build_tree(blocks[split:], "s", False)
        announcements.extend(find_announcements(blocks[:split], up_ids))
        announcements.extend(find_announcements(blocks[split:], cur_ids))
    else:
        current_root, cur_ids = _build_tree(blocks, "s", False)
        announcements.extend(find_announcements(blocks, cur_ids))
    root = current_root.freeze()
    upcoming = upcoming_root.freeze() if upcoming_root is not None else None
    return Document(
        root=root,
        source=source,
        format=format,
        sha256=sha256,
        title=_title(root, upcoming),
        fetched_at=fetched_at,
        announcements=tuple(announcements),
        upcoming=upcoming,
    )


def _title(root: Section, upcoming: Section | None) -> str:
    """The first top-level (h1) heading, also from an upcoming part shown first; else the highest
    real heading (a bold line standing in for a heading names a section, not the document)."""
    for part in (root, upcoming):
        for section in part.walk() if part else ():
            if section.level == 1:
                return section.title
    best: Section | None = None
    for section in root.walk():
        if 0 < section.level < HEADING_LEVEL_BOLD and (best is None or section.level < best.level):
            best = section
    return best.title if best else ""
