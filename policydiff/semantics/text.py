"""Text folding for the semantic stage: the one way texts, phrases and documents are compared.

``fold`` lower-cases and straightens apostrophes (offsets are kept: a cue's text is a slice of its
sentence); ``squash`` also collapses white space; ``normalize_text`` also blanks punctuation, for
sentence keys. ``PhraseIndex`` answers "does this phrase occur in the document as whole words" from
word counts and joined words built once per document, so each question is a set test or one
C-level substring search, never a loop over the document in Python.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_PUNCTUATION = "".join(c for c in string.punctuation if c != "'") + "“”‘«»–—…•·§¶©®™\u00a0\u2009\u202f"
_BLANKED = re.compile("[" + re.escape(_PUNCTUATION) + "]")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def fold(text: str) -> str:
    """Lower case with straight apostrophes (same length as ``text`` for almost every text)."""
    return text.lower().replace("’", "'")


def squash(text: str) -> str:
    """``fold`` with white space collapsed: how two cue texts are compared."""
    return " ".join(fold(text).split())


def normalize_text(text: str) -> str:
    """Lower case, straight quotes, punctuation gone, single spaces: a sentence's comparison key."""
    return " ".join(_BLANKED.sub(" ", fold(text)).split())


def words(text: str) -> list[str]:
    """The words of ``text``, folded (an apostrophe inside a word keeps it whole: "don't")."""
    return _WORD.findall(fold(text))


class PhraseIndex:
    """A document's words, counted and joined once (built on first use), for whole-word phrase look-ups.

    A phrase with a word the document never uses is answered from the counts; the rest by one substring
    search of the joined words (C speed), so a look-up never loops over the document in Python.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._counts: Counter[str] | None = None
        self._joined = ""

    def contains(self, phrase: str) -> bool:
        """``phrase`` occurs in the document as consecutive whole words (punctuation ignored)."""
        wanted = words(phrase)
        if not wanted:
            return False
        if self._counts is None:
            doc = words(self._text)
            self._counts = Counter(doc)
            self._joined = " " + " ".join(doc) + " "
        if any(w not in self._counts for w in wanted):
            return False
        return (" " + " ".join(wanted) + " ") in self._joined


class DocumentFacts:
    """What rules ask of a whole document version, each answer computed once per document.

    ``contains`` looks a phrase up (``PhraseIndex``); ``once(fn)`` runs ``fn`` over the folded
    document text the first time a rule asks and keeps the answer (the ages a document names, say).
    """

    def __init__(self, text: str) -> None:
        self.text = text  # the whole document, folded, clauses one per line
        self._phrases = PhraseIndex(text)
        self._memo: dict[Callable[[str], object], object] = {}

    def contains(self, phrase: str) -> bool:
        return bool(self.text) and self._phrases.contains(phrase)

    def once(self, fn: Callable[[str], T]) -> T:
        if fn not in self._memo:
            self._memo[fn] = fn(self.text)
        return self._memo[fn]  # type: ignore[return-value]  # stored by fn, so of fn's return type


EMPTY = DocumentFacts("")
