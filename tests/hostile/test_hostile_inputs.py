"""Issue 15 reproducers for what callers and web pages hand to normalize/compare: each ends in a
result or a typed ``PolicyDiffError`` (never a traceback), in bounded time."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

import policydiff
from policydiff import InputError, ParseError, PolicyDiffError, compare, normalize
from policydiff.model import Snapshot
from policydiff.normalize.detect import sniff_format

PAGE = "<html><body><h1>Privacy</h1><p>We collect your email address.</p></body></html>"


def _cpu_seconds(call: Any) -> float:
    start = time.process_time()
    call()
    return time.process_time() - start


@pytest.mark.parametrize(
    "text",
    [
        "<!--a-->" * 40 + "x",  # exponential before: 277 bytes took 50 s
        "<!--a-->" * 2500,  # the whole 20,000-character sniff window
        "\n" * 200_000,  # quadratic before (table pattern's \s* crossed lines)
        "<p " * 50_000,
        "# " + " " * 100_000,
        "[" * 100_000,
    ],
    ids=["comments-40", "comments-2500", "newlines", "open-tags", "heading-spaces", "brackets"],
)
def test_format_sniffing_is_linear(text: str) -> None:
    assert _cpu_seconds(lambda: sniff_format(text)) < 0.5


def test_a_page_after_many_comments_is_still_html() -> None:
    assert sniff_format("<?xml version='1.0'?>\n" + "<!-- x -->\n" * 30 + "<html><p>a</p>") == "html"
    assert sniff_format("<!--a-->" * 40 + "x") != "html"
    assert sniff_format("<!-- never closed <html>") != "html"


@pytest.mark.parametrize(
    "charset",
    ["rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri", "undefined", "punycode", "utf-7",
     "unicode_escape", "raw_unicode_escape", "idna"],
)  # fmt: skip
def test_a_codec_that_is_no_charset_is_ignored(charset: str) -> None:
    body = f'<meta charset="{charset}"><p>We collect your caf\u00e9 email +2AA- \\ud800.</p>'.encode()
    for snapshot in (
        Snapshot(content=body, media_type=f"text/html; charset={charset}"),
        Snapshot(content=body, media_type="text/html"),
    ):
        doc = normalize(snapshot)
        (clause,) = doc.clauses()
        assert "caf\u00e9" in clause.text  # read as UTF-8, the declaration ignored


def test_lone_surrogates_never_reach_a_document() -> None:
    with pytest.raises(ParseError, match="lone surrogate"):
        normalize("<p>We collect \ud800 data.</p>")
    # UTF-16 (here by its byte-order mark) refuses them at the byte, as before
    with pytest.raises(ParseError, match="utf-16"):
        normalize(b"\xff\xfe" + "<p>We collect ".encode("utf-16-le") + b"\x00\xd8")


@pytest.mark.parametrize("number", ["\u00b2", "\u2460", "--5", "9" * 5000, "-", "", " 7x", "+3"])
def test_odd_list_numbers_fall_back(number: str) -> None:
    for html in (
        f'<ol start="{number}"><li>We collect data.</li><li>We share it.</li></ol>',
        f'<ol type="i" start="{number}"><li>We collect data.</li></ol>',
        f'<ol><li value="{number}">We collect data.</li></ol>',
    ):
        doc = normalize(html, format="html")
        assert next(doc.clauses()).label is not None


def test_list_numbers_html_reads_still_count() -> None:
    doc = normalize('<ol start=" 7x"><li>a b c.</li><li value="-2">d e f.</li></ol>', format="html")
    assert [clause.label for clause in doc.clauses()] == ["7.", "-2."]


def test_missing_files_fifos_and_devices_are_input_errors(tmp_path: Path) -> None:
    good = tmp_path / "a.md"
    good.write_text("# T\n\nWe collect data.\n")
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    for bad, message in (
        (tmp_path / "missing.md", "no such file"),
        (fifo, "named pipe"),  # blocked for ever before
        (Path("/dev/zero"), "character device"),  # MemoryError at 5.9 GB before
    ):
        with pytest.raises(InputError, match=message):
            compare(bad, good)
        with pytest.raises(InputError, match=message):
            normalize(bad)


def test_a_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    from policydiff.inputs import read_local_file

    big = tmp_path / "big.txt"
    big.write_bytes(b"We collect data. " * 100)
    with pytest.raises(InputError, match="larger than"):
        read_local_file(big, limit=1000)
    assert len(read_local_file(big, limit=2000)) == 1700


def test_a_file_is_read_into_memory_of_its_own_size(tmp_path: Path) -> None:
    """Not into a buffer of the size cap (64 MB set aside to read a 1 KB file)."""
    import tracemalloc

    from policydiff.inputs import read_local_file

    small = tmp_path / "small.txt"
    small.write_bytes(b"We collect data. " * 60)
    tracemalloc.start()
    try:
        assert len(read_local_file(small)) == 1020
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100_000


def test_a_file_longer_than_its_stated_size_is_read_whole() -> None:
    from policydiff.inputs import read_local_file

    status = Path("/proc/self/status")  # a regular file of size 0 that holds text
    if not status.exists():
        pytest.skip("no /proc on this system")
    data = read_local_file(status)
    assert data.startswith(b"Name:") and b"VmHWM" in data


@pytest.mark.parametrize(
    "options",
    [
        {"similarity": 10**400},
        {"word_timeout": 10**400},
        {"word_timeout": 10**5000},  # whose repr() itself raises
        {"similarity": float("nan")},
        {"similarity": "0.5"},
        {"budget": float("inf")},
        {"title": 10**400},
        {"name": object()},
        {"findings": "no"},
    ],
)
def test_bad_option_values_are_input_errors(options: dict[str, Any]) -> None:
    with pytest.raises(InputError) as info:
        compare("# a\n\nWe collect data.\n", "# a\n\nWe sell data.\n", **options)
    assert len(str(info.value)) < 200


def test_bundle_keys_must_be_names() -> None:
    old = {1: "# a\n\nWe collect data.\n", "b": "# b\n\nWe keep it.\n"}
    with pytest.raises(InputError, match="document named 1"):
        compare(old, {"1": "# a\n\nWe sell data.\n"})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="non-empty"):
        compare({"": "# a\n\nx y z.\n"}, {"": "# a\n\nx y w.\n"})


def test_bundle_folders_with_undecodable_file_names(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for side, verb in ((old, "collect"), (new, "sell")):
        side.mkdir()
        (side / os.fsdecode(b"priv\xffacy.md")).write_text(f"# Privacy\n\nWe {verb} your data.\n")
    result = compare(old, new)
    (doc,) = result.documents
    assert doc.name == "priv\ufffdacy"
    for output in (result.to_json(), result.to_html(), result.to_markdown(), result.to_terminal()):
        output.encode("utf-8")  # nothing unencodable reached the output


def test_every_error_above_is_a_policydiff_error() -> None:
    assert issubclass(InputError, PolicyDiffError) and issubclass(ParseError, PolicyDiffError)
    assert policydiff.InputError is InputError
