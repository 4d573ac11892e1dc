"""The normalize speed shortcuts change nothing: Markdown parsed with the fast parser (markup-free
inline content taken as one text run, memoized link normalization) gives the same blocks as
markdown-it's full inline parser."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from policydiff.normalize.markdown import _full_parser, blocks_with, markdown_blocks

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# prose characters, whitespace of every kind markdown-it and the text builder treat differently,
# block markers, and every inline markup character
PIECES = st.sampled_from(
    [
        "we", "use", "data", "Policy", "3.2", "(a)", "e.g.", "Inc.", "-", ":", "!", "#", "=", "+",
        " ", "  ", "   ", "\t", "\n", "\n\n", "  \n", "\u00a0", "\u2003", "\n- ", "\n1. ", "\n## ",
        "\n    ", "\n> ", "\n---\n", "*", "**", "_", "`", "~~", "[", "]", "(", ")", "<", ">", "&amp;",
        "&", "\\", "![", "](https://example.com/a b)", "[x](https://exämple.com/%zz)", "<br>", "|",
        "\n| a | b |\n|---|---|\n| c | d | e |\n", "<https://example.org>", "<b>", "é", "\u200b",
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
@example("we ![use](https://example.com/a.png) data")
@example("we <https://example.com> data <b>x</b>")
@example("we use<br>data")
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
