"""HTML to blocks with lxml and beautifulsoup4: drop page chrome, find the main content, walk it.

Scripts, styles, navigation, page headers and footers, cookie banners, dialogs and hidden or
``aria-hidden`` elements are dropped (collapsed accordion panels are kept: their text is part of the
document); the main content is ``<main>``/``role=main`` or the dominant ``<article>`` (else
``<body>``), or what a ``Snapshot``'s CSS selectors pick (beautifulsoup4's ``select``).

Two readers feed one walker: lxml's own tree through ``etree.iterwalk`` (fast, used when there are
no selectors) and a beautifulsoup4 soup (selectors, and pages lxml cannot read whole: libxml2 stops
at a nesting depth of 2048, bs4's tree builder does not). Both walks are iterative, so a 100 000-deep
tree cannot raise ``RecursionError``. Attributes that change on every fetch (tokens, nonces, build
ids, tracking) never reach a block, so two fetches of one page give identical blocks.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction
from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

from policydiff.errors import InputError, ParseError
from policydiff.model import Link
from policydiff.normalize.blocks import HEADING_LEVEL_BOLD, Block, TextBuilder

_DROP_TAGS = frozenset(
    "script style noscript template svg math iframe object embed canvas video audio map head title "
    "meta link button input select textarea option datalist dialog nav form menu "
    "img picture source track area".split()
)
_PAGE_CHROME_TAGS = frozenset({"header", "footer", "aside"})  # dropped outside the main content only
_BLOCK_TAGS = frozenset(
    "p div section article main header footer blockquote ul ol dl dt dd li table thead tbody tfoot tr "
    "td th caption pre address figure figcaption details summary fieldset legend hgroup center body "
    "html h1 h2 h3 h4 h5 h6 hr".split()
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CHROME_ROLES = frozenset(
    "navigation banner contentinfo search dialog alertdialog complementary menu menubar toolbar".split()
)
_CHROME_NAME = re.compile(
    r"cookie[-_]?(?:banner|consent|notice|bar|popup|pop-up|modal|wall|dialog|law|message|alert|prompt)"
    r"|consent[-_]?(?:banner|manager|modal|dialog|popup|bar)|gdpr[-_]?(?:banner|consent|popup)|onetrust"
    r"|^ot-sdk|cookiebot|cybotcookiebot|truste-consent|usercentrics|didomi|qc-cmp|^cmp[-_]|cc-window"
    r"|cc-banner|osano-cm|iubenda-cs|termly|cookieyes|^cky-|sp_message|skip[-_]?(?:link|to|nav)"
    r"|breadcrumb|^sr-only$|visually-hidden|screen-reader-text|^invisible$|^is-hidden$",
    re.IGNORECASE,
)
_COLLAPSIBLE = re.compile(r"collaps|expand|accordion|disclosure", re.IGNORECASE)
_PAGE_CHROME_NAME = re.compile(
    r"^(?:site|page|global|top|main|primary)?[-_]?(?:header|footer|masthead|navbar|nav|navigation|menu|"
    r"sidebar|breadcrumbs?|skip-links?)$",
    re.IGNORECASE,
)
_LIST_NUMBER = re.compile(r"[ \t\n\f\r]*([+-]?)([0-9]+)")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# "hidden md:block" (Tailwind), "d-none d-md-block" (Bootstrap): hidden on small screens only
_RESPONSIVE_SHOW = re.compile(
    r"^(?:[\w-]+:(?:block|flex|grid|inline|inline-block|table|contents)|d-(?:sm|md|lg|xl|xxl)-(?!none)[\w-]+)$"
)
Attrs = Mapping[str, Any]
_SKIP_STRINGS = (Comment, CData, ProcessingInstruction, Doctype, Declaration)
_MAX_BOLD_HEADING = 120


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
        roots = _outermost(roots)
    else:
        roots = [_main_content(soup)]
    walker = _Walker()
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
    walker = _Walker()
    walker.walk_lxml(_main_content_lxml(document))
    return walker.blocks


def _main_content_lxml(document: Any) -> Any:
    """``_main_content`` over an lxml tree."""
    body = document.find("body") if document.tag == "html" else None
    body = document if body is None else body
    mains = [e for e in document.iter("main") if not _hidden(e.attrib)] + [
        e for e in document.iterfind(".//*[@role='main']") if e.tag != "main" and not _hidden(e.attrib)
    ]
    mains = _outermost_lxml(mains)
    if len(mains) == 1:
        return mains[0]
    if mains:
        best = max(mains, key=_text_length_lxml)
        if _text_length_lxml(best) >= 200:
            return best
    articles = _outermost_lxml([e for e in document.iter("article") if not _hidden(e.attrib)])
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


def _select(soup: BeautifulSoup, selector: str) -> list[Tag]:
    try:
        return list(soup.select(selector))
    except Exception as exc:  # soupsieve raises its own SelectorSyntaxError (a ValueError)
        raise InputError(f"invalid CSS selector {selector!r}: {exc}") from None


def _outermost(tags: list[Tag]) -> list[Tag]:
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
    return sum(len(s.strip()) for s in tag.find_all(string=True) if not isinstance(s, _SKIP_STRINGS))


def _main_content(soup: BeautifulSoup) -> Tag:
    """``<main>`` / ``role=main``, else the article holding most of the text, else ``<body>``."""
    body = soup.body or soup
    mains = [t for t in soup.find_all(["main"]) if not _hidden(t.attrs)] + [
        t for t in soup.find_all(attrs={"role": "main"}) if t.name != "main" and not _hidden(t.attrs)
    ]
    mains = _outermost(mains)
    if len(mains) == 1:
        return mains[0]
    if mains:
        best = max(mains, key=_text_length)
        if _text_length(best) >= 200 or len(mains) == 1:
            return best
    articles = _outermost([t for t in soup.find_all("article") if not _hidden(t.attrs)])
    if articles:
        best = max(articles, key=_text_length)
        if _text_length(best) * 2 >= _text_length(body):
            return best
    return body if isinstance(body, Tag) else soup


def _classes(attrs: Attrs) -> Sequence[str]:
    classes = attrs.get("class") or ()
    return classes.split() if isinstance(classes, str) else classes


def _hidden(attrs: Attrs) -> bool:
    """Not shown: ``hidden``, ``aria-hidden``, ``display:none``, hiding classes; collapsed accordion
    panels are the exception (their text is one click away and part of the document)."""
    if not attrs:
        return False
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return not _collapsible(attrs)
    style = attrs.get("style")
    if style and _HIDDEN_STYLE.search(str(style)):
        return True
    classes = _classes(attrs)
    if ("hidden" in classes or "d-none" in classes) and not any(_RESPONSIVE_SHOW.match(c) for c in classes):
        return True
    return False


def _collapsible(attrs: Attrs) -> bool:
    if str(attrs.get("hidden", "")).lower() == "until-found":
        return True
    if any(key.startswith(("data-collaps", "data-expand", "data-accordion")) for key in attrs):
        return True
    return any(_COLLAPSIBLE.search(c) for c in _classes(attrs))


def _chrome(name: str, attrs: Attrs, in_main: bool) -> bool:
    if name in _DROP_TAGS or (name in _PAGE_CHROME_TAGS and not in_main):
        return True
    if not attrs:
        return False
    if _hidden(attrs):
        return True
    role = str(attrs.get("role", "")).lower()
    if role in _CHROME_ROLES:
        return True
    names = _classes(attrs)
    ident = str(attrs.get("id") or "")
    if any(_chrome_name(c) for c in names) or (ident and _chrome_name(ident)):
        return True
    if in_main:
        return False
    # outside <main>: site headers, footers, menus and sidebars built from plain <div>s
    return any(_page_chrome_name(c) for c in names) or bool(ident and _page_chrome_name(ident))


# A page repeats a few hundred class names over thousands of elements: test each name once.
@lru_cache(maxsize=8192)
def _chrome_name(name: str) -> bool:
    return _CHROME_NAME.search(name) is not None


@lru_cache(maxsize=8192)
def _page_chrome_name(name: str) -> bool:
    return _PAGE_CHROME_NAME.match(name) is not None


class _List:
    __slots__ = ("count", "ordered", "style")

    def __init__(self, name: str, attrs: Attrs) -> None:
        self.ordered = name == "ol"
        start = _list_number(attrs.get("start"))
        self.count = 1 if start is None else start
        self.style = str(attrs.get("type") or "1")

    def next_label(self, attrs: Attrs) -> str:
        if not self.ordered:
            return "-"
        value = _list_number(attrs.get("value"))
        if value is not None:
            self.count = value
        number = self.count
        self.count += 1
        return f"{_ordinal(number, self.style)}."


def _list_number(value: object) -> int | None:
    """``start`` / ``value`` as HTML reads them (ASCII digits, optional sign, leading spaces); None
    for anything else ("²", "①", "--5") or for more digits than any real list has."""
    match = _LIST_NUMBER.match(str(value or ""))
    if match is None or len(match.group(2)) > 9:
        return None
    return int(match.group(1) + match.group(2))


def _ordinal(number: int, style: str) -> str:
    if style in ("a", "A") and 1 <= number <= 26:
        letter = chr(ord("a") + number - 1)
        return letter.upper() if style == "A" else letter
    if style in ("i", "I") and 1 <= number <= 3999:
        roman = _roman(number)
        return roman.upper() if style == "I" else roman
    return str(number)


def _roman(number: int) -> str:
    out = []
    for value, digits in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        while number >= value:
            out.append(digits)
            number -= value
    return "".join(out)


class _Item:
    __slots__ = ("depth", "label", "used")

    def __init__(self, label: str, depth: int) -> None:
        self.label = label
        self.depth = depth
        self.used = False


_ENTER, _EXIT = 0, 1


class _Walker:
    """Depth-first walk with an explicit stack, emitting blocks at block-element boundaries."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.builder = TextBuilder()
        self.lists: list[_List] = []
        self.items: list[_Item] = []
        self.capture: list[str] = []  # "heading" / "row": block tags inside do not split the text
        self.bold = 0
        self.after_br = False
        self.plain = False  # the buffer has text outside <strong>/<b>
        self.linked = False

    def walk(self, root: Tag) -> None:
        """Walk a beautifulsoup4 tree (used when CSS selectors pick the content)."""
        in_main = root.name not in ("body", "html", "[document]")
        stack: list[tuple[int, Tag | NavigableString]] = [(_ENTER, root)]
        while stack:
            phase, node = stack.pop()
            if isinstance(node, NavigableString):
                if not isinstance(node, _SKIP_STRINGS):
                    self._text(str(node))
                continue
            if phase == _EXIT:
                self._exit(node.name, node.attrs)
                continue
            if node is not root and _chrome(node.name, node.attrs, in_main):
                continue
            self._enter(node.name, node.attrs)
            stack.append((_EXIT, node))
            children = node.contents
            for child in reversed(children):
                if isinstance(child, Tag | NavigableString):
                    stack.append((_ENTER, child))
        self._flush()

    def walk_lxml(self, root: Any) -> None:
        """Walk an lxml tree with ``iterwalk`` (C-speed iteration; same events as ``walk``)."""
        in_main = root.tag not in ("body", "html")
        walker = etree.iterwalk(root, events=("start", "end"))
        skipped: Any = None
        for event, element in walker:
            tag = element.tag
            if event == "start":
                if not isinstance(tag, str):
                    continue  # comment or processing instruction: its text is not shown
                if element is not root and _chrome(tag, element.attrib, in_main):
                    walker.skip_subtree()
                    skipped = element
                    continue
                self._enter(tag, element.attrib)
                if element.text:
                    self._text(element.text)
                continue
            if skipped is not None and element is skipped:
                skipped = None
            elif isinstance(tag, str):
                self._exit(tag, element.attrib)
            if element is not root and element.tail:
                self._text(element.tail)
        self._flush()

    # ---------------------------------------------------------------- events

    def _text(self, text: str) -> None:
        if not text:
            return
        if text.strip():
            self.after_br = False
            if self.bold == 0:
                self.plain = True
        self.builder.add(text)

    def _enter(self, name: str, attrs: Attrs) -> None:
        if name == "br":
            if self.after_br and not self.capture:
                self._flush()  # <br><br>: a paragraph break in pages without <p>
            else:
                self.builder.space()
            self.after_br = True
            return
        if name == "a" and attrs.get("href") is not None:
            self.builder.open_link(str(attrs.get("href")))
            self.linked = True
            return
        if name in ("strong", "b"):
            self.bold += 1
            return
        if name not in _BLOCK_TAGS:
            return
        if self.capture:
            if name in ("td", "th") and self.capture[-1] == "row":
                self.builder.separator(" | ")
            else:
                self.builder.space()
            return
        self._flush()
        if name in _HEADINGS:
            self.capture.append("heading")
        elif name == "tr":
            self.capture.append("row")
        elif name in ("ul", "ol"):
            self.lists.append(_List(name, attrs))
        elif name == "li":
            label = self.lists[-1].next_label(attrs) if self.lists else "-"
            self.items.append(_Item(label, max(0, len(self.lists) - 1)))

    def _exit(self, name: str, attrs: Attrs) -> None:
        if name == "a" and attrs.get("href") is not None:
            self.builder.close_link()
            return
        if name in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
            return
        if name not in _BLOCK_TAGS:
            return
        if self.capture:
            top = self.capture[-1]
            if (top == "heading" and name in _HEADINGS) or (top == "row" and name == "tr"):
                self.capture.pop()
                text, links = self._take()
                if top == "heading":
                    self._emit_heading(text, links, _HEADINGS[name])
                else:
                    depth = self.items[-1].depth if self.items else 0
                    self._append(Block("table_row", text, links, depth=depth))
            else:
                self.builder.space()
            return
        self._flush(name)
        if name in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif name == "li" and self.items:
            self.items.pop()

    # ---------------------------------------------------------------- output

    def _take(self) -> tuple[str, tuple[Link, ...]]:
        text, links = self.builder.build()
        self.builder = TextBuilder()
        self.plain = False
        self.linked = False
        return text, links

    def _flush(self, closing: str | None = None) -> None:
        if not len(self.builder):
            self.builder = TextBuilder()
            self.plain = self.linked = False
            return
        bold_only = not self.plain and not self.linked
        text, links = self._take()
        if self.items and not self.items[-1].used:
            item = self.items[-1]
            item.used = True
            self._append(Block("list_item", text, links, label=item.label, depth=item.depth))
            return
        depth = self.items[-1].depth if self.items else 0
        if bold_only and not self.items and len(text) <= _MAX_BOLD_HEADING and text[-1] not in ".,;:!?":
            self._append(Block("heading", text, links, level=HEADING_LEVEL_BOLD))
            return
        self._append(Block("paragraph", text, links, depth=depth))

    def _emit_heading(self, text: str, links: tuple[Link, ...], level: int) -> None:
        label = None
        if self.items and not self.items[-1].used:
            label = self.items[-1].label
            self.items[-1].used = True
        self._append(Block("heading", text, links, level=level, label=label))

    def _append(self, block: Block) -> None:
        if block.text:
            self.blocks.append(block)
