"""The normalize speed shortcuts change nothing: Markdown parsed with the fast parser (inline content
parsed block by block as the walk reaches it, markup-free inline content taken as one text run,
memoized link normalization) gives the same blocks as markdown-it's unmodified parser."""

from __future__ import annotations

import gc
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it.rules_block.table import escapedSplit
from markdown_it.rules_block.table import table as gfm_table

import policydiff
from policydiff.normalize import announce, canonical, clauses, normalize
from policydiff.normalize.blocks import Block, TextBuilder
from policydiff.normalize.markdown import (
    _full_parser,
    _Lines,
    blocks_with,
    markdown_blocks,
)
from policydiff.normalize.markdown_table import split_cells, table_rule

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# prose characters, whitespace of every kind markdown-it and the text builder treat differently,
# block markers, and every inline markup character
PIECES = st.sampled_from(
    [
        "we", "use", "data", "Policy", "3.2", "(a)", "e.g.", "Inc.", "-", ":", "!", "#", "=", "+",
        " ", "  ", "   ", "\t", "\n", "\n\n", "  \n", "\u00a0", "\u2003", "\n- ", "\n1. ", "\n## ",
        "\n    ", "\n> ", "\n---\n", "*", "**", "_", "`", "~~", "[", "]", "(", ")", "<", ">", "&amp;",
        "&", "\\", "![", "](https://example.com/a b)", "[x](https://exämple.com/%zz)", "<br>", "|",
        "\n| a | b |\n|---|---|\n| c | d | e |\n",
        "[a](https://x.org/a_b&amp;c)", "[we use](https://x.org/p?q=1&r=2)", "[](https://x.org)",
        "[a](javascript:x)", "[a](<https://x.org>)", "[a]", "\n\n[a]: https://ref.example\n\n", "[a][]",
        "[a b\nc](https://x.org/%41)", "[a](https://x.org/*b*)", "[a!](mailto:x@y.z)",
        "<https://example.org>", "<b>", "é", "\u200b",
        "\\.", "\\\\", "\\a", "\\*", "**1\\. Terms**", "**Bold.**", "**Bold**", "** x**", "**x **",
        "\u3000", "\u2009", "\x1c", ".", "**1.1. Data**", "***", "\n\n**",
    ]
)  # fmt: skip
# each document draws from a few pieces only, so markup characters also appear alone
DOCUMENTS = (
    st.lists(PIECES, min_size=1, max_size=6, unique=True)
    .flatmap(lambda alphabet: st.lists(st.sampled_from(alphabet), max_size=40))
    .map("".join)
)


@SETTINGS
@given(DOCUMENTS)
@example("we \\- use \\: data")  # escapes
@example("we &amp; use &copy; data")  # entities
@example("we ~~use~~ data")  # strikethrough
@example("**We use data**")  # bold line: a heading
@example("__We use data__")
@example("we `use` data")
@example("we [use](https://example.com) data")
@example("we [use](https://example.com) and [share](https://x.org/a_b&amp;c) data")
@example("[a]\n\n[a]: https://ref.example\n\nwe [a](https://x.org) and [a]")
@example("we [use](javascript:alert) data")
@example("we [use &amp; share](https://x.org) data")
@example("we [use\nit](https://x.org/%zz) data!")
@example("we ![use](https://example.com/a.png) data")
@example("we <https://example.com> data <b>x</b>")
@example("we use<br>data")
@example("**1\\. Services** we use data")
@example("**We use.**data")
@example("**We use**data")
@example("**We use\u3000** data")
@example("**\u2009We use** data")
@example("**We use**\u00a0data")
@example("**We use\\** data")
@example("**We\nuse**")
@example("2\\. Using our Site \\\\ \\a \\*")
@example("**We use data**&nbsp;")  # an entity after a bold line
@example("**We use data**&#32;\\!")
@example("**We use** &amp; data")
@example(
    "# Data\r\n\r\nwe use\r\ndata\r- a\r\n- b\x00c\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 | 2 | 3 |"
)  # CR, NUL
def test_fast_parser_gives_the_full_parsers_blocks(text: str) -> None:
    assert markdown_blocks(text) == blocks_with(_full_parser(), text)


@SETTINGS
@given(st.lists(st.sampled_from(["We", "share", "data", "-", ":", " ", "\n", "  \n", "\u00a0"]), max_size=40))
def test_plain_paragraphs_agree(pieces: list[str]) -> None:
    text = "# Title\n\n" + "".join(pieces) + "\n\n- item " + "".join(reversed(pieces))
    assert markdown_blocks(text) == blocks_with(_full_parser(), text)


def test_links_repeated_keep_their_targets() -> None:
    text = "\n\n".join(
        f"See [our policy](https://example.com/p?q={i % 3}) and <https://x.org/{i}>." for i in range(9)
    )
    blocks = markdown_blocks(text)
    assert blocks == blocks_with(_full_parser(), text)
    assert [link.target for b in blocks for link in b.links][:4] == [
        "https://example.com/p?q=0",
        "https://x.org/0",
        "https://example.com/p?q=1",
        "https://x.org/1",
    ]


# --------------------------------------------------------------------------- tables and source lines


@SETTINGS
@given(st.lists(st.sampled_from(["a", " ", "|", "\\", "\\|", "b c", "`"]), max_size=30).map("".join))
@example("a\\|b|c")
@example("\\\\|\\|\\|")
def test_split_cells_gives_markdown_its_cells(line: str) -> None:
    assert split_cells(line) == escapedSplit(line)


def test_the_table_rule_still_splits_with_escaped_split() -> None:
    # table_rule swaps this name: were markdown-it to stop using it, the swap would silently do nothing
    assert "escapedSplit" in gfm_table.__code__.co_names
    assert table_rule().__code__ is gfm_table.__code__


@SETTINGS
@given(
    st.lists(st.sampled_from(["a", "\n", "| b |", "\r\n", ""]), max_size=12).map("".join),
    st.lists(st.integers(min_value=0, max_value=14), max_size=8),
)
def test_source_lines_are_found_in_any_order(source: str, numbers: list[int]) -> None:
    lines, split = _Lines(source), source.split("\n")
    for number in numbers:
        assert lines.line(number) == (split[number] if number < len(split) else None)


# --------------------------------------------------------------------------- announcement prefilters


def _is_announcement_unfiltered(text: str) -> bool:
    """is_announcement as every pattern decides it, without the missing-word shortcuts."""
    if len(text) > announce._MAX_BANNER or not any(w in text.lower() for w in announce._KEYWORDS):
        return False
    if announce._PROGRESSIVE.search(text) or announce._DOC_CHANGING.search(text):
        return True
    if announce._FUTURE_EFFECT.search(text) or announce._DOC_WILL_CHANGE.search(text):
        if announce._DATE_RE.search(text):
            return True
    return bool(announce._EFFECTIVE_UNTIL.search(text))


def _is_current_marker_unfiltered(block: Block) -> bool:
    text = block.text
    if len(text) > announce._MAX_BANNER:
        return False
    if announce._EFFECTIVE_UNTIL.search(text) or announce._CURRENT_BELOW.search(text):
        return True
    return block.kind == "heading" and bool(announce._CURRENT_HEADING.match(text))


PHRASES = st.sampled_from(
    [
        "We're", "we are", "We will be", "updating", "making changes to", "our", "these", "Privacy",
        "Policy", "terms of service", "is changing", "are being updated", "will", "be updated on",
        "will take effect", "takes effect", "applies from", "updated", "new", "become effective",
        "go into effect", "Effective until", "effective through:", "The current version", "is",
        "below", "January 5, 2024", "3 May 2025", "2026-01-31", "2024", "on", "Current Terms",
        "ſ", "K", "İ", "ı", "WILL", "BELOW", "EFFECTIVE", "change", "modifying", "data", ".", "’", "é",
    ]
)  # fmt: skip
BANNERS = st.lists(PHRASES, max_size=14).map(" ".join)


@SETTINGS
@given(BANNERS)
@example("We ſhall be updating our Terms")
@example("Our terms will be updated on January 5, 2024")
@example("These Terms are effective until March 3, 2025.")
@example("The current version of the policy is shown below")
@example("ThesE TERMS WILL TAKE EFFECT ON 2024-05-01")
@example("Effectıve until January 5, 2024")  # dotless i matches "i" under re.IGNORECASE
@example("We are making changes to our Terms")
@example("Our terms are changıng")
@example("We are reviſing our Terms (updates)")
@example("These Terms wİll become effective on 2024-01-01")
@example("The current version is shown beloW, café")
@example("Our Privacy Policy is being updated")
@example("The new Terms take effect from 2024-01-01")
def test_announcement_shortcuts_change_no_answer(text: str) -> None:
    assert announce.is_announcement(text) == _is_announcement_unfiltered(text)
    for kind in ("paragraph", "heading"):
        block = Block(kind, text)
        assert announce._is_current_marker(block) == _is_current_marker_unfiltered(block)


# --------------------------------------------------------------------------- canonical text


def _canonical_reference(text: str) -> str:
    """canonical() as first written: NFKC, each replacement in turn, whitespace always collapsed."""
    text = unicodedata.normalize("NFKC", text)
    for char, replacement in clauses._REPLACE.items():
        text = text.replace(char, replacement)
    return clauses.WS_TO_COLLAPSE.sub(" ", text).strip()


CHARS = st.sampled_from(
    list("ab .,;-'\"\t\n\r\x0b\x0c\x1c\x1f\x85\u00a0\u1680\u2000\u2003\u2028\u2029\u202f\u205f\u3000")
    + list(clauses._REPLACE)
    + ["\ufb01", "\u2460", "e\u0301", "\uff21", "\u00bd", "\U0001d400"]
)


@SETTINGS
@given(st.lists(CHARS, max_size=30).map("".join))
@example("a\u00a0b")
@example("a  b")
@example(" a\u2026b\u2019c ")
def test_canonical_shortcuts_change_nothing(text: str) -> None:
    assert canonical(text) == _canonical_reference(text)


@SETTINGS
@given(st.lists(st.lists(CHARS, max_size=12).map("".join), max_size=5))
def test_text_builder_collapses_every_whitespace_run(parts: list[str]) -> None:
    builder = TextBuilder()
    for part in parts:
        builder.add(part)
    text, _ = builder.build()
    assert text == " ".join("".join(parts).split())


def test_sentence_model_loads_with_the_first_document() -> None:
    """A warm-up on a one-sentence document leaves nothing to load during a later, timed one."""
    clauses._tokenizer.cache_clear()
    normalize("# Terms\n\nWe use data\n", format="markdown")
    assert clauses._tokenizer.cache_info().currsize == 1


def test_compare_pauses_the_collector_once_and_restores_it() -> None:
    """compare() pauses the cyclic collector around the whole comparison: it must come back as it
    was, and the comparison must leave nothing that only the collector could free."""
    old = "# Terms\n\n" + "\n\n".join(
        f"**{i}.** We use [data](https://x.org/{i % 7}) &amp; more." for i in range(2000)
    )
    new = old.replace("**7.** We use", "**7.** We sell")
    seen: list[bool] = []

    def probe(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(gc.isenabled())  # False: a collection ran inside the paused comparison

    assert gc.isenabled()
    gc.callbacks.append(probe)
    try:
        expected = policydiff.compare(old, new, format="markdown")
    finally:
        gc.callbacks.remove(probe)
    assert gc.isenabled()
    assert all(seen)  # at most the one collection once the collector is back, never during the run
    gc.disable()
    try:
        gc.collect()
        assert policydiff.compare(old, new, format="markdown") == expected
        assert not gc.isenabled()  # a program that disabled it itself is left alone
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_compares_from_several_threads_leave_the_collector_on() -> None:
    """Threads that compare at once must not leave the collector off."""
    from concurrent.futures import ThreadPoolExecutor

    old = "# Terms\n\n" + "\n\n".join(
        f"Clause {i}: we use [data](https://x.org/{i}) here." for i in range(1000)
    )
    new = old.replace("Clause 9:", "Clause 9: we sell data;")
    assert gc.isenabled()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: policydiff.compare(old, new, format="markdown"), range(6)))
    assert all(r == results[0] for r in results)
    assert gc.isenabled()
