"""Provenance stays linear in a long sentence: a sentence naming many sources, each in a list of
parties ("from partners, data brokers and ..."), is read once, and every look-up near a point is a
bisection (semantics/provenance.py). Four times the sentence costs about four times the CPU; a
scan per provenance would cost sixteen."""

from __future__ import annotations

import time

import policydiff

_UNIT = "We receive information about you from partners, data brokers and advertisers, "


def _cpu(repeats: int) -> float:
    old = "We collect your name.\n"
    new = old + "\n" + _UNIT * repeats + "and from other sources.\n"
    policydiff.compare(old, new, format="markdown")  # warm the caches of the stages
    start = time.process_time()
    findings = policydiff.compare(old, new, format="markdown").findings
    assert any(f.category == "source.added" for f in findings)
    return time.process_time() - start


def test_a_sentence_of_many_provenances_is_read_in_linear_time() -> None:
    small, large = _cpu(60), _cpu(240)
    assert large < 9 * max(small, 0.02), (small, large)
