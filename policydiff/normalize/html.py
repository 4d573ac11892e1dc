"""HTML to blocks with lxml and beautifulsoup4: drop page chrome, find the main content, walk it.

The three steps live in their own modules: ``html_chrome`` (what is never shown: scripts, navigation,
page headers and footers, cookie banners, hidden elements), ``html_content`` (the main content:
``<main>``/``role=main`` or the dominant ``<article>``, else ``<body>``) and ``html_walk`` (the
tree walk to blocks); here the page is parsed and, for a ``Snapshot`` with CSS selectors,
the parts they pick are chosen (beautifulsoup4's ``select``).

Two readers feed one walker: lxml's own tree through ``etree.iterwalk`` (fast, used when there are
no selectors) and a beautifulsoup4 soup (selectors, and pages lxml cannot read whole: libxml2 stops
at a nesting depth of 2048, bs4's tree builder does not). Both walks are iterative, so a 100 000-deep
tree cannot raise ``RecursionError``. Attributes that change on every fetch (tokens, nonces, build
ids, tracking) never reach a block, so two fetches of one page give identical blocks."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from policydiff.errors import InputError, ParseError
from policydiff.normalize.blocks import Block
from policydiff.normalize.html_content import main_content, main_content_lxml, outermost
from policydiff.normalize.html_walk import Walker


def html_blocks(
    text: str,
    *,
    selectors: Sequence[str] = (),
    remove_selectors: Sequence[str] = (),
    source: str = "<html>",
) -> list[Block]:
    """The block stream of an HTML page (or of the parts ``selectors`` pick)."""
    if not selectors and not remove_selectors:
        blocks = _lxml_blocks(text)
        if blocks is not None:
            return blocks
    with warnings.catch_warnings():
        # the text may look like a file name or URL, or be XHTML: parsing it as HTML is what we want
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(text, "lxml")
    for selector in remove_selectors:
        for tag in _select(soup, selector):
            tag.extract()
    if selectors:
        roots: list[Tag] = []
        for selector in selectors:
            matches = _select(soup, selector)
            if not matches:
                raise ParseError(
                    f"the CSS selector {selector!r} no longer matches anything on the page: the page "
                    f"layout changed (update the target's selectors) or this is not the document",
                    source=source,
                )
            roots.extend(matches)
        roots = outermost(roots)
    else:
        roots = [main_content(soup)]
    walker = Walker()
    for root in roots:
        walker.walk(root)
    return walker.blocks


def _lxml_blocks(text: str) -> list[Block] | None:
    """The fast path: lxml's own tree (about ten times faster than building a soup).

    None when lxml cannot read the whole page (libxml2 stops at a nesting depth or refuses a
    string with an encoding declaration): the caller then uses beautifulsoup4, which has no limit.
    """
    parser = lxml_html.HTMLParser(huge_tree=True)
    try:
        document = lxml_html.document_fromstring(text, parser=parser)
    except (ValueError, etree.ParserError):
        return None
    if any(entry.level_name == "FATAL" for entry in parser.error_log):
        return None
    walker = Walker()
    walker.walk_lxml(main_content_lxml(document))
    return walker.blocks


def _select(soup: BeautifulSoup, selector: str) -> list[Tag]:
    try:
        return list(soup.select(selector))
    except Exception as exc:  # soupsieve raises its own SelectorSyntaxError (a ValueError)
        raise InputError(f"invalid CSS selector {selector!r}: {exc}") from None
