"""Which requests a rendered page may make: same site only, and never into internal addresses.

``allowed_request`` is the site rule: the document's navigations and, for everything else, only
requests to the same site as the document (the same host, or a host under the same parent
domain; an IP address or ``localhost`` only itself). Images, media and fonts are never loaded.

``PageGuard`` is the route handler of one page and adds the address rule of
:mod:`policydiff.fetch.addresses` (no SSRF through the browser): before any request leaves, its
host is resolved and every address checked against the target's ``AddressPolicy`` (loopback,
private, link-local, cloud metadata: refused unless the target itself is there or allows it).
Chromium follows redirects without asking route handlers again, so the guard makes each request
itself without following redirects, checks every ``Location`` hop the same way, and hands the
final response to the page (the main document's final URL is kept in ``final_url``).
WebSockets and service workers are blocked outright (a policy page needs neither).
"""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urljoin, urlsplit

from policydiff.fetch.addresses import AddressPolicy, InternalAddress

__all__ = ["PageGuard", "allowed_request", "site_of"]

_SKIPPED_TYPES = frozenset({"image", "media", "font"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def site_of(host: str) -> str:
    """The parent domain a host belongs to (an approximation of the registrable domain)."""
    host = host.lower().rstrip(".")
    labels = host.split(".")
    if host.replace(".", "").isdigit() or ":" in host or len(labels) <= 2:
        return host
    keep = 3 if len(labels[-2]) <= 3 and len(labels[-1]) == 2 else 2  # example.co.uk
    return ".".join(labels[-keep:])


def allowed_request(url: str, sites: set[str], *, navigation: bool, resource_type: str) -> bool:
    """Whether the page may make this request (the site rule; see the module's text)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    if parts.scheme not in ("http", "https") or resource_type in _SKIPPED_TYPES:
        return False
    return navigation or site_of(parts.hostname or "") in sites


class PageGuard:
    """The route handler of one page of ``url`` (``await context.route("**/*", guard)``);
    ``client`` is the browser context's request client (``context.request``), for redirect hops."""

    def __init__(
        self, url: str, policy: AddressPolicy, client: Any, *, max_redirects: int, timeout: float
    ) -> None:
        self.sites = {site_of(urlsplit(url).hostname or "")}
        self.policy = policy
        self.client = client
        self.max_redirects = max_redirects
        self.timeout_ms = timeout * 1000
        self.final_url = url  # of the main document, after its redirects
        self.refused: str | None = None  # why the main document was refused (an internal address)
        self.blocked: list[tuple[str, str]] = []  # (URL, why) of every request refused for its address

    async def __call__(self, route: Any, request: Any) -> None:
        navigation = request.is_navigation_request() and request.frame.parent_frame is None
        url = request.url
        if navigation:
            self.sites.add(site_of(urlsplit(url).hostname or ""))
        if not allowed_request(url, self.sites, navigation=navigation, resource_type=request.resource_type):
            await route.abort("blockedbyclient")
            return
        if urlsplit(url).scheme not in ("http", "https"):
            await route.continue_()  # data:, blob:, about: reach no network
            return
        from playwright.async_api import Error

        first = route.fetch(max_redirects=0, timeout=self.timeout_ms) if await self._permitted(url) else None
        try:
            response = await self.follow(url, request.method, first, navigation=navigation)
        except Error:  # no answer (or the page closed): the page sees a failed request
            with contextlib.suppress(Error):
                await route.abort("failed")
            return
        if response is None:
            await route.abort("blockedbyclient")
        else:
            await route.fulfill(response=response)

    async def get(self, url: str) -> Any:
        """A GET of ``url`` by the context's client, redirects checked (a download: a PDF)."""
        permitted = await self._permitted(url)
        first = self.client.get(url, max_redirects=0, timeout=self.timeout_ms) if permitted else None
        return await self.follow(url, "GET", first, navigation=True)

    async def follow(self, url: str, method: str, first: Any, *, navigation: bool) -> Any:
        """The response at the end of the redirects from ``first`` (the awaitable first response,
        None when its URL was refused), each hop checked; None if a hop is refused."""
        if first is None:
            return self._refuse_main(navigation)
        response = await first
        for _ in range(self.max_redirects + 1):
            location = response.headers.get("location")
            if response.status not in _REDIRECTS or not location:
                if navigation:
                    self.final_url = url
                return response
            await response.dispose()
            url = urljoin(url, location)
            method = method if response.status in (307, 308) else "GET"
            same_site = site_of(urlsplit(url).hostname or "") in self.sites
            if not (navigation or same_site) or not await self._permitted(url):
                return self._refuse_main(navigation)
            response = await self.client.fetch(url, method=method, max_redirects=0, timeout=self.timeout_ms)
        await response.dispose()
        return None  # too many redirects

    def _refuse_main(self, navigation: bool) -> None:
        if navigation and self.blocked and self.refused is None:
            self.refused = self.blocked[-1][1]

    async def _permitted(self, url: str) -> bool:
        try:
            await self.policy.check_url(url)
        except InternalAddress as exc:
            self.blocked.append((url, str(exc)))
            return False
        return True
