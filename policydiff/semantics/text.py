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
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Generic, TypeVar

import ahocorasick

T = TypeVar("T")

_PUNCTUATION = "".join(c for c in string.punctuation if c != "'") + "“”‘«»–—…•·§¶©®™\u00a0\u2009\u202f"
_BLANKED = re.compile("[" + re.escape(_PUNCTUATION) + "]")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_BATCH = 8  # from this many phrases to search for, one pass over the document beats a search each


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


def line_words(line: str) -> list[str]:
    """``words(line)`` for a folded line."""
    return _WORD.findall(line)


class SharedLines:
    """Per-line answers shared by the versions of a document (a line is a clause): give both versions'
    ``DocumentFacts`` the same ``SharedLines`` and a clause they have in common is read once."""

    def __init__(self) -> None:
        self._answers: dict[Callable[[str], object], dict[str, object]] = {}

    def answers(self, fn: Callable[[str], T]) -> dict[str, T]:
        """The kept answers of ``fn``, by line."""
        return self._answers.setdefault(fn, {})  # type: ignore[return-value]  # filled by fn only


class PhraseIndex:
    """A document's words, as a vocabulary and joined once (built on first use), for whole-word look-ups.

    A phrase with a word the document never uses is answered from the vocabulary; the rest by one
    substring search of the joined words (C speed, over their UTF-8 bytes: half the memory to scan of
    a text with a character past U+00FF, and a match of UTF-8 bytes is a match of the characters), so
    a look-up never loops over the document in Python. Each answer is kept (rules ask about the same
    cue text many times). The words are read line by line (a line is a clause) through ``shared``:
    give the two versions of a document the same ``SharedLines`` and a clause they have in common is
    split into words once.
    """

    def __init__(self, text: str, shared: SharedLines | None = None) -> None:
        self._text = text
        self._shared = SharedLines() if shared is None else shared
        self._vocabulary: set[str] | None = None
        self._joined = b""
        self._answers: dict[str, bool] = {}

    def contains(self, phrase: str) -> bool:
        """``phrase`` occurs in the document as consecutive whole words (punctuation ignored)."""
        if phrase not in self._answers:
            self._answers[phrase] = self._look_up(words(phrase))
        return self._answers[phrase]

    def contains_all(self, phrases: Sequence[str]) -> list[bool]:
        """``contains`` of each phrase. The ones the vocabulary does not answer are searched for together
        when there are ``_BATCH`` or more: one Aho-Corasick pass over the joined words reports every
        occurrence of every one of them, where each search of a phrase absent from the document
        scans all of it."""
        needles: dict[str, list[str]] = {}
        for phrase in phrases:
            if phrase not in self._answers:
                needle = self._needle(words(phrase))
                if needle is None:
                    self._answers[phrase] = False
                else:
                    needles.setdefault(needle, []).append(phrase)
        if len(needles) < _BATCH:
            found = {n for n in needles if n.encode("utf-8", "surrogatepass") in self._joined}
        else:
            automaton = ahocorasick.Automaton()
            for needle in needles:
                automaton.add_word(needle, needle)
            automaton.make_automaton()
            reach = max(len(n.encode("utf-8", "surrogatepass")) for n in needles)
            found = {
                n
                for piece in _windows(self._joined, reach)
                for _, n in automaton.iter(piece.decode("utf-8", "surrogatepass"))
            }
        for needle, asked in needles.items():
            for phrase in asked:
                self._answers[phrase] = needle in found
        return [self._answers[phrase] for phrase in phrases]

    def _look_up(self, wanted: list[str]) -> bool:
        needle = self._needle(wanted)
        return needle is not None and needle.encode("utf-8", "surrogatepass") in self._joined

    def _needle(self, wanted: list[str]) -> str | None:
        """The joined-words form of a phrase's words, or None when the vocabulary already says no."""
        if not wanted:
            return None
        if self._vocabulary is None:
            self._vocabulary, self._joined = self._index()
        if any(w not in self._vocabulary for w in wanted):
            return None
        return " " + " ".join(wanted) + " "

    def _index(self) -> tuple[set[str], bytes]:
        """The vocabulary and the joined words (``" " + " ".join(words(text)) + " "``, UTF-8).

        No word spans a line break, so the document's words are its lines' words (``words`` folds
        each line as it would the whole text: no case mapping looks past a line break). Each line's
        words are joined and encoded on their own: neither a folded copy of the whole document nor
        the list of all its words exists at once, nor a joined string 4 bytes a character wide
        because one line holds a character past U+FFFF (a flag emoji: 20 MB at 5 MB)."""
        vocabulary: set[str] = set()
        joined: list[bytes] = []
        known = self._shared.answers(line_words)
        for line in self._text.split("\n"):
            line = fold(line)
            # a line the other version split already is taken (each version reads it once), so the
            # words of the lines both versions have are not kept once both indexes are built
            got = known.pop(line, None)
            if got is None:
                got = known[line] = line_words(line)
            if got:
                vocabulary.update(got)
                joined.append(" ".join(got).encode("utf-8", "surrogatepass"))
        return vocabulary, b" " + b" ".join(joined) + b" "


_WINDOW = 1 << 20  # bytes of the joined words decoded for one Aho-Corasick pass at a time


def _windows(joined: bytes, reach: int) -> Iterator[bytes]:
    """``joined`` in overlapping pieces cut at spaces, each ``_WINDOW`` bytes and ``reach`` more: a
    needle of at most ``reach`` bytes starting at a space lies whole in the piece where it starts.
    Decoding a piece at a time keeps the text searched small (the whole joined words of a document
    with one character past U+FFFF decode to 4 bytes a character: 16 MB at 5 MB)."""
    start, n = 0, len(joined)
    while start < n:
        cut = joined.find(b" ", start + _WINDOW)
        if cut < 0:
            yield joined[start:]
            return
        end = joined.find(b" ", cut + reach)
        yield joined[start : n if end < 0 else end + 1]
        start = cut


class DocumentFacts:
    """What rules ask of a whole document version, each answer computed once per document.

    ``contains`` looks a phrase up (``PhraseIndex``); ``once(fn)`` runs ``fn`` over the folded document
    text the first time a rule asks and keeps the answer (the ages a document names, say);
    ``each_line(fn)`` runs ``fn`` over each distinct line (clause), a line the other version has
    (``shared``) read once for both; ``derived(fn)`` keeps an index built from those answers.
    ``original(line)`` gives a folded line as written (``source``: the unfolded text, read when first
    asked), for an index that reads names and capitals.
    """

    def __init__(
        self, text: str, shared: SharedLines | None = None, source: Callable[[], str] | None = None
    ) -> None:
        self.text = text  # the whole document, folded, clauses one per line
        self._source = source
        self._originals: dict[str, str] | None = None
        self._shared = SharedLines() if shared is None else shared
        self._phrases = PhraseIndex(text, self._shared)
        self._memo: dict[Callable[[str], object], object] = {}
        self._lines: dict[tuple[Callable[[str], object], tuple[str, ...] | None], tuple[object, ...]] = {}
        self._distinct: list[str] | None = None
        self._derived: dict[Callable[[DocumentFacts], object], object] = {}

    def contains(self, phrase: str) -> bool:
        return bool(self.text) and self._phrases.contains(phrase)

    def contains_all(self, phrases: Sequence[str]) -> list[bool]:
        """``contains`` of each phrase, the look-ups made together (``PhraseIndex.contains_all``)."""
        if not self.text:
            return [False] * len(phrases)
        return self._phrases.contains_all(phrases)

    def once(self, fn: Callable[[str], T]) -> T:
        if fn not in self._memo:
            self._memo[fn] = fn(self.text)
        return self._memo[fn]  # type: ignore[return-value]  # stored by fn, so of fn's return type

    def each_line(self, fn: Callable[[str], T], containing: tuple[str, ...] | None = None) -> tuple[T, ...]:
        """``fn`` of each distinct line (clause) of the document, in order of first occurrence: a line
        repeated, or one the other version has (``shared``), is read once. ``containing``: only the
        lines with one of these literals (``lines``)."""
        if (fn, containing) not in self._lines:
            self._lines[(fn, containing)] = tuple(answer for _, answer in self.answers(fn, containing))
        return self._lines[(fn, containing)]  # type: ignore[return-value]  # stored by fn: fn's type

    def answers(
        self, fn: Callable[[str], T], containing: tuple[str, ...] | None = None
    ) -> Iterator[tuple[str, T]]:
        """``each_line``'s lines and answers one at a time, each line read when reached: for a
        question that the first line answering it settles (``Unfolding`` keeps what was read)."""
        known = self._shared.answers(fn)
        for line in self.lines(containing):
            if line not in known:
                known[line] = fn(line)
            yield line, known[line]

    def lines(self, containing: tuple[str, ...] | None = None) -> list[str]:
        """The distinct lines, in order of first occurrence; with ``containing``, those with one of
        these literals (an Aho-Corasick automaton finds the first in each line)."""
        if self._distinct is None:
            self._distinct = list(dict.fromkeys(self.text.split("\n")))
        if containing is None or "" in containing:
            return self._distinct
        if len(containing) <= 1:
            return [line for line in self._distinct if containing and containing[0] in line]
        automaton = ahocorasick.Automaton()
        for word in containing:
            automaton.add_word(word, word)
        automaton.make_automaton()
        return [line for line in self._distinct if next(automaton.iter(line), None) is not None]

    def original(self, line: str) -> str:
        """The folded ``line`` as written in the document (the folded line itself without a source)."""
        if self._originals is None:
            written = self._source().split("\n") if self._source is not None else []
            folded = self.text.split("\n")
            self._originals = dict(zip(folded, written, strict=True)) if len(written) == len(folded) else {}
        return self._originals.get(line, line)

    def derived(self, fn: Callable[[DocumentFacts], T]) -> T:
        """``fn`` of these facts, computed once: an index a rule builds from ``each_line`` answers, so
        a question asked per sentence reads the lines concerned, not every line of the document."""
        if fn not in self._derived:
            self._derived[fn] = fn(self)
        return self._derived[fn]  # type: ignore[return-value]  # stored by fn, so of fn's return type


class Unfolding(Generic[T]):
    """An iterator's items, read only as far as a question needs and kept: iterating again replays
    the kept items, then reads on. A whole-document index of this kind (``DocumentFacts.derived``
    over ``DocumentFacts.answers``) reads the document up to the first line that settles a question
    (``any``); the rest only when a later question needs it, and never twice."""

    def __init__(self, items: Iterable[T]) -> None:
        self._items = iter(items)
        self._kept: list[T] = []
        self._done = False

    def __iter__(self) -> Iterator[T]:
        i = 0
        while True:
            if i < len(self._kept):
                yield self._kept[i]
                i += 1
            elif self._done:
                return
            else:
                try:
                    self._kept.append(next(self._items))
                except StopIteration:
                    self._done = True


EMPTY = DocumentFacts("")
