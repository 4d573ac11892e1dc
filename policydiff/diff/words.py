"""Word-level redline of one clause pair: diff-match-patch over word tokens.

Each distinct token (a word, a number, a run of whitespace, one punctuation mark) is encoded as one
code point, so diff-match-patch works on words, never inside them ("30" -> "300" is one replaced
token). Tokens are compared by a canonical key (typography and whitespace folded), while the ops carry
the ORIGINAL text: concatenating ``equal`` + ``delete`` texts gives the old text exactly, and
``equal`` + ``insert`` the new text. A token whose key is equal but whose original text differs (a
curly quote that became straight) is emitted as a delete + insert of that token, which keeps both
invariants; such pairs are presentation only and :func:`ops_material` ignores them.
"""

from __future__ import annotations

import functools
import re
import time
import unicodedata
from collections.abc import Sequence
from typing import Any

import attrs
from diff_match_patch import diff_match_patch

from policydiff.model import OpKind, WordOp

__all__ = ["DEFAULT_WORD_TIMEOUT", "WordDiff", "token_key", "tokenize", "word_diff", "word_keys"]

DEFAULT_WORD_TIMEOUT = 2.0  # seconds per clause; deliberately not the library's silent 1 s

# a word (letters/digits, with inner apostrophes: "don't") or one other character, each with the
# whitespace before it (half the tokens, a quarter of the diff work); trailing whitespace alone
_TOKEN = re.compile(r"\s*(?:\w+(?:['\u2019]\w+)*|[^\w\s])|\s+", re.UNICODE)

_ZERO_WIDTH = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u180e\u034f"
_FOLD: dict[int, str | None] = {ord(c): None for c in _ZERO_WIDTH}
_FOLD.update({ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02b9\u0060\u00b4"})
_FOLD.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb"})
_FOLD.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"})

# diff-match-patch works on str: token codes start above ASCII and skip the surrogate block
_CODE_BASE = 0x100
_SURROGATES = (0xD800, 0xE000)


def tokenize(text: str) -> list[str]:
    """``text`` as word, whitespace and punctuation tokens; ``"".join(tokenize(t)) == t``."""
    tokens = _TOKEN.findall(text)
    # the pattern matches every character, so this is exact; assert-free guard for odd inputs
    if sum(map(len, tokens)) != len(text):  # pragma: no cover - defensive
        return list(text)
    return tokens


@functools.lru_cache(maxsize=1 << 16)
def token_key(token: str) -> str:
    """What a token is compared by: NFKC, typography folded, any whitespace run is one space."""
    core = token.lstrip()
    if not core:
        return " "
    folded: str = unicodedata.normalize("NFKC", core).translate(_FOLD)
    return folded  # the whitespace before a word never decides whether it matches


def word_keys(text: str) -> list[str]:
    """The comparison keys of ``text``'s tokens, whitespace left out: two texts with equal keys differ
    only in presentation (typography, wrapping, spacing around punctuation)."""
    return [token_key(t) for t in tokenize(text) if not t.isspace()]


@attrs.frozen
class WordDiff:
    """The ops of one clause pair, and whether the time budget cut the diff short."""

    ops: tuple[WordOp, ...]
    degraded: bool = False


class _TimedDMP(diff_match_patch):  # type: ignore[misc]
    """diff-match-patch that records when its deadline was hit instead of degrading silently."""

    def __init__(self) -> None:
        super().__init__()
        self.hit_deadline = False

    def diff_bisect(self, text1: str, text2: str, deadline: float) -> Any:
        result = super().diff_bisect(text1, text2, deadline)
        if time.time() > deadline:
            self.hit_deadline = True
        return result


def _code(index: int) -> str:
    point = _CODE_BASE + index
    if point >= _SURROGATES[0]:
        point += _SURROGATES[1] - _SURROGATES[0]
    return chr(point)


def word_diff(old: str, new: str, *, timeout: float = DEFAULT_WORD_TIMEOUT) -> WordDiff:
    """Word ops turning ``old`` into ``new`` (original texts), with semantic cleanup.

    ``timeout`` is the diff-match-patch budget in seconds (0 = no limit); when it is hit the result
    is still exact (the invariants hold) but coarser, and ``degraded`` is True.
    """
    if old == new:
        return WordDiff((WordOp("equal", old),) if old else ())
    old_tokens = tokenize(old)
    new_tokens = tokenize(new)
    codes: dict[str, str] = {}

    def encode(tokens: Sequence[str]) -> str:
        out = []
        for token in tokens:
            key = token_key(token)
            code = codes.get(key)
            if code is None:
                code = codes[key] = _code(len(codes))
            out.append(code)
        return "".join(out)

    text1 = encode(old_tokens)
    text2 = encode(new_tokens)
    dmp = _TimedDMP()
    dmp.Diff_Timeout = max(0.0, float(timeout))
    diffs = dmp.diff_main(text1, text2, False)
    dmp.diff_cleanupSemantic(diffs)

    ops: list[WordOp] = []
    i = j = 0
    for kind, chunk in diffs:
        n = len(chunk)
        if kind == 0:
            olds, news = old_tokens[i : i + n], new_tokens[j : j + n]
            if olds == news:  # the common case: one equal op, joined once
                _push(ops, "equal", "".join(olds))
                i += n
                j += n
                continue
            for a, b in zip(olds, news, strict=True):
                if a == b:
                    _push(ops, "equal", a)
                    continue
                # same key, different presentation: keep both texts exact, mark only what differs
                core_a, core_b = a.lstrip(), b.lstrip()
                lead_a, lead_b = a[: len(a) - len(core_a)], b[: len(b) - len(core_b)]
                if lead_a == lead_b:
                    _push(ops, "equal", lead_a)
                else:
                    _push(ops, "delete", lead_a)
                    _push(ops, "insert", lead_b)
                if core_a == core_b:
                    _push(ops, "equal", core_a)
                else:
                    _push(ops, "delete", core_a)
                    _push(ops, "insert", core_b)
            i += n
            j += n
        elif kind == -1:
            _push(ops, "delete", "".join(old_tokens[i : i + n]))
            i += n
        else:
            _push(ops, "insert", "".join(new_tokens[j : j + n]))
            j += n
    return WordDiff(_tidy(ops), degraded=dmp.hit_deadline)


def _push(ops: list[WordOp], kind: OpKind, text: str) -> None:
    if not text:
        return
    if ops and ops[-1].op == kind:
        ops[-1] = WordOp(kind, ops[-1].text + text)
    else:
        ops.append(WordOp(kind, text))


def _tidy(ops: list[WordOp]) -> tuple[WordOp, ...]:
    """Order each run of changes as delete then insert and merge neighbours of the same kind."""
    out: list[WordOp] = []
    run_del: list[str] = []
    run_ins: list[str] = []

    def flush() -> None:
        deleted, inserted = "".join(run_del), "".join(run_ins)
        if deleted and inserted:
            # a replaced word keeps the space before it: " Messages" -> " Communications" is
            # " " + [Messages -> Communications]
            n = 0
            while n < min(len(deleted), len(inserted)) and deleted[n] == inserted[n] and deleted[n].isspace():
                n += 1
            if n:
                _push(out, "equal", deleted[:n])
                deleted, inserted = deleted[n:], inserted[n:]
        if deleted:
            _push(out, "delete", deleted)
        if inserted:
            _push(out, "insert", inserted)
        run_del.clear()
        run_ins.clear()

    for op in ops:
        if op.op == "equal":
            flush()
            _push(out, "equal", op.text)
        elif op.op == "delete":
            run_del.append(op.text)
        else:
            run_ins.append(op.text)
    flush()
    return tuple(out)


def old_text(ops: Sequence[WordOp]) -> str:
    """The old side of ``ops``: equal + delete texts."""
    return "".join(op.text for op in ops if op.op != "insert")


def new_text(ops: Sequence[WordOp]) -> str:
    """The new side of ``ops``: equal + insert texts."""
    return "".join(op.text for op in ops if op.op != "delete")
