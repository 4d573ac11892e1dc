"""Is this snapshot the document? Whole-page checks, then the extraction and its length."""

from __future__ import annotations

from policydiff.errors import InputError, ParseError
from policydiff.fetch.media import HTML_TYPES, TEXT_TYPES, decode_text, media_type_of
from policydiff.fetch.result import FetchFailure
from policydiff.fetch.walls import page_facts, selected_words, selector_failure, wall_failure
from policydiff.model import Document, Snapshot

__all__ = ["check_content", "classify"]


def check_content(snapshot: Snapshot, *, min_words: int = 40) -> FetchFailure | None:
    """Why ``snapshot`` is not the document (block page, wall, empty ...), or None when it is."""
    return classify(snapshot, min_words=min_words)[0]


_CONTAINER_TYPES = {"application/pdf", "multipart/mixed"}  # a PDF; the parts of a combined document


def classify(snapshot: Snapshot, *, min_words: int = 40) -> tuple[FetchFailure | None, Document | None]:
    """Classify ``snapshot``: (failure, None) when it is not the document, else (None, document).

    Whole-page checks first (bot challenge or block page, login page, cookie wall: lxml, cheap),
    then the extraction: ``normalize(snapshot)`` (its selectors must all match, checked again
    with bs4 when normalize refuses), and the number of words it yields. The document returned is
    that normalized document (None only while normalize is unavailable), for the caller to reuse.
    """
    media = (
        (snapshot.media_type or media_type_of(snapshot.headers, snapshot.content))
        .split(";")[0]
        .strip()
        .lower()
    )
    if media not in HTML_TYPES | TEXT_TYPES | _CONTAINER_TYPES and not media.startswith("text/"):
        return FetchFailure(
            "unsupported_type", f"the response is {media}, not HTML, Markdown, text or PDF"
        ), None
    if not snapshot.content.strip():
        return FetchFailure("empty", "the response body is empty"), None
    html = media in HTML_TYPES or (
        media not in TEXT_TYPES and media_type_of({}, snapshot.content) == "text/html"
    )
    if html:
        facts = page_facts(snapshot)
        wall = wall_failure(snapshot, facts)
        if wall is not None:
            return wall, None
        crude_words = facts.words
    else:
        crude_words = len(decode_text(snapshot).split())

    document: Document | None = None
    try:
        from policydiff.normalize import normalize

        document = normalize(snapshot)
    except NotImplementedError:  # normalize not available: judge a crude extraction
        if html:
            missing = selector_failure(snapshot)
            if missing is not None:
                return missing, None
            crude_words = selected_words(snapshot)
    except (ParseError, InputError) as exc:  # InputError: a selector soupsieve cannot compile
        if html:
            missing = selector_failure(snapshot)
            if missing is not None:
                return missing, None
        text = str(exc)
        if "selector" in text.lower():
            return FetchFailure("selector_missing", text), None
        if crude_words == 0 or "no text" in text.lower() or "empty" in text.lower():
            return FetchFailure("empty", f"nothing to extract: {text}"), None
        return FetchFailure("unparseable", text), None
    words = crude_words if document is None else _document_words(document)
    if words == 0:
        return FetchFailure("empty", "the extracted document has no text"), None
    if words < min_words:
        message = f"only {words} words extracted (fewer than {min_words}); not the document?"
        return FetchFailure("too_short", message), None
    return None, document


def _document_words(document: Document) -> int:
    words = sum(len(section.title.split()) for section in document.sections())
    return words + sum(len(clause.text.split()) for clause in document.clauses())
