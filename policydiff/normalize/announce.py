"""Announcement banners and pending-version pages.

A banner ("We're updating our terms on November 3, 2025") announces a change that is not yet in
force; a pending-version page shows the upcoming text above the current one ("Effective until
September 22, 2023"). Both are recognised from general phrasing, not from any one site's markup,
so later stages can say "announced" instead of "changed".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policydiff.model import Announcement
from policydiff.normalize.blocks import Block
from policydiff.normalize.reuse import reused

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_MDY = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.IGNORECASE)
_DATE_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(\d{4})", re.IGNORECASE)
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DATE_ANY = (
    r"(?:"
    + _MONTH
    + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}\s+"
    + _MONTH
    + r",?\s+\d{4}|\d{4}-\d{2}-\d{2})"
)

_DOC = (
    r"(?:terms(?:\s+(?:of|and)\s+(?:service|use|conditions))?|polic(?:y|ies)|agreement|notice|statement|"
    r"conditions|privacy|eula|contract|"
    r"(?:user|service|subscriber|customer)\s+agreement)"
)
# "We're updating our terms", "we are making changes to our Privacy Policy", "we will be revising these terms"
_PROGRESSIVE = re.compile(
    r"\bwe(?:'|’)?(?:re| are| will be|’ll be|'ll be| are going to be)\s+"
    r"(?:updating|changing|revising|amending|modifying|making\s+(?:some\s+)?(?:changes|updates)\s+to)\s+"
    r"(?:our|the|these|this|its)\s+(?:[\w-]+\s+){0,3}?" + _DOC,
    re.IGNORECASE,
)
# "Our Privacy Policy is changing", "these terms are being updated"
_DOC_CHANGING = re.compile(
    r"\b(?:our|the|these|this)\s+(?:[\w-]+\s+){0,3}?" + _DOC + r"\s+(?:is|are)\s+(?:changing|being\s+"
    r"(?:updated|changed|revised|amended))\b",
    re.IGNORECASE,
)
# "Our Terms will be updated on 1 May 2026": only with a date ("from time to time" is a clause)
_DOC_WILL_CHANGE = re.compile(
    r"\b(?:our|the|these|this)\s+(?:[\w-]+\s+){0,3}?" + _DOC + r"\s+will\s+(?:change|be\s+(?:updated|changed|"
    r"revised|amended|replaced))\s+(?:on|from|as\s+of|starting|effective)\b",
    re.IGNORECASE,
)
# "... will go into effect on September 22, 2023", "will become effective on", "will apply from"
_FUTURE_EFFECT = re.compile(
    r"\bwill\s+(?:go\s+into|come\s+into|take|enter\s+into)\s+(?:effect|force)\b|"
    r"\bwill\s+(?:become|be)\s+effective\b|\b(?:updated|new|revised)\s+(?:[\w-]+\s+){0,3}?"
    + _DOC
    + r"\s+(?:will\s+apply|applies|take[s]?\s+effect)\s+(?:from|on|as\s+of|starting)\b",
    re.IGNORECASE,
)
_DATE_RE = re.compile(_DATE_ANY, re.IGNORECASE)
# Where the version in force starts on a pending-version page.
_EFFECTIVE_UNTIL = re.compile(r"\beffective\s+(?:until|through|till)\s*:?\s*" + _DATE_ANY, re.IGNORECASE)
_CURRENT_BELOW = re.compile(
    r"\b(?:the\s+)?(?:current|existing|previous)\s+(?:version|" + _DOC + r")(?:\s+[\w-]+){0,3}?\s+"
    r"(?:is|are|appears?|can\s+be\s+found|continues?\s+to\s+apply)\b.{0,40}?\bbelow\b",
    re.IGNORECASE,
)
_CURRENT_HEADING = re.compile(
    r"^\s*(?:current|existing|previous|prior)\s+(?:[\w-]+\s+){0,3}?(?:version|" + _DOC + r")\s*$",
    re.IGNORECASE,
)

_MAX_BANNER = 600  # an announcement is a banner, not a clause that happens to mention changes
# every pattern below needs one of these words: a cheap test that skips almost every clause
_KEYWORDS = ("updat", "chang", "revis", "amend", "modif", "effect", "force", "appl", "replac")

# Words each pattern cannot match without (lower case). Under re.IGNORECASE an ASCII letter of a
# pattern matches only its own two cases and these four characters ("ſ" matches "s", "ı" matches
# "i"): in text without them, a word missing from ``text.lower()`` rules the pattern out without
# running it; text with them always runs the pattern.
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")
_NEEDS_PROGRESSIVE = ("updating", "changing", "revising", "amending", "modifying", "making")
_NEEDS_DOC_CHANGING = ("changing", "being")
_NEEDS_WILL_CHANGE = ("will",)
_NEEDS_FUTURE_EFFECT = ("will", "applies", "take")
_NEEDS_EFFECTIVE_UNTIL = ("effective",)
_NEEDS_CURRENT_BELOW = ("below",)
_FOUR_DIGITS = re.compile(r"\d{4}")  # every date pattern has a year


def _may(pattern: re.Pattern[str], needs: tuple[str, ...], text: str, lowered: str | None) -> bool:
    """``pattern.search(text)``, skipped when ``lowered`` (ASCII text in lower case) lacks every word."""
    if lowered is not None and not any(word in lowered for word in needs):
        return False
    return pattern.search(text) is not None


def _word_lower(text: str, lowered: str | None = None) -> str | None:
    """``text`` in lower case for the missing-word test, or None when the test would not be exact."""
    if not text.isascii() and any(char in text for char in _FOLDS_TO_ASCII):
        return None
    return text.lower() if lowered is None else lowered


def iso_date(text: str) -> str | None:
    """The first date stated in ``text`` as ISO ``YYYY-MM-DD`` (English month names or ISO)."""
    best: tuple[int, str] | None = None
    for match in _DATE_MDY.finditer(text):
        value = _iso(match.group(3), _MONTHS[match.group(1)[:3].lower()], match.group(2))
        if value:
            best = (match.start(), value)
            break
    for match in _DATE_DMY.finditer(text):
        value = _iso(match.group(3), _MONTHS[match.group(2)[:3].lower()], match.group(1))
        if value and (best is None or match.start() < best[0]):
            best = (match.start(), value)
        break
    for match in _DATE_ISO.finditer(text):
        value = _iso(match.group(1), int(match.group(2)), match.group(3))
        if value and (best is None or match.start() < best[0]):
            best = (match.start(), value)
        break
    return best[1] if best else None


def _iso(year: str, month: int, day: str) -> str | None:
    y, d = int(year), int(day)
    if not (1 <= month <= 12 and 1 <= d <= 31 and 1900 <= y <= 2200):
        return None
    return f"{y:04d}-{month:02d}-{d:02d}"


def is_announcement(text: str) -> bool:
    """A short text announcing a change not yet in force."""
    if len(text) > _MAX_BANNER:
        return False
    lowered = text.lower()
    if not any(word in lowered for word in _KEYWORDS):
        return False
    low = _word_lower(text, lowered)
    if _may(_PROGRESSIVE, _NEEDS_PROGRESSIVE, text, low) or _may(
        _DOC_CHANGING, _NEEDS_DOC_CHANGING, text, low
    ):
        return True
    if (
        _FOUR_DIGITS.search(text)
        and (
            _may(_FUTURE_EFFECT, _NEEDS_FUTURE_EFFECT, text, low)
            or _may(_DOC_WILL_CHANGE, _NEEDS_WILL_CHANGE, text, low)
        )
        and _DATE_RE.search(text)
    ):
        return True
    return _may(_EFFECTIVE_UNTIL, _NEEDS_EFFECTIVE_UNTIL, text, low)


def _is_current_marker(block: Block) -> bool:
    text = block.text
    if len(text) > _MAX_BANNER:
        return False
    low = _word_lower(text)
    if _may(_EFFECTIVE_UNTIL, _NEEDS_EFFECTIVE_UNTIL, text, low) or _may(
        _CURRENT_BELOW, _NEEDS_CURRENT_BELOW, text, low
    ):
        return True
    return block.kind == "heading" and bool(_CURRENT_HEADING.match(text))


def find_pending_split(blocks: Sequence[Block]) -> int | None:
    """Index of the first block of the version in force on a pending-version page, else None.

    The page must announce a future effect before a marker of the current version ("Effective
    until <date>", "The current policy is below", a "Current Privacy Policy" heading), with real
    content in between; the boundary moves back over headings and banners just before the marker.
    """
    upcoming_at: int | None = None
    for index, block in enumerate(blocks):
        if upcoming_at is None:
            if _states_future_effect(block.text):
                upcoming_at = index
            continue
        if index - upcoming_at < 3 or not _marks_current(block):
            continue
        start = index
        while start - 1 > upcoming_at and (
            blocks[start - 1].kind == "heading"
            or _announces(blocks[start - 1].text)
            or _marks_current(blocks[start - 1])
        ):
            start -= 1
        content = sum(1 for b in blocks[upcoming_at + 1 : start] if b.kind != "heading")
        if content >= 3:
            return start
    return None


def find_announcements(blocks: Sequence[Block], ids: Sequence[str | None]) -> list[Announcement]:
    """Announcements among ``blocks``; ``ids`` are the clause or section ids the blocks became."""
    found: list[Announcement] = []
    for block, block_id in zip(blocks, ids, strict=True):
        if block_id is None or not _announces(block.text):
            continue
        text = block.text.strip()
        date = iso_date(text)
        found.append(Announcement(text=text, date=date, clause_ids=(block_id,)))
    return found


# Each block's answers are pure functions of its text (and whether it is a heading): the new side of
# a comparison reads back the old side's answers for the blocks the two share (see reuse.py).


def _announces(text: str) -> bool:
    return len(text) <= _MAX_BANNER and reused("announcement", text, lambda: is_announcement(text))


def _states_future_effect(text: str) -> bool:
    return len(text) <= _MAX_BANNER and reused(
        "future effect", text, lambda: _may(_FUTURE_EFFECT, _NEEDS_FUTURE_EFFECT, text, _word_lower(text))
    )


def _marks_current(block: Block) -> bool:
    key = (block.kind == "heading", block.text)
    return len(block.text) <= _MAX_BANNER and reused("current marker", key, lambda: _is_current_marker(block))
