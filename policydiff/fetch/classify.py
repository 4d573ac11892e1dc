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
    html, early, crude_words = _page_check(snapshot)
    if early is not None:
        return early, None

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
        return _refusal(snapshot, exc, html=html, crude_words=crude_words), None
    words = crude_words if document is None else _document_words(document)
    if words == 0:
        return FetchFailure("empty", "the extracted document has no text"), None
    if words < min_words:
        message = f"only {words} words extracted (fewer than {min_words}); not the document?"
        return FetchFailure("too_short", message), None
    return None, document


def _page_check(snapshot: Snapshot) -> tuple[bool, FetchFailure | None, int]:
    """(is it HTML, the whole-page failure if any, the crude word count) before any extraction."""
    media = (
        (snapshot.media_type or media_type_of(snapshot.headers, snapshot.content))
        .split(";")[0]
        .strip()
        .lower()
    )
    if media not in HTML_TYPES | TEXT_TYPES | _CONTAINER_TYPES and not media.startswith("text/"):
        message = f"the response is {media}, not HTML, Markdown, text or PDF"
        return False, FetchFailure("unsupported_type", message), 0
    if not snapshot.content.strip():
        return False, FetchFailure("empty", "the response body is empty"), 0
    html = media in HTML_TYPES or (
        media not in TEXT_TYPES and media_type_of({}, snapshot.content) == "text/html"
    )
    if not html:
        return False, None, len(decode_text(snapshot).split())
    facts = page_facts(snapshot)
    return True, wall_failure(snapshot, facts), facts.words


def _refusal(snapshot: Snapshot, exc: Exception, *, html: bool, crude_words: int) -> FetchFailure:
    """Why normalize refused the page: a missing selector, nothing to extract, or unparseable."""
    if html:
        missing = selector_failure(snapshot)
        if missing is not None:
            return missing
    text = str(exc)
    if "selector" in text.lower():
        return FetchFailure("selector_missing", text)
    if crude_words == 0 or "no text" in text.lower() or "empty" in text.lower():
        return FetchFailure("empty", f"nothing to extract: {text}")
    return FetchFailure("unparseable", text)


def _document_words(document: Document) -> int:
    words = sum(len(section.title.split()) for section in document.sections())
    return words + sum(len(clause.text.split()) for clause in document.clauses())
