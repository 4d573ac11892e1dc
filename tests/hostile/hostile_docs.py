"""Hostile documents for issue 15: the named reproducers, and a Hypothesis strategy built from them.

Each reproducer is a function of a size (repetitions) returning the page; ``REPRODUCERS`` names the
stage that was slow or crashed on it. ``bench/hostile.py`` times them per stage; the tests in this
folder run them with a time bound proportional to their size.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st

BASE = "# Privacy\n\nWe collect your email address.\n\nWe keep it for one year.\n"


def comments(n: int) -> str:
    return "<!--a-->" * n + "x"


def long_sentence(n: int) -> str:
    return "# Privacy\n\n" + "we may sell your data " * n + "\n"


def many_links(n: int) -> str:
    links = " ".join(f'<a href="https://example.com/{i}">link {i}</a>' for i in range(n))
    return f"<html><body><h1>Privacy</h1><p>We share data with {links}.</p></body></html>"


def combining_marks(n: int) -> str:
    # marks of two combining classes (230, 220) out of canonical order: NFKC has to reorder them
    marks = "\u0301\u0316" * (n // 2)
    return "<html><body><h1>Privacy</h1><p>We collect a" + marks + " data.</p></body></html>"


def headings(n: int) -> str:
    return "".join(f"## Heading {i}\n\nWe collect item {i}.\n\n" for i in range(n))


def table_rows(n: int) -> str:
    rows = "".join(f"<tr><td>Data {i}</td><td>kept {i} days</td></tr>" for i in range(n))
    return f"<html><body><h1>Privacy</h1><table>{rows}</table></body></html>"


def nested_tags(n: int) -> str:
    return "<html><body>" + "<div>" * n + "<p>We collect data.</p>" + "</div>" * n + "</body></html>"


def nested_quotes(n: int) -> str:
    return "# Privacy\n\n" + ">" * n + " We collect data.\n"


def nested_lists(n: int) -> str:
    return "# Privacy\n\n" + "".join("  " * i + "- We collect item.\n" for i in range(n))


def entities(n: int) -> str:
    return "<html><body><p>We collect " + "&amp;&#x41;&bogus;" * n + "</p></body></html>"


def long_word(n: int) -> str:
    return "# Privacy\n\nWe collect " + "a" * n + ".\n"


def paragraphs(n: int) -> str:
    return "<html><body>" + "".join(f"<p>We collect item {i}.</p>" for i in range(n)) + "</body></html>"


def open_tags(n: int) -> str:
    return "<p " * n + "We collect data."


def emphasis(n: int) -> str:
    return "# Privacy\n\nWe " + "**a __b *c _d " * n + "collect data.\n"


def blank_lines(n: int) -> str:
    return "We collect data." + "\n" * n + "| a |\n"


# name -> (the stage the issue saw fail, builder, the size that failed in the issue)
REPRODUCERS: dict[str, tuple[str, Callable[[int], str], int]] = {
    "comments": ("sniff", comments, 40),
    "long_sentence": ("findings", long_sentence, 10_000),
    "many_links": ("render-html", many_links, 20_000),
    "combining_marks": ("normalize", combining_marks, 200_000),
    "headings": ("render-terminal", headings, 100_000),
    "table_rows": ("render-terminal", table_rows, 100_000),
    "nested_tags": ("normalize", nested_tags, 5_000),
    "nested_quotes": ("normalize", nested_quotes, 5_000),
    "nested_lists": ("normalize", nested_lists, 2_000),
    "entities": ("normalize", entities, 50_000),
    "long_word": ("compare", long_word, 1_000_000),
    "paragraphs": ("compare", paragraphs, 50_000),
    "open_tags": ("sniff", open_tags, 50_000),
    "emphasis": ("normalize", emphasis, 20_000),
    "blank_lines": ("sniff", blank_lines, 200_000),
}

_FRAGMENTS = st.sampled_from(
    [
        "<!--a-->", "<!--", "-->", "<p>", "</p>", "<p ", "<div>", "<li>", '<ol start="\u00b2">',
        '<li value="--5">', "<table><tr><td>", "<h2>", "<a href='x'>l</a> ", "\u0301", "\u00ad",
        "&amp;", "&#0;", "&#xD800;", "\x00", "\x0b", "\ufeff", "\ud800", "# ", "> ", "- ", "1. ",
        "| a |\n|---|\n", "**", "__", "`", "[x](y)", "\n", "\n\n", " ", "we may sell your data ",
        "(a) ", "Section 4 ", "<meta charset='rot13'>", "<?xml version='1.0'?>", "<html>", "<body>",
    ]
)  # fmt: skip


@st.composite
def hostile_documents(draw: st.DrawFn, max_repeat: int = 2_000) -> str:
    """A page made of a few hostile fragments, each repeated up to ``max_repeat`` times, in any order."""
    pieces = draw(
        st.lists(
            st.tuples(st.one_of(_FRAGMENTS, st.text(max_size=12)), st.integers(1, max_repeat)),
            min_size=1,
            max_size=6,
        )
    )
    return "".join(fragment * count for fragment, count in pieces)


def pipeline(text: str) -> tuple[str, float]:
    """Every stage on ``text`` (as text and as UTF-8 bytes): ``("ok" | "typed: ...", CPU seconds)``.

    Any exception other than a ``PolicyDiffError`` propagates: that is the bug the tests look for.
    Runs in a budget worker (module-level, so it can be pickled by name).
    """
    import time

    import policydiff

    start = time.process_time()
    outcome = "ok"
    try:
        for source in (text, text.encode("utf-8", "surrogatepass")):
            try:
                document = policydiff.normalize(source)
            except policydiff.PolicyDiffError as exc:
                outcome = f"typed: {type(exc).__name__}"
                continue
            result = policydiff.compare(policydiff.normalize(BASE), document)
            for output in (result.to_html(), result.to_terminal(color=False), result.to_markdown()):
                output.encode("utf-8")
            result.to_json().encode("utf-8")
    except policydiff.PolicyDiffError as exc:
        outcome = f"typed: {type(exc).__name__}"
    return outcome, time.process_time() - start
