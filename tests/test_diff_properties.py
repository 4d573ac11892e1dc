"""Properties of diff_documents over generated documents and random edits (hypothesis)."""

from __future__ import annotations

from collections import Counter

from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_diff_support import make_doc

from policydiff.diff import align, diff_documents
from policydiff.diff.words import new_text, old_text
from policydiff.model import Document

WORDS = [f"w{n}" for n in range(400)]


@st.composite
def clause_text(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=4, max_size=14, unique=True))
    return " ".join(words).capitalize() + "."


Spec = list[tuple[str, list[str]]]


@st.composite
def spec(draw: st.DrawFn) -> Spec:
    n_sections = draw(st.integers(1, 4))
    return [(f"Title {k}", draw(st.lists(clause_text(), min_size=1, max_size=5))) for k in range(n_sections)]


@st.composite
def edited(draw: st.DrawFn, base: Spec) -> Spec:
    """``base`` after a few random edits: change a word, delete, insert, move, split, duplicate."""
    sections = [(title, list(texts)) for title, texts in base]
    for _ in range(draw(st.integers(0, 5))):
        op = draw(st.sampled_from(["edit", "delete", "insert", "move", "split", "rename", "dup"]))
        s = draw(st.integers(0, len(sections) - 1))
        texts = sections[s][1]
        if op == "insert" or not texts:
            texts.insert(draw(st.integers(0, len(texts))), draw(clause_text()))
            continue
        c = draw(st.integers(0, len(texts) - 1))
        if op == "edit":
            words = texts[c].split(" ")
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(WORDS))
            texts[c] = " ".join(words)
        elif op == "delete":
            texts.pop(c)
        elif op == "move":
            moved = texts.pop(c)
            target = sections[draw(st.integers(0, len(sections) - 1))][1]
            target.insert(draw(st.integers(0, len(target))), moved)
        elif op == "split":
            words = texts[c].split(" ")
            if len(words) > 2:
                cut = draw(st.integers(1, len(words) - 1))
                texts[c : c + 1] = [" ".join(words[:cut]), " ".join(words[cut:])]
        elif op == "rename":
            sections[s] = (sections[s][0] + " renamed", texts)
        else:
            texts.insert(c, texts[c])
    return sections


@st.composite
def pair(draw: st.DrawFn) -> tuple[Document, Document]:
    base = draw(spec())
    return make_doc(base), make_doc(draw(edited(base)))


@settings(max_examples=60, deadline=None)
@given(spec())
def test_diff_of_a_document_with_itself_is_empty(base: Spec) -> None:
    doc = make_doc(base)
    diff = diff_documents(doc, doc)
    assert not any(c.material for c in diff.changes)
    assert diff.changes == ()


@settings(max_examples=80, deadline=None)
@given(pair())
def test_every_clause_accounted_for_exactly_once(docs: tuple[Document, Document]) -> None:
    old, new = docs
    alignment = align(old, new)
    old_seen = Counter(i for m in alignment.matches for i in m.old) + Counter(alignment.removed)
    new_seen = Counter(j for m in alignment.matches for j in m.new) + Counter(alignment.added)
    assert old_seen == Counter(range(len(list(old.clauses()))))
    assert new_seen == Counter(range(len(list(new.clauses()))))
    # and the changes list exactly the matches that are not unchanged
    diff = diff_documents(old, new)
    old_ids = Counter(i for c in diff.changes for i in c.old_ids)
    new_ids = Counter(i for c in diff.changes for i in c.new_ids)
    assert max(old_ids.values(), default=1) == 1 and max(new_ids.values(), default=1) == 1
    unchanged = [m for m in alignment.matches if not any(alignment.old[i].id in old_ids for i in m.old)]
    for m in unchanged:
        assert not m.moved and m.how not in ("split", "merged")
        assert [alignment.old[i].canonical for i in m.old] == [alignment.new[j].canonical for j in m.new]


@settings(max_examples=80, deadline=None)
@given(pair())
def test_ops_rebuild_old_and_new_text(docs: tuple[Document, Document]) -> None:
    for change in diff_documents(*docs).changes:
        if change.old_text is not None:
            assert old_text(change.ops) == change.old_text
        if change.new_text is not None:
            assert new_text(change.ops) == change.new_text


# a clause moved past its own duplicate: two equally long in-order chains, and which one is kept
# used to depend on which side was old (so did the gaps the positional pass sees)
_A = "W0 w1 w2 w3."
_B = "W0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13."


@settings(max_examples=80, deadline=None)
@given(pair())
@example(
    (
        make_doc([("Title 0", [_A, _B, _A, _B, _A])]),
        make_doc([("Title 0", ["W0", "w1 w2 w3.", _A, _A, _B, _A])]),
    )
)
def test_swapping_sides_swaps_added_and_removed(docs: tuple[Document, Document]) -> None:
    old, new = docs
    forward = Counter(c.kind for c in diff_documents(old, new).changes)
    backward = Counter(c.kind for c in diff_documents(new, old).changes)
    assert forward["added"] == backward["removed"]
    assert forward["removed"] == backward["added"]
    assert forward["split"] == backward["merged"]
