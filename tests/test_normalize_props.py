"""Hypothesis properties of normalize: determinism, canonical text invariant under presentation changes,
unique ids, clause text drawn from the visible text, and Markdown/HTML agreement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policydiff.errors import ParseError
from policydiff.model import Document
from policydiff.normalize import normalize

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)


@dataclass(frozen=True)
class Para:
    words: tuple[str, ...]
    quoted: int | None  # index of a word shown in quotes
    apostrophe: int | None  # index of a word shown as x'y
    dash: int | None  # a dash after this word
    link: int | None  # index of a word that is a link


@dataclass(frozen=True)
class Block:
    kind: str  # heading | para | list
    level: int
    paras: tuple[Para, ...]


@st.composite
def paras(draw: st.DrawFn) -> Para:
    words = tuple(draw(st.lists(WORD, min_size=2, max_size=14)))
    pick = st.none() | st.integers(0, len(words) - 1)
    return Para(words, draw(pick), draw(pick), draw(st.none() | st.integers(0, len(words) - 2)), draw(pick))


@st.composite
def documents(draw: st.DrawFn) -> tuple[Block, ...]:
    blocks = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["heading", "para", "para", "list"]))
        if kind == "heading":
            blocks.append(Block(kind, draw(st.integers(1, 3)), (draw(paras()),)))
        elif kind == "list":
            blocks.append(Block(kind, 0, tuple(draw(st.lists(paras(), min_size=1, max_size=4)))))
        else:
            blocks.append(Block(kind, 0, (draw(paras()),)))
    if all(b.kind == "heading" for b in blocks):
        blocks.append(Block("para", 0, (draw(paras()),)))
    return tuple(blocks)


@dataclass(frozen=True)
class Style:
    """Presentation only: none of it may change canonical text."""

    curly: bool
    dash: str
    spaces: int
    wrap_every: int
    marker_spaces: int
    url: str
    ordered_start: int


styles = st.builds(
    Style,
    curly=st.booleans(),
    dash=st.sampled_from(["-", "\u2013", "\u2014"]),
    spaces=st.integers(1, 3),
    wrap_every=st.integers(0, 5),
    marker_spaces=st.integers(1, 3),
    url=st.sampled_from(["https://a.test/x", "https://a.test/x?utm_source=mail&id=7", "/relative#frag"]),
    ordered_start=st.integers(1, 30),
)


def words_of(para: Para, style: Style, link: str) -> list[str]:
    out = []
    for i, word in enumerate(para.words):
        if para.apostrophe == i:
            mark = "\u2019" if style.curly else "'"
            word = f"{word}{mark}s"
        if para.quoted == i:
            word = f"\u201c{word}\u201d" if style.curly else f'"{word}"'
        if para.link == i:
            word = link.format(text=word, url=style.url)
        out.append(word)
        if para.dash == i:
            out.append(style.dash)
    return out


def join(words: list[str], style: Style, newline: str = "\n") -> str:
    gap = " " * style.spaces
    out = []
    for i, word in enumerate(words):
        if i:
            # never wrap before a dash: at a line start Markdown reads it as a list or underline
            wrap = style.wrap_every and i % style.wrap_every == 0 and word[0].isalpha()
            out.append(newline if wrap else gap)
        out.append(word)
    return "".join(out)


def visible(para: Para, style: Style) -> str:
    return " ".join(words_of(para, style, "{text}"))


def markdown(doc: tuple[Block, ...], style: Style, ordered: bool) -> str:
    parts = []
    for block in doc:
        if block.kind == "heading":
            parts.append("#" * block.level + " " + " ".join(words_of(block.paras[0], style, "{text}")))
        elif block.kind == "para":
            parts.append(join(words_of(block.paras[0], style, "[{text}]({url})"), style))
        else:
            lines = []
            for n, para in enumerate(block.paras):
                marker = f"{style.ordered_start + n}." if ordered else "-"
                indent = " " * (len(marker) + style.marker_spaces)
                body = join(words_of(para, style, "[{text}]({url})"), style, "\n" + indent)
                lines.append(marker + " " * style.marker_spaces + body)
            parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def html(doc: tuple[Block, ...], style: Style) -> str:
    parts = ["<html><body><nav><a href='/'>Home</a></nav><main>"]
    for block in doc:
        if block.kind == "heading":
            title = escape(" ".join(words_of(block.paras[0], style, "{text}")))
            parts.append(f"<h{block.level}>{title}</h{block.level}>")
        elif block.kind == "para":
            text = join(words_of(block.paras[0], style, "<a href='{url}'>{text}</a>"), style)
            parts.append(f"<p>{text}</p>")
        else:
            items = "".join(
                f"<li>{join(words_of(p, style, '<a href={url}>{text}</a>'), style)}</li>" for p in block.paras
            )
            parts.append(f"<ol start='{style.ordered_start}'>{items}</ol>")
    parts.append("</main><footer>Copyright</footer></body></html>")
    return "\n".join(parts)


def canon(doc: Document) -> list[str]:
    return [c.canonical for c in doc.clauses()]


def ids(doc: Document) -> list[str]:
    return [s.id for s in doc.sections()] + [c.id for c in doc.clauses()]


@SETTINGS
@given(documents(), styles, styles, st.booleans())
def test_canonical_text_ignores_presentation(
    doc: tuple[Block, ...], one: Style, two: Style, ordered: bool
) -> None:
    """Re-wrapping, quote/apostrophe/dash style, extra spaces, list-marker spacing, renumbering and
    link targets never change canonical text, titles or ids."""
    a = normalize(markdown(doc, one, ordered), format="markdown")
    b = normalize(markdown(doc, two, not ordered), format="markdown")
    assert canon(a) == canon(b)
    assert [s.canonical_title for s in a.sections()] == [s.canonical_title for s in b.sections()]
    assert ids(a) == ids(b)


@SETTINGS
@given(documents(), styles)
def test_markdown_and_html_of_one_document_agree(doc: tuple[Block, ...], style: Style) -> None:
    a = normalize(markdown(doc, style, True), format="markdown")
    b = normalize(html(doc, style), format="html")
    assert canon(a) == canon(b)
    assert [(c.id, c.label, c.kind) for c in a.clauses()] == [(c.id, c.label, c.kind) for c in b.clauses()]
    assert [c.text for c in a.clauses()] == [c.text for c in b.clauses()]
    assert [[(k.text, k.target) for k in c.links] for c in a.clauses()] == [
        [(k.text, k.target) for k in c.links] for c in b.clauses()
    ]


@SETTINGS
@given(documents(), styles)
def test_lxml_and_beautifulsoup_readers_agree(doc: tuple[Block, ...], style: Style) -> None:
    from policydiff.normalize.html import html_blocks

    page = html(doc, style)
    assert html_blocks(page) == html_blocks(page, remove_selectors=("#absent",))


@SETTINGS
@given(documents(), styles, st.booleans())
def test_deterministic_unique_ids_and_text_from_the_input(
    doc: tuple[Block, ...], style: Style, ordered: bool
) -> None:
    source = markdown(doc, style, ordered)
    first, second = normalize(source), normalize(source)
    assert first == second
    assert normalize(source.encode()).root == first.root
    all_ids = ids(first)
    assert len(all_ids) == len(set(all_ids))
    assert all(re.fullmatch(r"s\d+(?:\.\d+)*(?:-p\d+)?", i) for i in all_ids)
    shown = [visible(p, style) for block in doc for p in block.paras]
    for clause in first.clauses():
        assert clause.text in shown
        assert [source[:0] + clause.text[link.start : link.end] for link in clause.links] == [
            link.text for link in clause.links
        ]
        assert all(link.target == style.url for link in clause.links)
    markup_free = re.sub(r"\s+", " ", " ".join(shown))
    for clause in first.clauses():
        assert clause.text in markup_free


@SETTINGS
@given(
    st.lists(st.lists(WORD, min_size=1, max_size=20), min_size=1, max_size=6),
    st.integers(1, 6),
    st.integers(1, 3),
)
def test_plain_text_rewrapping(paragraphs: list[list[str]], every: int, spaces: int) -> None:
    flat = "\n\n".join(" ".join(p) for p in paragraphs)
    wrapped = "\n\n".join(
        "".join((("\n" if i % every == 0 else " " * spaces) if i else "") + w for i, w in enumerate(p))
        for p in paragraphs
    )
    a, b = normalize(flat, format="text"), normalize(wrapped, format="text")
    assert canon(a) == canon(b)
    assert ids(a) == ids(b)
    shown = [" ".join(p) for p in paragraphs]
    for clause in b.clauses():  # display text is the paragraph as shown, re-joined
        assert any(clause.text in para for para in shown)


MARKUP = st.sampled_from(
    ["<p>", "</p>", "<li>", "<ol>", "<table><tr><td>", "<h2>", "**", "# ", "\n\n", "- ", "1. ", "| a |",
     "\u00ad", "[x](y)", "<b>", "&amp;", "\u2019", "(a) ", "Section 4 ", "<!--", "<script>", "\x00", "\ufeff",
     "> "]
)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(MARKUP, st.text(max_size=20)), max_size=30).map("".join),
    st.sampled_from([None, "html", "markdown", "text"]),
    st.booleans(),
)
def test_any_input_gives_a_document_or_a_parse_error(text: str, fmt: str | None, as_bytes: bool) -> None:
    """Arbitrary text and bytes: a Document with unique ids, or ParseError; never anything else."""
    source: str | bytes = text.encode("utf-8", "surrogatepass") if as_bytes else text
    try:
        doc = normalize(source, format=fmt)  # type: ignore[arg-type]
    except ParseError:
        return
    all_ids = ids(doc)
    assert len(all_ids) == len(set(all_ids))
    for clause in doc.clauses():
        assert clause.canonical and clause.text
        for sentence in clause.sentences:
            assert 0 <= sentence.start < sentence.end <= len(clause.text)
