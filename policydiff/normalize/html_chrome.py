"""Page chrome in HTML: what a reader never sees as the document's text.

Scripts, styles, navigation, page headers and footers, cookie banners, dialogs and hidden or
``aria-hidden`` elements are chrome; collapsed accordion panels are not (their text is part of the
document). Outside the main content, site headers, footers, menus and sidebars built from plain
``<div>``s are chrome too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

_DROP_TAGS = frozenset(
    "script style noscript template svg math iframe object embed canvas video audio map head title "
    "meta link button input select textarea option datalist dialog nav form menu "
    "img picture source track area".split()
)
_PAGE_CHROME_TAGS = frozenset({"header", "footer", "aside"})  # dropped outside the main content only
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
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# "hidden md:block" (Tailwind), "d-none d-md-block" (Bootstrap): hidden on small screens only
_RESPONSIVE_SHOW = re.compile(
    r"^(?:[\w-]+:(?:block|flex|grid|inline|inline-block|table|contents)|d-(?:sm|md|lg|xl|xxl)-(?!none)[\w-]+)$"
)
Attrs = Mapping[str, Any]
SKIP_STRINGS = (Comment, CData, ProcessingInstruction, Doctype, Declaration)  # text never shown


def _classes(attrs: Attrs) -> Sequence[str]:
    classes = attrs.get("class") or ()
    return classes.split() if isinstance(classes, str) else classes


def hidden(attrs: Attrs) -> bool:
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


def is_chrome(name: str, attrs: Attrs, in_main: bool) -> bool:
    if name in _DROP_TAGS or (name in _PAGE_CHROME_TAGS and not in_main):
        return True
    if not attrs:
        return False
    if hidden(attrs):
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
