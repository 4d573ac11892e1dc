"""Normalize: structure, canonical text, labels, sentences, ids, announcements, inputs, bad input, CLI."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from policydiff.cli import main
from policydiff.errors import InputError, ParseError
from policydiff.model import Document, Snapshot, sha256_hex
from policydiff.normalize import canonical, normalize, sentences, split_label

ID_RE = re.compile(r"^[su]\d+(?:\.\d+)*(?:-p\d+)?$")


def texts(doc: Document) -> list[str]:
    return [c.text for c in doc.clauses()]


def canon(doc: Document) -> list[str]:
    return [c.canonical for c in doc.clauses()]


def titles(doc: Document) -> list[str]:
    return [s.title for s in doc.sections() if s.level]


# --------------------------------------------------------------------------- Markdown

MD = """\
# Privacy Policy

Intro with a [link](https://example.com/a?utm_source=x) and *emphasis* and **bold**.

## 1. Data We Collect

We collect:

1. Your name.
2. Your email, including:
   - work email;
   - personal email.
3. Your *location*.

| Data | Purpose |
|------|---------|
| Name | Account |

## 2. Sharing

We share data with partners.
"""


def test_markdown_structure() -> None:
    doc = normalize(MD)
    assert doc.format == "markdown"
    assert doc.title == "Privacy Policy"
    assert titles(doc) == ["Privacy Policy", "Data We Collect", "Sharing"]
    sections = list(doc.sections())
    assert [s.label for s in sections[1:]] == [None, "1.", "2."]
    clauses = list(doc.clauses())
    first = clauses[0]
    assert first.text == "Intro with a link and emphasis and bold."
    assert "https://" not in first.text and "utm_source" not in first.canonical
    (link,) = first.links
    assert link.target == "https://example.com/a?utm_source=x"
    assert first.text[link.start : link.end] == link.text == "link"
    items = [c for c in clauses if c.kind == "list_item"]
    assert [(c.label, c.depth, c.text) for c in items] == [
        ("1.", 0, "Your name."),
        ("2.", 0, "Your email, including:"),
        ("-", 1, "work email;"),
        ("-", 1, "personal email."),
        ("3.", 0, "Your location."),
    ]
    rows = [c.text for c in clauses if c.kind == "table_row"]
    assert rows == ["Data | Purpose", "Name | Account"]
    assert clauses[-1].text == "We share data with partners."
    assert clauses[-1].id == "s1.2-p1"


def test_markdown_heading_inside_list_item_takes_its_number() -> None:
    """Archive Markdown nests whole sections in ordered list items ("1. Introduction" + underline)."""
    md = (
        "1. Introduction\n    ------------\n\n    We are a network.\n\n    More text.\n\n"
        "2. Data\n    ----\n\n    Data text.\n"
    )
    doc = normalize(md, format="markdown")
    sections = [s for s in doc.sections() if s.level]
    assert [(s.label, s.title) for s in sections] == [("1.", "Introduction"), ("2.", "Data")]
    assert [(c.id, c.kind, c.text) for c in doc.clauses()] == [
        ("s1-p1", "paragraph", "We are a network."),
        ("s1-p2", "paragraph", "More text."),
        ("s2-p1", "paragraph", "Data text."),
    ]


def test_markdown_bold_line_is_a_heading_but_bold_lead_in_is_not() -> None:
    doc = normalize("**Your Choices**\n\nYou may opt out.\n\n**Through our APIs.** We share posts.\n")
    assert titles(doc) == ["Your Choices"]
    assert texts(doc) == ["You may opt out.", "Through our APIs. We share posts."]


def test_markdown_ragged_table_keeps_every_cell() -> None:
    md = "| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 [x](https://e.com) |\n|  | z |\n"
    doc = normalize(md, format="markdown")
    assert texts(doc) == ["a | b", "1", "1 | 2 | 3 x", "z"]
    row = list(doc.clauses())[2]
    assert row.links[0].target == "https://e.com" and row.text[row.links[0].start : row.links[0].end] == "x"


def test_markdown_ragged_table_after_a_paragraph_keeps_every_cell() -> None:
    # the source lines of a ragged row were once looked up in the previous block's text instead
    md = "# Title\n\nIntro line.\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n"
    assert texts(normalize(md, format="markdown")) == ["Intro line.", "a | b", "1 | 2 | 3"]


def test_raw_html_inside_markdown_is_read_as_html() -> None:
    md = "# T\n\n<div><script>var x = 1;</script><p>Kept <b>text</b>.</p><!-- note --></div>\n\nAfter.\n"
    assert texts(normalize(md, format="markdown")) == ["Kept text.", "After."]


# --------------------------------------------------------------------------- plain text

TEXT = """\
TERMS OF SERVICE

1. Introduction

These terms apply to you. They were
wrapped over two lines.

1.1 Accounts

You need an account.

(a) Eligibility

- You must be 16.
- You must agree.

Section 4 Privacy

See our policy.
"""


def test_plain_text_headings_paragraphs_lists() -> None:
    doc = normalize(TEXT, format="text")
    sections = [s for s in doc.sections() if s.level]
    assert [(s.label, s.title) for s in sections] == [
        (None, "TERMS OF SERVICE"),
        ("1.", "Introduction"),
        ("1.1", "Accounts"),
        ("(a)", "Eligibility"),
        ("Section 4", "Privacy"),
    ]
    assert texts(doc) == [
        "These terms apply to you. They were wrapped over two lines.",
        "You need an account.",
        "You must be 16.",
        "You must agree.",
        "See our policy.",
    ]
    assert [c.label for c in doc.clauses()] == [None, None, "-", "-", None]
    # nesting follows the numbering: 1.1 sits under 1., (a) under 1.1
    ids = {s.title: s.id for s in doc.sections() if s.level}
    assert ids["Accounts"].startswith(ids["Introduction"] + ".")
    assert ids["Eligibility"].startswith(ids["Accounts"] + ".")


def test_plain_text_heading_directly_above_its_text() -> None:
    doc = normalize("ACME PRIVACY NOTICE\nLast updated: May 1, 2024\n\nARTICLE I - DEFINITIONS\n\nText.\n")
    sections = [s for s in doc.sections() if s.level]
    assert [(s.label, s.title) for s in sections] == [
        (None, "ACME PRIVACY NOTICE"),
        ("ARTICLE I", "DEFINITIONS"),
    ]
    assert texts(doc) == ["Last updated: May 1, 2024", "Text."]
    assert doc.title == "ACME PRIVACY NOTICE"


def test_plain_text_detected_and_sentence_ending_numbered_line_is_a_clause() -> None:
    doc = normalize("1. We collect your name.\n2. We share it with partners.\n")
    assert doc.format == "text"
    assert [(c.label, c.text) for c in doc.clauses()] == [
        ("1.", "We collect your name."),
        ("2.", "We share it with partners."),
    ]


# --------------------------------------------------------------------------- canonical text, labels


def test_canonical_unifies_typography() -> None:
    fancy = "We\u2019re \u201cLinkedIn\u201d \u2014 co\u00adoperate\u200b with \ufb01rms\u2026  and\u00a0 you"
    assert canonical(fancy) == 'We\'re "LinkedIn" - cooperate with firms... and you'
    assert canonical("a\u2013b \u2018c\u2019 \uff02d\uff02") == "a-b 'c' \"d\""


@pytest.mark.parametrize(
    ("text", "label", "rest"),
    [
        ("1. Data", "1.", "Data"),
        ("3.2 Data", "3.2", "Data"),
        ("(a) Data", "(a)", "Data"),
        ("(iv) Data", "(iv)", "Data"),
        ("b) Data", "b)", "Data"),
        ("\u2022 Data", "\u2022", "Data"),
        ("Data 1. here", None, "Data 1. here"),
        ("e.g. this", None, "e.g. this"),
    ],
)
def test_split_label(text: str, label: str | None, rest: str) -> None:
    assert split_label(text) == (label, rest)


def test_heading_labels() -> None:
    assert split_label("Section 4 Privacy", heading=True) == ("Section 4", "Privacy")
    assert split_label("Article 12: Law", heading=True) == ("Article 12:", "Law")
    assert split_label("2024", heading=True) == (None, "2024")


def test_renumbering_and_marker_spacing_keep_canonical_text() -> None:
    a = normalize("1. We collect data.\n2. We share data.\n", format="markdown")
    b = normalize("3.  We collect data.\n4.    We share data.\n", format="markdown")
    c = normalize("- We collect data.\n* We share data.\n", format="markdown")
    assert canon(a) == canon(b) == canon(c) == ["We collect data.", "We share data."]
    assert [x.label for x in b.clauses()] == ["3.", "4."]
    assert [x.label for x in c.clauses()] == ["-", "-"]


def test_numbering_typed_into_list_items_is_the_label() -> None:
    a = normalize("<ol style='list-style:none'><li>(a) We collect data.</li><li>(b) We share it.</li></ol>")
    b = normalize("<ul><li>(c) We collect data.</li><li>(d) We share it.</li></ul>")
    assert canon(a) == canon(b) == ["We collect data.", "We share it."]
    assert [c.label for c in a.clauses()] == ["(a)", "(b)"]


def test_paragraph_numbering_is_split_off_too() -> None:
    a = normalize("<p>(a) We collect data.</p><p>(b) We share it.</p>")
    b = normalize("<p>(c) We collect data.</p><p>(d) We share it.</p>")
    assert canon(a) == canon(b)
    assert [c.label for c in b.clauses()] == ["(c)", "(d)"]


# --------------------------------------------------------------------------- sentences


def test_sentences_respect_legal_abbreviations() -> None:
    text = (
        "As described in Sec. 3.1 below, we share data with LinkedIn Inc. and its affiliates, e.g. "
        "Microsoft, in the U.K. and elsewhere. We do not sell data. You may object."
    )
    doc = normalize(text, format="text")
    (clause,) = doc.clauses()
    assert clause.sentence_texts() == (
        "As described in Sec. 3.1 below, we share data with LinkedIn Inc. and its affiliates, e.g. "
        "Microsoft, in the U.K. and elsewhere.",
        "We do not sell data.",
        "You may object.",
    )


def test_sentences_of_a_long_clause_are_chunked_and_cover_it() -> None:
    text = "We collect data. " * 5000
    spans = sentences(text.strip())
    assert len(spans) == 5000
    assert all(text[s.start : s.end] == "We collect data." for s in spans)


# --------------------------------------------------------------------------- ids


def test_ids_unique_fragment_safe_and_stable() -> None:
    base = "# A\n\nOne.\n\nTwo.\n\n## B\n\nThree.\n\n# C\n\nFour.\n"
    doc = normalize(base)
    ids = [s.id for s in doc.sections()] + [c.id for c in doc.clauses()]
    assert len(ids) == len(set(ids))
    assert all(ID_RE.match(i) for i in ids)
    assert [c.id for c in doc.clauses()] == ["s1-p1", "s1-p2", "s1.1-p1", "s2-p1"]
    # a change after a clause leaves its id alone; one before it in its section moves it
    later = normalize(base + "\nFive.\n")
    assert [c.id for c in later.clauses()][:4] == [c.id for c in doc.clauses()]
    edited = normalize(base.replace("Three.", "Three, reworded."))
    assert [c.id for c in edited.clauses()] == [c.id for c in doc.clauses()]


# --------------------------------------------------------------------------- HTML

PAGE = """<!doctype html><html><head><title>t</title><style>p{color:red}</style>
<script>var token = "abc123";</script></head><body>
<header><a href="/">Home</a> <nav><a href="/x">Products</a></nav></header>
<div id="onetrust-banner-sdk"><p>We use cookies. Accept all?</p></div>
<main>
<h1>Privacy Policy</h1>
<p>Effective <b>May 1, 2025</b>.</p>
<div class="cookie-consent-banner"><p>Cookie settings</p></div>
<h2>1. Data</h2>
<p>We collect <a href="https://e.com/?x=1">your data</a>.</p>
<p style="display: none">Hidden text.</p>
<p hidden>Also hidden.</p>
<span aria-hidden="true">Icon</span>
<ol><li>Name</li><li>Email<ul><li>work</li></ul></li></ol>
<p><strong>Sharing</strong></p>
<p>We share.</p>
<table><tr><th>Data</th><th>Use</th></tr><tr><td>Name</td><td></td><td>Ads</td></tr></table>
<div>Loose text in a div<p>and a paragraph</p></div>
</main>
<footer><p>Copyright 2025</p></footer>
</body></html>"""


def test_html_chrome_removed_and_structure_kept() -> None:
    doc = normalize(PAGE)
    assert doc.format == "html"
    assert doc.title == "Privacy Policy"
    assert titles(doc) == ["Privacy Policy", "Data", "Sharing"]
    assert texts(doc) == [
        "Effective May 1, 2025.",
        "We collect your data.",
        "Name",
        "Email",
        "work",
        "We share.",
        "Data | Use",
        "Name | Ads",
        "Loose text in a div",
        "and a paragraph",
    ]
    clauses = list(doc.clauses())
    assert [(c.label, c.depth) for c in clauses[2:5]] == [("1.", 0), ("2.", 0), ("-", 1)]
    assert clauses[1].links[0].target == "https://e.com/?x=1"
    all_text = " ".join(texts(doc) + titles(doc))
    for chrome in ("Home", "Products", "cookies", "Cookie settings", "Hidden", "Icon", "Copyright", "token"):
        assert chrome not in all_text


def test_html_title_falls_back_to_the_title_element() -> None:
    doc = normalize(
        "<html><head><title>Acme &amp; Co \u2013 Terms</title></head><body><p>Be nice.</p></body></html>"
    )
    assert doc.title == "Acme & Co \u2013 Terms"


def test_both_html_readers_agree_on_the_sample_page() -> None:
    from policydiff.normalize.html import html_blocks

    assert html_blocks(PAGE) == html_blocks(PAGE, remove_selectors=("#absent",))
    xhtml = '<?xml version="1.0" encoding="utf-8"?><html><body><p>Caf\u00e9 <!-- c -->ok.</p></body></html>'
    assert texts(normalize(xhtml)) == ["Caf\u00e9 ok."]


def test_html_without_main_uses_body_minus_chrome() -> None:
    html = (
        "<html><body><nav>Menu</nav><div><h2>Terms</h2><p>Be nice.</p></div><footer>c</footer></body></html>"
    )
    doc = normalize(html)
    assert titles(doc) == ["Terms"] and texts(doc) == ["Be nice."]


def test_html_identical_text_with_different_tokens_gives_identical_documents() -> None:
    a = PAGE.replace('"abc123"', '"zzz999"').replace("<main>", '<main data-build="1" nonce="x">')
    b = PAGE.replace("<main>", '<main data-build="2" nonce="y">').replace("<p>", '<p data-tracking="7">')
    da, db = normalize(a), normalize(b)
    assert da.sha256 != db.sha256
    assert da.root == db.root and da.title == db.title


def test_div_chrome_outside_main_and_double_br_paragraphs() -> None:
    html = (
        "<html><body><div id='site-header'><a href='/'>Home</a></div><div class='sidebar'>Links</div>"
        "<div class='content'><h1>Terms</h1>First paragraph<br>still first.<br><br>Second paragraph.</div>"
        "<div class='footer'>Copyright</div></body></html>"
    )
    doc = normalize(html)
    assert titles(doc) == ["Terms"]
    assert texts(doc) == ["First paragraph still first.", "Second paragraph."]


def test_responsive_hiding_classes() -> None:
    html = (
        "<main><p class='hidden'>Never.</p><p class='hidden md:block'>Desktop one.</p>"
        "<p class='d-none'>Nope.</p><p class='d-none d-lg-block'>Desktop two.</p>"
        "<p class='sr-only'>Skip.</p></main>"
    )
    assert texts(normalize(html)) == ["Desktop one.", "Desktop two."]


def test_collapsed_accordion_panels_are_content() -> None:
    html = (
        "<main><p>Intro.</p><div class='expandable__content' aria-hidden='true' data-collapsed='true'>"
        "<p>Folded clause.</p></div><div aria-hidden='true'><p>Decoration.</p></div></main>"
    )
    assert texts(normalize(html)) == ["Intro.", "Folded clause."]


# --------------------------------------------------------------------------- inputs


def test_str_is_text_never_a_path(tmp_path: Path) -> None:
    (tmp_path / "policy.md").write_text("# Real file\n\nFrom disk.\n")
    doc = normalize(str(tmp_path / "policy.md"))
    assert doc.source == "<string>"
    assert texts(doc) == [str(tmp_path / "policy.md")]


def test_path_bytes_and_name(tmp_path: Path) -> None:
    path = tmp_path / "policy.txt"
    data = "# Not markdown here\n\nCaf\u00e9 terms.\n".encode()
    path.write_bytes(data)
    doc = normalize(path)
    assert doc.source == str(path) and doc.format == "text" and doc.sha256 == sha256_hex(data)
    assert normalize(path, name="acme/terms").source == "acme/terms"
    assert normalize(data).sha256 == sha256_hex(data)
    assert normalize("abc def").sha256 == sha256_hex(b"abc def")


def test_bytes_decoding_by_bom_meta_and_fallback() -> None:
    assert texts(normalize(b"\xef\xbb\xbfCaf\xc3\xa9 ok.")) == ["Caf\u00e9 ok."]
    assert texts(normalize("\ufeffCaf\u00e9 ok.".encode("utf-16"))) == ["Caf\u00e9 ok."]
    meta = b'<html><head><meta charset="iso-8859-1"></head><body><p>Caf\xe9 ok.</p></body></html>'
    assert texts(normalize(meta)) == ["Caf\u00e9 ok."]
    assert texts(normalize(b"Caf\xe9 ok, \x93quoted\x94.")) == ["Caf\u00e9 ok, \u201cquoted\u201d."]


def test_snapshot_charset_format_selectors_and_metadata() -> None:
    when = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    html = (
        "<html><body><div id='nav'><p>Menu</p></div><div class='doc'><p>Caf\u00e9 terms.</p>"
        "<p class='ad'>Buy!</p></div></body></html>"
    )
    snap = Snapshot(
        content=html.encode("latin-1"),
        url="https://acme.test/terms",
        fetched_at=when,
        headers={"Content-Type": "text/html; charset=ISO-8859-1"},
        selectors=(".doc",),
        remove_selectors=(".ad",),
    )
    doc = normalize(snap)
    assert texts(doc) == ["Caf\u00e9 terms."]
    assert doc.source == "https://acme.test/terms" and doc.fetched_at == when and doc.format == "html"
    assert doc.sha256 == snap.sha256
    gone = Snapshot(content=html.encode("latin-1"), url="https://acme.test/terms", selectors=("#terms-body",))
    with pytest.raises(ParseError, match=r"https://acme.test/terms: .*'#terms-body' no longer matches"):
        normalize(gone)
    with pytest.raises(InputError, match="invalid CSS selector"):
        normalize(Snapshot(content=b"<p>x</p>", selectors=("p[",)))


# --------------------------------------------------------------------------- announcements, pending pages


@pytest.mark.parametrize(
    ("banner", "date"),
    [
        ("We\u2019re updating our terms on November 3, 2025. See what\u2019s coming.", "2025-11-03"),
        ("On November 20, 2024, we are updating our User Agreement. Click below for more.", "2024-11-20"),
        ("We are making some changes to our Privacy Notice, effective 1 March 2026.", "2026-03-01"),
        ("Our updated Terms of Use will take effect on 2026-01-15.", "2026-01-15"),
        ("We will be revising these Terms soon.", None),
        ("Our Privacy Policy is changing on 1 December 2025.", "2025-12-01"),
        ("Heads up: the Acme Terms of Service will be updated on Jan. 5, 2026.", "2026-01-05"),
    ],
)
def test_announcement_banners(banner: str, date: str | None) -> None:
    doc = normalize(f"{banner}\n\n# Terms\n\nWe provide the service.\n", format="markdown")
    (announcement,) = doc.announcements
    assert announcement.date == date
    assert announcement.clause_ids == ("s0-p1",)
    assert doc.clause("s0-p1") is not None and doc.upcoming is None


@pytest.mark.parametrize(
    "text",
    [
        "We may update this policy from time to time. Changes will take effect when we post them.",
        "On November 20, 2024, we updated our User Agreement.",
        "We are updating the app every week to fix bugs.",
        "This policy will be updated from time to time, and changes will take effect when posted.",
        "Our Privacy Policy was last changed on 1 May 2024.",
    ],
)
def test_not_announcements(text: str) -> None:
    assert normalize(text, format="text").announcements == ()


PENDING = """\
# Acme Terms

Our new Terms will come into force on 1 June 2026. The current Terms continue to apply until then.

## Your data

We may use your content to train AI models.

We share data with vendors.

We keep data for a year.

## Current terms

These terms are effective until June 1, 2026.

## Your data

We share data with vendors.

We keep data for a year.
"""


def test_pending_version_page_keeps_the_upcoming_part_apart() -> None:
    doc = normalize(PENDING)
    assert doc.upcoming is not None
    upcoming = [c for s in doc.upcoming.walk() for c in s.clauses]
    assert all(c.upcoming and c.id.startswith("u") for c in upcoming)
    assert "We may use your content to train AI models." in [c.text for c in upcoming]
    current = texts(doc)
    assert "We may use your content to train AI models." not in current
    assert current[-2:] == ["We share data with vendors.", "We keep data for a year."]
    assert not any(c.upcoming for c in doc.clauses())
    assert {a.date for a in doc.announcements} == {"2026-06-01"}
    ids = [c.id for c in doc.clauses()] + [c.id for c in upcoming]
    assert len(ids) == len(set(ids))


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "empty"),
        ("  \n\t\n ", "empty"),
        (b"", "empty"),
        ("<html><head><script>x()</script></head><body><nav>Menu</nav></body></html>", "no text left"),
        (b"\x00\x01\x02binary", "binary"),
        (b"%PDF-1.7\n...", "PDF"),
        (bytes(range(1, 32)) * 50, "binary"),
    ],
)
def test_bad_input_is_a_parse_error(data: str | bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        normalize(data)


def test_invalid_utf8_is_a_parse_error_naming_the_source(tmp_path: Path) -> None:
    path = tmp_path / "bad.html"
    data = b'<html><head><meta charset="utf-8"></head><body><p>caf\xe9</p></body></html>'
    path.write_bytes(data)
    with pytest.raises(ParseError, match=rf"bad.html: not valid utf-8 .*offset {data.index(0xE9)}"):
        normalize(path)
    snap = Snapshot(content=b"caf\xe9", url="https://x.test/p", media_type="text/plain; charset=utf-8")
    with pytest.raises(ParseError, match=r"https://x.test/p: not valid utf-8"):
        normalize(snap)


def test_deeply_nested_html_does_not_recurse() -> None:
    n = 100_000
    started = time.monotonic()
    doc = normalize("<html><body>" + "<div>" * n + "deep text" + "</div>" * n + "<p>after</p></body></html>")
    assert texts(doc) == ["deep text", "after"]
    doc = normalize("<p>" + "<span><i>" * (n // 2) + "x y")
    assert texts(doc) == ["x y"]
    assert time.monotonic() - started < 60


def test_deeply_numbered_headings_keep_the_tree_shallow() -> None:
    text = "\n\n".join(".".join(["1"] * n) + " Heading\n\nText." for n in range(2, 41))
    doc = normalize(text, format="text")
    assert sum(1 for s in doc.sections() if s.title == "Heading") == 39
    assert max(s.level for s in doc.sections()) <= 12
    assert [c.text for c in doc.clauses()] == ["Text."] * 39


def test_deeply_nested_markdown_keeps_every_word() -> None:
    deep_list = "".join("  " * i + f"- item {i}\n" for i in range(2000))
    doc = normalize(deep_list, format="markdown")
    assert texts(doc) == [f"item {i}" for i in range(2000)]
    assert normalize(">" * 100_000 + " quoted", format="markdown").root.clauses


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_fifty_megabyte_single_line(fmt: str) -> None:
    sentence = "We may share your \u201cdata\u201d with partners, e.g. vendors in the U.K. and elsewhere. "
    line = (sentence * (50_000_000 // len(sentence) + 1))[:50_000_000]
    source = f"<p>{line}</p>" if fmt == "html" else line
    started = time.monotonic()
    doc = normalize(source, format=fmt)  # type: ignore[arg-type]
    elapsed = time.monotonic() - started
    (clause,) = doc.clauses()
    assert len(clause.text) == len(line.rstrip())
    assert clause.sentences and clause.sentences[-1].end == len(clause.text)
    assert elapsed < 120


# --------------------------------------------------------------------------- CLI


def test_show_command_text_json_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "terms.md"
    path.write_text("# Terms\n\n1. We collect [data](https://e.com).\n2. We share it.\n")
    runner = CliRunner()
    result = runner.invoke(main, ["show", str(path)])
    assert result.exit_code == 0, result.output
    assert "s1  # Terms" in result.output
    assert "s1-p1  1. We collect data." in result.output
    result = runner.invoke(main, ["show", str(path), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    clause = data["root"]["sections"][0]["clauses"][0]
    assert (
        clause["id"] == "s1-p1"
        and clause["label"] == "1."
        and clause["links"][0]["target"] == "https://e.com"
    )
    pending = tmp_path / "pending.md"
    pending.write_text(PENDING)
    result = runner.invoke(main, ["show", str(pending)])
    assert result.exit_code == 0
    assert "announcement (date 2026-06-01)" in result.output
    upcoming = result.output.split("Upcoming version (announced, not in force):")[1]
    assert "We may use your content to train AI models." in upcoming
    data = json.loads(runner.invoke(main, ["show", str(pending), "--format", "json"]).output)
    assert data["upcoming"]["id"] == "u0" and data["announcements"][0]["date"] == "2026-06-01"
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x00\x00\x01")
    result = runner.invoke(main, ["show", str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith("policydiff: error: ") and "binary" in result.output
    result = runner.invoke(main, ["show", str(tmp_path / "missing.md")])
    assert result.exit_code == 2 and "policydiff: error:" in result.output


def test_canonical_drops_emphasis_markers_left_unparsed() -> None:
    """Archives export bold as '** Term.**', which CommonMark leaves literal; it is presentation."""
    from policydiff.normalize import canonical

    assert canonical("** Usage Information.** We collect data.") == canonical(
        "Usage Information. We collect data."
    )
    assert canonical("***Note***: we share data") == canonical("Note: we share data")
    assert canonical("a * b") == "a * b"  # a single asterisk is text


def test_numbered_bold_list_item_is_a_section_heading() -> None:
    """Archives store numbered section headings as one-item lists ("1. **SHARING**")."""
    text = (
        "# Terms\n\n1. **ACCOUNT INFORMATION; SHARING**\n\n**1.1 Registration**. You may need an account.\n\n"
        "2. **CUSTOMER CONTENT**\n\n**2.1 Content**. You own your content.\n\n"
        "- **Not a heading: a bullet**\n\n3. A numbered clause that is plain text.\n"
    )
    doc = normalize(text, format="markdown")
    titles = [(s.label, s.title) for s in doc.sections() if s.level > 1]
    assert titles == [("1.", "ACCOUNT INFORMATION; SHARING"), ("2.", "CUSTOMER CONTENT")]
    content = next(s for s in doc.sections() if s.title == "CUSTOMER CONTENT")
    first = content.clauses[0]
    assert (first.label, first.text) == ("2.1", "Content. You own your content.")
    kinds = {c.text: c.kind for c in doc.clauses()}
    assert kinds["Not a heading: a bullet"] == "list_item"
    assert kinds["A numbered clause that is plain text."] == "list_item"


def test_a_bold_line_standing_in_for_a_heading_does_not_title_the_document() -> None:
    doc = normalize("1. **ACCOUNT INFORMATION**\n\nYou may need an account.\n", format="markdown")
    assert [s.title for s in doc.sections() if s.title] == ["ACCOUNT INFORMATION"]
    assert doc.title == ""
    assert normalize("## Privacy\n\n**Bold line**\n\nText.\n", format="markdown").title == "Privacy"
