"""Feeds stay XML whatever the names and texts hold (issue 15: a control character in a service
name broke 2 of 144 feeds)."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.watch.feeds import FeedEntry, render_feed

NOW = datetime(2026, 1, 2, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(text: str) -> ET.Element:
    entry = FeedEntry(
        service=f"svc{text}",
        document=f"doc{text}",
        sha256="ab" * 32,
        version="v1",
        fetched_at=NOW,
        title=f"Acme{text} changed",
        summary=f"1 material change{text}",
        link=f"changes/acme{text}.html",
    )
    xml = render_feed([entry], title=f"policydiff: svc{text}", feed_key=f"svc{text}", updated=NOW)
    return ET.fromstring(xml.encode("utf-8"))


def test_control_characters_are_replaced_not_written_raw() -> None:
    feed = _feed("\x00\x01\x0b\x1b\ud800\ufffe\uffff")
    title = feed.find(f"{ATOM}entry/{ATOM}title")
    assert title is not None and title.text == "Acme\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd changed"
    summary = feed.find(f"{ATOM}entry/{ATOM}summary")
    assert summary is not None and summary.text is not None and summary.text.startswith("1 material change")


def test_allowed_characters_are_kept() -> None:
    feed = _feed("\t\u00e9\U0001f600")
    title = feed.find(f"{ATOM}title")
    assert title is not None and title.text == "policydiff: svc\t\u00e9\U0001f600"


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=30))
def test_any_text_gives_a_feed_that_parses(text: str) -> None:
    _feed(text)
