"""Documents of several pages (Open Terms Archive's ``combine``) against real servers on 127.0.0.1.

One document whose parts keep their order and their own sections; any failing part fails the
whole document (never a partial version); the packed evidence reads back to the same document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from policydiff import compare, normalize
from policydiff.fetch import FetchConfig, FetchResult, fetch_all_sync
from policydiff.model import Snapshot
from policydiff.normalize.parts import pack_parts, unpack_parts
from policydiff.targets import DocumentTarget, Part

CONFIG = FetchConfig(timeout=5.0, retries=0, host_delay=0.0, browser_fallback=False)


def page(title: str, topic: str, version: int = 1) -> str:
    clauses = "".join(
        f"<p>{topic} clause {i}, version {version}: we explain how {topic.lower()} works for you.</p>"
        for i in range(1, 6)
    )
    return (
        f"<html><head><title>{title} | Example</title></head><body><nav>Home | Help</nav>"
        f"<main><h1>{title}</h1><h2>Scope</h2>{clauses}<h2>Contact</h2>"
        f"<p>Write to {topic.lower()}@example.com if you have a question about this part of our terms.</p>"
        "</main><footer>Example</footer></body></html>"
    )


MARKDOWN = "\n\n".join(
    ["# Community rules", "## Conduct"]
    + [
        f"Rule {i}: treat the other members of the community with respect in every message."
        for i in range(1, 6)
    ]
)


@pytest.fixture
def server(web_servers: Callable[[], HTTPServer]) -> HTTPServer:
    return web_servers()  # 404 to paths without a handler: no robots.txt, everything allowed


def serve(server: HTTPServer, version: int = 1, *, second_status: int = 200) -> DocumentTarget:
    server.expect_request("/terms").respond_with_data(
        page("Terms of Service", "Service"), content_type="text/html"
    )
    server.expect_request("/payments").respond_with_data(
        page("Payment Terms", "Payment", version), status=second_status, content_type="text/html"
    )
    server.expect_request("/rules.md").respond_with_data(
        MARKDOWN, content_type="text/markdown; charset=utf-8"
    )
    parts = [
        Part(server.url_for("/terms"), select=["main"]),
        Part(server.url_for("/payments"), select=["main"], remove=["h2 + p + p"]),
        Part(server.url_for("/rules.md")),
    ]
    return DocumentTarget(service="example", document="terms", url=parts[0].url, parts=parts)


def pages(server: HTTPServer) -> list[str]:
    """The paths the server was asked for, robots.txt aside."""
    return [req.path for req, _ in server.log if req.path != "/robots.txt"]


def only(target: DocumentTarget, **kwargs: Any) -> FetchResult:
    (result,) = fetch_all_sync([target], config=CONFIG, **kwargs)
    return result


def test_parts_make_one_document_in_order_with_their_own_sections(server: HTTPServer) -> None:
    result = only(serve(server))
    assert result.failure is None, result.failure
    assert result.snapshot is not None and result.document is not None
    tops = [section.title for section in result.document.root.sections]
    assert tops == ["Terms of Service", "Payment Terms", "Community rules"]
    payment = result.document.root.sections[1]
    assert [s.title for s in payment.sections] == ["Scope", "Contact"]
    texts = [c.text for c in payment.sections[0].clauses]
    assert texts[0].startswith("Payment clause 1") and not any("Payment clause 2," in t for t in texts)
    assert "Home | Help" not in "".join(c.text for c in result.document.clauses()), (
        "each part's selectors apply"
    )
    assert pages(server) == ["/terms", "/payments", "/rules.md"]


def test_the_stored_evidence_reads_back_to_the_same_document(server: HTTPServer) -> None:
    result = only(serve(server))
    assert result.snapshot is not None and result.document is not None
    stored = Snapshot(result.snapshot.content, media_type=result.snapshot.media_type)
    again = normalize(stored)
    assert [c.text for c in again.clauses()] == [c.text for c in result.document.clauses()]
    assert [c.id for c in again.clauses()] == [c.id for c in result.document.clauses()]
    parts = unpack_parts(result.snapshot.content, result.snapshot.media_type or "", source="x")
    assert [p.url for p in parts] == [server.url_for(p) for p in ("/terms", "/payments", "/rules.md")]
    assert parts[1].remove_selectors == ("h2 + p + p",)


def test_the_same_parts_pack_to_the_same_bytes(server: HTTPServer) -> None:
    first = only(serve(server))
    assert first.snapshot is not None
    second = only(serve(server), known_sha256={first.target.key: first.snapshot.sha256})
    assert second.unchanged_bytes and second.snapshot is not None
    assert second.snapshot.content == first.snapshot.content


@pytest.mark.parametrize(("status", "reason"), [(404, "http_error"), (200, "not_document")])
def test_a_failing_part_fails_the_whole_document(server: HTTPServer, status: int, reason: str) -> None:
    target = serve(server, second_status=status)
    if status == 200:  # the second part is a bot challenge instead of the terms
        server.clear()
        challenge = (
            "<html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>"
        )
        server.expect_request("/terms").respond_with_data(page("Terms", "Service"), content_type="text/html")
        server.expect_request("/payments").respond_with_data(challenge, content_type="text/html")
    result = only(target)
    assert result.snapshot is None and result.document is None
    assert result.failure is not None and result.failure.reason == reason
    assert result.failure.message.startswith(f"part 2 of 3 ({server.url_for('/payments')}): ")
    assert "/rules.md" not in pages(server), "no part is fetched after a failure"


def test_a_change_in_one_part_is_found_in_that_part(server: HTTPServer) -> None:
    old = only(serve(server, 1))
    server.clear()
    new = only(serve(server, 2))
    assert old.snapshot is not None and new.snapshot is not None
    comparison = compare(old.snapshot, new.snapshot)
    material = [c for c in comparison.changes if c.material]
    assert material and all(c.new_section and c.new_section.startswith("Payment Terms") for c in material)


_CONTENT = st.binary(max_size=300) | st.sampled_from([b"--policydiff-part-", b"\r\n\r\n", b"--x--\r\n"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(_CONTENT, st.lists(st.text(min_size=1, max_size=8), max_size=2)), min_size=1, max_size=4
    )
)
def test_packing_round_trips_any_parts(parts: list[tuple[bytes, list[str]]]) -> None:
    snapshots = [
        Snapshot(content, url=f"https://example.com/{i}", media_type="text/html", selectors=selectors)
        for i, (content, selectors) in enumerate(parts)
    ]
    data, media_type = pack_parts(snapshots)
    back = unpack_parts(data, media_type, source="test")
    assert [(p.content, p.url, p.selectors) for p in back] == [
        (s.content, s.url, s.selectors) for s in snapshots
    ]
