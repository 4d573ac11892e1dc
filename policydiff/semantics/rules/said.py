"""What a whole document version says, by concept: additions and removals judged against the document.

A clause rule sees one sentence pair, but a reviewer reads the whole version: a governing law the old
version already chose is not new when a heading or a moved sentence names it again. Each question is
one search of the folded document with the patterns of one lexicon concept, computed once per
document (``DocumentFacts.once``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from policydiff.semantics.context import Context
from policydiff.semantics.lexicon import BY_KEY
from policydiff.semantics.text import fold


@cache
def _pattern(key: str) -> re.Pattern[str]:
    parts = "|".join(f"(?:{p})" for p in BY_KEY[key].patterns)
    return re.compile(rf"(?<![\w@-])(?:{parts})(?!\w|-\w)")


@cache
def _names_concept(key: str) -> Callable[[str], bool]:
    """A test "does a folded document text name the lexicon concept ``key``": one regex search."""
    pattern = _pattern(key)
    return lambda text: pattern.search(text) is not None


def named_before(ctx: Context, key: str) -> bool:
    """True when the old version names the lexicon concept ``key`` somewhere."""
    return ctx.old_facts.once(_names_concept(key))


def still_named(ctx: Context, key: str) -> bool:
    """True when the new version still names the lexicon concept ``key`` somewhere."""
    return ctx.new_facts.once(_names_concept(key))


@cache
def _alternatives(key: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"(?<![\w@-])(?:{p})(?!\w|-\w)") for p in BY_KEY[key].patterns)


@cache
def _names_wording(key: str, index: int) -> Callable[[str], bool]:
    pattern = _alternatives(key)[index]
    return lambda text: pattern.search(text) is not None


def worded_before(ctx: Context, key: str, text: str) -> bool:
    """True when the old version uses the same wording of the concept ``key`` as the cue ``text``.

    The wording is the lexicon pattern the cue matches ("keep ... longer", "as long as necessary"):
    "we may keep certain information longer" and "we store your information longer" are one wording.
    """
    folded = fold(text)
    for index, pattern in enumerate(_alternatives(key)):
        if pattern.fullmatch(folded) and ctx.old_facts.once(_names_wording(key, index)):
            return True
    return False
