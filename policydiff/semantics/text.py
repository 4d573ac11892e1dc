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
    """A document's words, as a vocabulary and joined once (built on first use), for whole-word look-ups.

    A phrase with a word the document never uses is answered from the vocabulary; the rest by one
    substring search of the joined words (C speed), so a look-up never loops over the document in
    Python. Each answer is kept (rules ask about the same cue text many times). The words are read
    line by line (a line is a clause) through ``shared``: give the two versions of a document the same
    dict and a clause they have in common is split into words once.
    """

    def __init__(self, text: str, shared: dict[str, list[str]] | None = None) -> None:
        self._text = text
        self._shared = {} if shared is None else shared
        self._vocabulary: set[str] | None = None
        self._joined = ""
        self._answers: dict[str, bool] = {}

    def contains(self, phrase: str) -> bool:
        """``phrase`` occurs in the document as consecutive whole words (punctuation ignored)."""
        if phrase not in self._answers:
            self._answers[phrase] = self._look_up(words(phrase))
        return self._answers[phrase]

    def _look_up(self, wanted: list[str]) -> bool:
        if not wanted:
            return False
        if self._vocabulary is None:
            doc = self._words()
            self._vocabulary = set(doc)
            self._joined = " " + " ".join(doc) + " "
        if any(w not in self._vocabulary for w in wanted):
            return False
        return (" " + " ".join(wanted) + " ") in self._joined

    def _words(self) -> list[str]:
        """``words(text)``: no word spans a line break, so the document's words are its lines' words."""
        doc: list[str] = []
        for line in fold(self._text).split("\n"):
            line_words = self._shared.get(line)
            if line_words is None:
                line_words = self._shared[line] = _WORD.findall(line)
            doc.extend(line_words)
        return doc


class DocumentFacts:
    """What rules ask of a whole document version, each answer computed once per document.

    ``contains`` looks a phrase up (``PhraseIndex``, its words shared through ``shared``); ``once(fn)``
    runs ``fn`` over the folded document text the first time a rule asks and keeps the answer (the
    ages a document names, say).
    """

    def __init__(self, text: str, shared: dict[str, list[str]] | None = None) -> None:
        self.text = text  # the whole document, folded, clauses one per line
        self._phrases = PhraseIndex(text, shared)
        self._memo: dict[Callable[[str], object], object] = {}

    def contains(self, phrase: str) -> bool:
        return bool(self.text) and self._phrases.contains(phrase)

    def once(self, fn: Callable[[str], T]) -> T:
        if fn not in self._memo:
            self._memo[fn] = fn(self.text)
        return self._memo[fn]  # type: ignore[return-value]  # stored by fn, so of fn's return type


EMPTY = DocumentFacts("")
