"""The main content of an HTML page: ``<main>``/``role=main``, else the dominant ``<article>``, else
``<body>``; over an lxml tree and over a beautifulsoup4 soup alike."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup, Tag

from policydiff.normalize.html_chrome import SKIP_STRINGS, hidden


def main_content_lxml(document: Any) -> Any:
    """``main_content`` over an lxml tree."""
    body = document.find("body") if document.tag == "html" else None
    body = document if body is None else body
    mains = [e for e in document.iter("main") if not hidden(e.attrib)] + [
        e for e in document.iterfind(".//*[@role='main']") if e.tag != "main" and not hidden(e.attrib)
    ]
    mains = _outermost_lxml(mains)
    if len(mains) == 1:
        return mains[0]
    if mains:
        best = max(mains, key=_text_length_lxml)
        if _text_length_lxml(best) >= 200:
            return best
    articles = _outermost_lxml([e for e in document.iter("article") if not hidden(e.attrib)])
    if articles:
        best = max(articles, key=_text_length_lxml)
        if _text_length_lxml(best) * 2 >= _text_length_lxml(body):
            return best
    return body


def _outermost_lxml(elements: list[Any]) -> list[Any]:
    chosen = set(elements)
    out: list[Any] = []
    for element in elements:
        if element in out or any(parent in chosen for parent in element.iterancestors()):
            continue
        out.append(element)
    return out


def _text_length_lxml(element: Any) -> int:
    return sum(len(s.strip()) for s in element.itertext() if isinstance(s, str))


def outermost(tags: list[Tag]) -> list[Tag]:
    """Matches in document order, without those nested inside another match."""
    chosen = {id(tag) for tag in tags}
    out: list[Tag] = []
    seen: set[int] = set()
    for tag in tags:
        if id(tag) in seen:
            continue
        seen.add(id(tag))
        if any(id(parent) in chosen for parent in tag.parents):
            continue
        out.append(tag)
    return out


def _text_length(tag: Tag) -> int:
    return sum(len(s.strip()) for s in tag.find_all(string=True) if not isinstance(s, SKIP_STRINGS))


def main_content(soup: BeautifulSoup) -> Tag:
    """``<main>`` / ``role=main``, else the article holding most of the text, else ``<body>``."""
    body = soup.body or soup
    mains = [t for t in soup.find_all(["main"]) if not hidden(t.attrs)] + [
        t for t in soup.find_all(attrs={"role": "main"}) if t.name != "main" and not hidden(t.attrs)
    ]
    mains = outermost(mains)
    if len(mains) == 1:
        return mains[0]
    if mains:
        best = max(mains, key=_text_length)
        if _text_length(best) >= 200 or len(mains) == 1:
            return best
    articles = outermost([t for t in soup.find_all("article") if not hidden(t.attrs)])
    if articles:
        best = max(articles, key=_text_length)
        if _text_length(best) * 2 >= _text_length(body):
            return best
    return body if isinstance(body, Tag) else soup
