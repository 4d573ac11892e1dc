"""Whole-page heuristics: bot challenges and block pages, login pages, cookie walls, selectors.

Generic and only firing on short pages, so a real policy that mentions cookies, captchas or
sign-in is never rejected.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import attrs

from policydiff.fetch.media import charset_of
from policydiff.fetch.result import FetchFailure
from policydiff.model import Snapshot

__all__ = [
    "PageFacts",
    "looks_like_challenge",
    "page_facts",
    "selected_words",
    "selector_failure",
    "wall_failure",
]


# Generic markers of bot challenges and block pages (vendors' page furniture, not sites' content).
_CHALLENGE_MARKUP = re.compile(
    r"cdn-cgi/challenge-platform|cf_chl_opt|cf-chl-|cf-browser-verification|challenges\.cloudflare\.com"
    r"|captcha-delivery\.com|px-captcha|_incapsula_resource|incapsula incident|awswaf|"
    r"g-recaptcha|h-captcha|hcaptcha\.com/1/api|perimeterx|distil_r_captcha|sec-if-cpt-container",
    re.IGNORECASE,
)
_CHALLENGE_TITLE = re.compile(
    r"just a moment|attention required|access denied|access to this page has been denied|"
    r"are you a (?:human|robot)|robot check|security check|pardon our interruption|request rejected|"
    r"^forbidden$|^\s*403\b|ddos[- ]protection|one more step|bot (?:verification|detection)|captcha|"
    r"verify(?:ing)? (?:you are|that you are) (?:a )?human|you have been blocked|unusual traffic",
    re.IGNORECASE,
)
_CHALLENGE_TEXT = re.compile(
    r"checking (?:if the site connection is secure|your browser)|enable javascript and cookies to continue|"
    r"verify(?:ing)? (?:you are|that you are) (?:a )?human|press (?:&|and) hold|request unsuccessful|"
    r"incapsula incident|you have been blocked|your access to this (?:site|page) has been (?:limited|denied)|"
    r"unusual traffic from your (?:computer|network)|the requested url was rejected|"
    r"are you a robot|not a robot|complete the security check|access denied|ray id:|"
    r"automated (?:access|requests|queries)|solve the captcha|captcha",
    re.IGNORECASE,
)
_COOKIE_TEXT = re.compile(r"\bcookies?\b|\bconsent\b|\btracking technologies\b", re.IGNORECASE)
_ACCEPT_TEXT = re.compile(
    r"\baccept(?: all)?\b|\bagree\b|\ballow all\b|\breject all\b|\bmanage (?:cookies|preferences|options)\b|"
    r"\bcookie settings\b|\bgot it\b|\bcontinue\b",
    re.IGNORECASE,
)
_CONSENT_URL = re.compile(
    r"(?:^|[./])(?:consent|guce|cookiewall|cookie-wall|privacy-gate)[./-]", re.IGNORECASE
)
_LOGIN_URL = re.compile(
    r"/(?:log-?in|sign-?in|signon|sso|auth(?:enticate|orize)?|session/new|account/login|uas/login|checkpoint)"
    r"(?:[/?#.]|$)",
    re.IGNORECASE,
)
_LOGIN_TEXT = re.compile(
    r"\b(?:log ?in|sign ?in|password|forgot (?:your )?password|create (?:an )?account|remember me)\b",
    re.IGNORECASE,
)

# A real policy page is long; these heuristics only apply to short pages.
_SHORT_PAGE = 400


@attrs.frozen
class PageFacts:
    """What the whole-page heuristics look at: title, visible text, password field, raw markup."""

    title: str
    text: str
    words: int
    has_password: bool
    markup: str


def page_facts(snapshot: Snapshot) -> PageFacts:
    """Parse the whole page once with lxml (fast; bs4 only runs for selector checks)."""
    import lxml.etree  # type: ignore[import-untyped]
    import lxml.html  # type: ignore[import-untyped]

    markup = snapshot.content[:300_000].decode("utf-8", errors="replace")
    charset = charset_of(snapshot.headers)
    try:
        parser = lxml.html.HTMLParser(encoding=charset) if charset else lxml.html.HTMLParser()
    except LookupError:
        parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(snapshot.content, parser=parser)
    except (lxml.etree.ParserError, ValueError, LookupError):
        return PageFacts("", "", 0, False, markup)
    title = " ".join((root.findtext(".//title") or "").split())
    has_password = bool(root.xpath('boolean(//input[translate(@type, "PASWORD", "pasword") = "password"])'))
    lxml.etree.strip_elements(root, "script", "style", "noscript", "template", "svg", with_tail=False)
    text = " ".join(root.text_content().split())
    return PageFacts(title, text, len(text.split()), has_password, markup)


def wall_failure(snapshot: Snapshot, facts: PageFacts) -> FetchFailure | None:
    """A bot challenge or block page, a login page, or a cookie wall, judged on the whole page."""
    title, page_text, page_words = facts.title, facts.text, facts.words

    # bot challenges and block pages
    if page_words < _SHORT_PAGE and _CHALLENGE_MARKUP.search(facts.markup):
        return FetchFailure("not_document", f"a bot challenge or block page (title {title!r})")
    if page_words < 1000 and title and _CHALLENGE_TITLE.search(title):
        return FetchFailure("not_document", f"a bot challenge or block page (title {title!r})")
    if page_words < _SHORT_PAGE:
        match = _CHALLENGE_TEXT.search(page_text)
        if match:
            return FetchFailure(
                "not_document", f"a bot challenge or block page ({match.group(0)!r} on a short page)"
            )

    # login pages: a redirect to a login URL, or a password form on a short page
    requested = urlsplit(snapshot.url or "")
    final = urlsplit(snapshot.final_url or "")
    if snapshot.final_url and _LOGIN_URL.search(final.path) and not _LOGIN_URL.search(requested.path):
        if page_words < 1000:
            return FetchFailure("login_wall", f"redirected to a login page ({snapshot.final_url})")
    # (a page whose selectors all match has the document's layout: a short cookie FAQ or a page
    # with a sign-in box is not a wall; bs4 runs only when a text heuristic would fire)
    if facts.has_password and page_words < _SHORT_PAGE and _LOGIN_TEXT.search(page_text):
        if not (snapshot.selectors and selector_failure(snapshot) is None):
            return FetchFailure("login_wall", "a login page (password form) instead of the document")

    # cookie walls: a redirect to a consent host or path, or a short page about cookies with buttons
    if (
        snapshot.final_url
        and _CONSENT_URL.search(final.netloc + final.path)
        and not _CONSENT_URL.search(requested.netloc + requested.path)
        and page_words < 1000
    ):
        return FetchFailure("cookie_wall", f"redirected to a consent page ({snapshot.final_url})")
    if page_words < _SHORT_PAGE:
        cookie_hits = len(_COOKIE_TEXT.findall(page_text))
        if cookie_hits >= 2 and _ACCEPT_TEXT.search(page_text) and cookie_hits * 40 >= page_words:
            if not (snapshot.selectors and selector_failure(snapshot) is None):
                return FetchFailure("cookie_wall", "a cookie consent wall instead of the document")
    return None


def _soup(snapshot: Snapshot) -> Any:
    from bs4 import BeautifulSoup

    return BeautifulSoup(snapshot.content, "lxml", from_encoding=charset_of(snapshot.headers))


def selector_failure(snapshot: Snapshot) -> FetchFailure | None:
    """Every selector must still match (else the extraction silently shrinks); all must compile."""
    if not snapshot.selectors and not snapshot.remove_selectors:
        return None
    soup = _soup(snapshot)
    missing: list[str] = []
    for selector in (*snapshot.selectors, *snapshot.remove_selectors):
        try:
            found = soup.select_one(selector) is not None
        except Exception as exc:  # soupsieve's SelectorSyntaxError and friends
            return FetchFailure("selector_missing", f"invalid selector {selector!r}: {exc}")
        if not found and selector in snapshot.selectors:
            missing.append(selector)
    if missing:
        shown = ", ".join(repr(s) for s in missing)
        return FetchFailure("selector_missing", f"selector {shown} no longer matches anything on the page")
    return None


def selected_words(snapshot: Snapshot) -> int:
    """Words in the selected part of the page minus removed parts (used while normalize is absent)."""
    soup = _soup(snapshot)
    for tag in soup(["script", "style", "noscript", "template", "svg"]):
        tag.decompose()
    parts = [el for s in snapshot.selectors for el in soup.select(s)] if snapshot.selectors else [soup]
    for selector in snapshot.remove_selectors:
        for part in parts:
            for element in part.select(selector):
                element.decompose()
    return sum(len(part.get_text(" ", strip=True).split()) for part in parts)


def looks_like_challenge(body: bytes) -> bool:
    """A bot challenge or block page, judged on an error response's body alone."""
    if not body.strip():
        return False
    snapshot = Snapshot(content=body, media_type="text/html")
    failure = wall_failure(snapshot, page_facts(snapshot))
    return failure is not None and failure.reason == "not_document"
