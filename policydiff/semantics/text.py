"""Text folding for the semantic stage: the one way texts, phrases and documents are compared.

``fold`` lower-cases and straightens apostrophes (offsets are kept: a cue's text is a slice of its
sentence); ``squash`` also collapses white space; ``normalize_text`` also blanks punctuation, for
sentence keys. ``PhraseIndex`` answers "does this phrase occur in the document as whole words" from
a word index built once per document, so each question costs the occurrences of its rarest word,
never a scan of the document.
"""

from __future__ import annotations

import re
import string
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
    """Where each word of a document occurs, for whole-word phrase look-ups (built on first use)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._words: list[str] | None = None
        self._at: dict[str, list[int]] = {}

    def _build(self) -> list[str]:
        if self._words is None:
            self._words = words(self._text)
            at = self._at
            for i, word in enumerate(self._words):
                at.setdefault(word, []).append(i)
        return self._words

    def contains(self, phrase: str) -> bool:
        """``phrase`` occurs in the document as consecutive whole words (punctuation ignored)."""
        wanted = words(phrase)
        if not wanted:
            return False
        doc = self._build()
        rarest = min(range(len(wanted)), key=lambda i: len(self._at.get(wanted[i], ())))
        n = len(wanted)
        for at in self._at.get(wanted[rarest], ()):
            start = at - rarest
            if start >= 0 and doc[start : start + n] == wanted:
                return True
        return False


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
