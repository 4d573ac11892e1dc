"""PDF documents: made here with fpdf2 (our own words), read back with policydiff's pdf front end.

The PDFs carry what real policy PDFs carry: a running header, a "Page N of M" footer, numbered
headings in a larger font, paragraphs running over a page break, words hyphenated at line ends.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from policydiff import compare, normalize
from policydiff.errors import ParseError
from policydiff.model import Document, Snapshot

fpdf = pytest.importorskip("fpdf")

HEADER = "Example Co. - Privacy Notice - Confidential"
COLLECT = [
    "We collect the details you give us when you open an account, such as your name, your email "
    "address and the country you live in.",
    "We also collect information about how you use the service: the pages you open, the features "
    "you use and the time you spend on them.",
]
SHARE = [
    "We share personal data with processors that work on our behalf under written contracts which "
    "require them to protect it.",
    "We do not sell personal data to anyone.",
]
KEEP = ["We keep account data for as long as your account is open and for twelve months after it is closed."]


class _PolicyPdf(fpdf.FPDF):  # type: ignore[misc]  # fpdf2 ships no type information
    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, HEADER, align="C")
        self.ln(12)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")


def make_pdf(sections: list[tuple[str, list[str]]], *, filler: int = 9, hyphenate: bool = True) -> bytes:
    """A policy PDF: numbered headings (14 pt bold), body paragraphs (11 pt), filler to span pages."""
    pdf = _PolicyPdf()
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 10, "Privacy Notice")
    pdf.ln(4)
    for number, (title, paragraphs) in enumerate(sections, 1):
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 8, f"{number}. {title}")
        pdf.ln(2)
        pdf.set_font("Helvetica", size=11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph)
            pdf.ln(4)
        if hyphenate and number == 1:
            # a paragraph with a word broken over two lines by a hyphen, as typesetters do
            pdf.cell(0, 6, "You can ask us for a copy of the information we hold about you, includ-")
            pdf.ln(6)
            pdf.cell(0, 6, "ing the data you gave us and the data we observed, at any time.")
            pdf.ln(10)
        for index in range(filler):
            pdf.multi_cell(
                0,
                6,
                f"Note {number}.{index + 1}: this part of the notice explains the details of "
                f"section {number} in plain words for readers who want to know more about it.",
            )
            pdf.ln(4)
    return bytes(pdf.output())


SECTIONS_V1 = [("Information we collect", COLLECT), ("Sharing", SHARE), ("Retention", KEEP)]


@pytest.fixture(scope="module")
def v1() -> bytes:
    return make_pdf(SECTIONS_V1)


def texts(document: Document) -> list[str]:
    return [clause.text for clause in document.clauses()]


def test_sections_come_from_numbered_headings_and_clauses_keep_their_text(v1: bytes) -> None:
    document = normalize(v1)
    assert document.format == "pdf"
    numbered = [(s.label, s.title) for s in document.sections() if s.label]
    assert numbered == [("1.", "Information we collect"), ("2.", "Sharing"), ("3.", "Retention")]
    assert document.title == "Privacy Notice"
    all_text = texts(document)
    for paragraph in COLLECT + SHARE + KEEP:
        assert paragraph in all_text, paragraph
    sharing = next(s for s in document.sections() if s.title == "Sharing")
    assert [c.text for c in sharing.clauses][:2] == SHARE


def test_running_header_footer_and_page_numbers_are_dropped(v1: bytes) -> None:
    import pypdf

    pages = len(pypdf.PdfReader(io.BytesIO(v1)).pages)
    assert pages >= 3, "the test PDF must span several pages for running headers to repeat"
    joined = "\n".join(texts(normalize(v1)))
    assert HEADER not in joined
    assert "Page 1 of" not in joined and f"of {pages}" not in joined


def test_hyphenated_line_break_is_joined(v1: bytes) -> None:
    joined = "\n".join(texts(normalize(v1)))
    assert "including the data you gave us" in joined
    assert "includ-" not in joined


def test_a_paragraph_over_a_page_break_stays_one_clause() -> None:
    long = " ".join(f"Sentence {i} of the long clause keeps going on across the page." for i in range(60))
    document = normalize(make_pdf([("Long", [long])], filler=0, hyphenate=False))
    assert long in texts(document)


def test_words_drawn_in_separately_placed_pieces_keep_their_spacing() -> None:
    """Word processors place runs (parts of words, words) one by one; no spaces are invented."""
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    lines = ["We collect the details you give us when you open", "an account, such as your name and email."]
    for row, line in enumerate(lines):
        x = 20.0
        for word in line.split():
            for piece in (word[: len(word) // 2], word[len(word) // 2 :]):
                if piece:
                    pdf.text(x, 30 + 6 * row, piece)
                    x += pdf.get_string_width(piece)
            x += pdf.get_string_width(" ")
    assert texts(normalize(bytes(pdf.output()))) == [" ".join(lines)]


def test_a_bold_line_at_body_size_is_a_heading_and_bold_words_in_a_paragraph_are_not() -> None:
    pdf = fpdf.FPDF()
    pdf.add_page()
    for title, body in (("Cookies", COLLECT[0]), ("Your choices", SHARE[1])):
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 6, title)
        pdf.ln(6)  # directly above its paragraph: no wider gap
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, body)
        pdf.ln(4)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(pdf.get_string_width("Note. "), 6, "Note. ")
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 6, "A paragraph that starts with a few bold words is still a paragraph.")
    document = normalize(bytes(pdf.output()))
    assert [(s.title, [c.text for c in s.clauses]) for s in document.sections() if s.title] == [
        ("Cookies", [COLLECT[0]]),
        (
            "Your choices",
            [SHARE[1], "Note. A paragraph that starts with a few bold words is still a paragraph."],
        ),
    ]


def test_two_pdf_versions_compare_clause_by_clause(tmp_path: Path, v1: bytes) -> None:
    changed = "We share personal data with advertising partners and with processors that work on our behalf."
    v2 = make_pdf(
        [("Information we collect", COLLECT), ("Sharing", [changed, SHARE[1]]), ("Retention", KEEP)]
    )
    old, new = tmp_path / "old.pdf", tmp_path / "new.pdf"
    old.write_bytes(v1)
    new.write_bytes(v2)
    comparison = compare(old, new)
    material = [c for c in comparison.changes if c.material]
    assert [(c.kind, c.old_text, c.new_text) for c in material] == [("modified", SHARE[0], changed)]
    assert material[0].new_section is not None and "Sharing" in material[0].new_section
    assert comparison.findings, "sharing with advertising partners is a consent-relevant finding"


def test_identical_pdfs_show_no_change(v1: bytes) -> None:
    pdf = Snapshot(v1, media_type="application/pdf")
    assert compare(pdf, pdf).changes == ()


# ------------------------------------------------------------------------------- bad PDFs


def test_malformed_pdf_is_a_parse_error_saying_so() -> None:
    with pytest.raises(ParseError, match=r"not a readable PDF .*download it again"):
        normalize(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer garbage")


def test_truncated_pdf_is_a_parse_error(v1: bytes) -> None:
    with pytest.raises(ParseError, match="PDF"):
        normalize(v1[: len(v1) // 3])


def test_encrypted_pdf_is_a_parse_error_asking_for_an_unprotected_copy(v1: bytes) -> None:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(v1)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ParseError, match=r"encrypted with a password.*unprotected copy"):
        normalize(out.getvalue())


def test_pdf_encrypted_only_against_editing_is_read(v1: bytes) -> None:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(v1)))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert texts(normalize(out.getvalue())) == texts(normalize(v1))


def test_image_only_pdf_is_a_parse_error_suggesting_ocr() -> None:
    from PIL import Image

    pdf = fpdf.FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("RGB", (200, 100), "white"), x=10, y=10, w=100)
    with pytest.raises(ParseError, match=r"no text layer \(2 page\(s\).*OCR"):
        normalize(bytes(pdf.output()))


def test_selectors_on_a_pdf_are_refused() -> None:
    data = make_pdf(SECTIONS_V1, filler=0)
    with pytest.raises(ParseError, match="CSS selectors"):
        normalize(Snapshot(data, media_type="application/pdf", selectors=("main",)))


def test_pdf_is_found_by_suffix_media_type_or_signature(tmp_path: Path) -> None:
    data = make_pdf(SECTIONS_V1, filler=0)
    path = tmp_path / "notice.pdf"
    path.write_bytes(data)
    by_path = texts(normalize(path))
    assert by_path == texts(normalize(data))
    assert by_path == texts(normalize(Snapshot(data, media_type="application/octet-stream")))
    assert by_path == texts(normalize(data, format="pdf"))


# ------------------------------------------------------------------------------ properties

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9)
_PARAGRAPH = st.lists(_WORD, min_size=3, max_size=40).map(lambda ws: " ".join(ws).capitalize() + ".")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PARAGRAPH, min_size=1, max_size=6))
def test_every_paragraph_comes_back_whole_and_in_order(paragraphs: list[str]) -> None:
    document = normalize(make_pdf([("Terms", paragraphs)], filler=0, hyphenate=False))
    assert [t for t in texts(document) if t in paragraphs] == paragraphs


# ------------------------------------------------------------------------------- fetched


def test_a_pdf_fetched_over_http_is_the_document_and_a_bad_one_says_why(
    v1: bytes, web_servers: Callable[[], HTTPServer]
) -> None:
    import pypdf

    from policydiff.fetch import FetchConfig, fetch_all_sync
    from policydiff.targets import DocumentTarget

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(v1)))
    writer.encrypt(user_password="secret", algorithm="AES-256")
    locked = io.BytesIO()
    writer.write(locked)
    server = web_servers()
    server.expect_request("/notice.pdf").respond_with_data(v1, content_type="application/pdf")
    server.expect_request("/download").respond_with_data(v1, content_type="application/octet-stream")
    server.expect_request("/locked.pdf").respond_with_data(locked.getvalue(), content_type="application/pdf")
    targets = [
        DocumentTarget(service="acme", document=name, url=server.url_for(path))
        for name, path in (("notice", "/notice.pdf"), ("download", "/download"), ("locked", "/locked.pdf"))
    ]
    notice, download, bad = fetch_all_sync(targets, config=FetchConfig(host_delay=0.0, retries=0))
    for result in (notice, download):
        assert result.snapshot is not None and result.document is not None, result.failure
        assert result.snapshot.media_type == "application/pdf" and result.document.format == "pdf"
        assert texts(result.document) == texts(normalize(v1))
    assert bad.snapshot is None and bad.failure is not None and bad.failure.reason == "unparseable"
    assert "encrypted with a password" in bad.failure.message
