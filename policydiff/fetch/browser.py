"""The browser fetcher: pages rendered by JavaScript, and bot walls a real browser passes.

Playwright for Python drives the system's chromium (``/usr/bin/chromium``, Debian's ``chromium``
package; Playwright never downloads a browser here). It is the optional extra
``policydiff[browser]``; without it, or without chromium, a browser fetch fails with a message
naming both.

- **One browser per run**, started on first use (most runs never need it) and closed by
  :meth:`BrowserFetcher.close` (``async with`` closes it on every exit path). Each page gets a
  fresh context (no cookies carried from one target to the next).
- **Same caps as the HTTP fetcher**: ``total_timeout`` for the whole page (navigation, rendering,
  waiting), ``timeout`` per navigation, ``max_decompressed_bytes`` for the rendered HTML and
  ``max_bytes`` for a raw (PDF) body.
- **Waiting**: for the target's selectors to hold text (each one), else for the body to hold text
  and the network to go quiet, within the time cap.
- **Which requests go out** (:mod:`policydiff.fetch.browser_guard`): the document's navigations
  (redirects included) and, for everything else, only requests to the same site as the document:
  the same host, or a host under the same parent domain (``static.example.com`` for
  ``www.example.com``; an IP address or ``localhost`` only itself). Third-party hosts (analytics,
  ads, consent managers, other CDNs) are blocked, and images, media and fonts are never loaded
  (text needs none of them). Every request and every redirect hop is checked on its resolved
  addresses like the HTTP fetcher's (no internal addresses unless the target is there or lists
  them in ``allow_internal``).
- **The sandbox stays on.** Chromium runs with its sandbox unless ``sandbox=False`` is passed or
  the environment sets ``POLICYDIFF_BROWSER_NO_SANDBOX=1``: for tests and CI containers running
  as root, where chromium cannot sandbox itself. Never set it for a real watch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from policydiff.fetch.addresses import AddressPolicy
from policydiff.fetch.browser_guard import PageGuard, allowed_request
from policydiff.fetch.caps import Abort
from policydiff.fetch.config import FetchConfig
from policydiff.fetch.result import FetchFailure, Response
from policydiff.fetch.walls import looks_like_challenge

__all__ = [
    "CHROMIUM",
    "FETCHER_HEADER",
    "LAUNCH_ARGS",
    "NO_SANDBOX_ENV",
    "BrowserFetcher",
    "allowed_request",
    "browser_missing",
]

log = logging.getLogger(__name__)

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ("--disable-gpu", "--no-first-run", "--disable-background-networking")
NO_SANDBOX_ENV = "POLICYDIFF_BROWSER_NO_SANDBOX"
FETCHER_HEADER = "x-policydiff-fetcher"  # in a browser snapshot's headers: the evidence of who fetched it
_WAIT_TEXT = """selectors => selectors.every(s => {
  const el = document.querySelector(s);
  return el !== null && (el.innerText || el.textContent || '').trim().length > 0;
})"""
_WAIT_BODY = "() => document.body !== null && (document.body.innerText || '').trim().length > 0"


def browser_missing() -> FetchFailure | None:
    """Why the browser fetcher cannot run here (the extra or chromium missing), or None."""
    try:
        import playwright.async_api  # noqa: F401  (only checking that the extra is installed)
    except ImportError:
        return FetchFailure(
            "browser_unavailable",
            "this page needs a browser: install the extra (pip install 'policydiff[browser]') "
            f"and Debian's chromium package (apt-get install chromium, at {CHROMIUM})",
        )
    if not CHROMIUM.exists():
        return FetchFailure(
            "browser_unavailable",
            f"this page needs a browser but {CHROMIUM} is missing: install Debian's chromium package "
            "(apt-get install chromium) for the browser extra (policydiff[browser])",
        )
    return None


def _sandbox_default() -> bool:
    return os.environ.get(NO_SANDBOX_ENV, "").strip() not in ("1", "true", "yes")


class BrowserFetcher:
    """One headless chromium for a run; :meth:`fetch` renders one page in a fresh context."""

    def __init__(self, config: FetchConfig, *, sandbox: bool | None = None) -> None:
        self.config = config
        self.sandbox = _sandbox_default() if sandbox is None else sandbox
        self._lock = asyncio.Lock()
        self._playwright: Any = None
        self._browser: Any = None
        self._failure: FetchFailure | None = None  # why chromium could not start (not tried again)
        self.launches = 0  # how many times chromium was started (once per run)

    async def __aenter__(self) -> BrowserFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _start(self) -> Any:
        async with self._lock:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            if self._browser is not None:  # chromium crashed or was killed: start a new one
                log.warning("chromium went away; starting it again")
                await self.close()
            self._failure = self._failure or browser_missing()
            if self._failure is not None:
                raise Abort(self._failure)
            from playwright.async_api import Error, async_playwright

            args = list(LAUNCH_ARGS)
            if not self.sandbox:
                log.warning(
                    "chromium runs WITHOUT its sandbox (%s set): for tests and CI only", NO_SANDBOX_ENV
                )
                args.append("--no-sandbox")
            try:
                self._playwright = await async_playwright().start()
                self._browser = await self._playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=args, chromium_sandbox=self.sandbox, headless=True
                )
            except Error as exc:
                await self.close()
                hint = f" (running as root? CI containers set {NO_SANDBOX_ENV}=1)" if self.sandbox else ""
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                self._failure = FetchFailure("browser_unavailable", f"chromium did not start{hint}: {first}")
                raise Abort(self._failure) from None
            self.launches += 1
            return self._browser

    async def close(self) -> None:
        """Close the browser and Playwright (safe to call twice, or when never started)."""
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        if browser is not None:
            try:
                await browser.close()
            except Exception:  # already gone (crashed): nothing left to close
                log.debug("closing chromium failed", exc_info=True)
        if playwright is not None:
            await playwright.stop()

    async def fetch(
        self,
        url: str,
        headers: Mapping[str, str],
        selectors: Sequence[str],
        *,
        allow_internal: Sequence[str] = (),
    ) -> Response:
        """Render ``url``; failures raise :class:`~policydiff.fetch.caps.Abort` like the HTTP path.

        Requests may reach internal addresses only where ``url`` itself resolves, or in the
        networks of ``allow_internal`` (see :mod:`policydiff.fetch.addresses`)."""
        from playwright.async_api import Error

        browser = await self._start()
        policy = await AddressPolicy.for_target(url, allow_internal)
        context: Any = None
        try:
            async with asyncio.timeout(self.config.total_timeout):
                context = await browser.new_context(
                    extra_http_headers=dict(headers),
                    java_script_enabled=True,
                    accept_downloads=False,
                    service_workers="block",
                )
                guard = PageGuard(
                    url,
                    policy,
                    context.request,
                    max_redirects=self.config.max_redirects,
                    timeout=self.config.timeout,
                )
                return await self._render(context, guard, url, tuple(selectors))
        except TimeoutError:
            raise Abort(
                FetchFailure("timeout", f"the browser did not finish within {self.config.total_timeout:g}s"),
                transient=True,
            ) from None
        except Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise Abort(FetchFailure("connection", f"browser: {first}"), transient=True) from None
        finally:
            if context is not None:
                with contextlib.suppress(Error):  # the browser may be gone already
                    await context.close()

    async def _render(self, context: Any, guard: PageGuard, url: str, selectors: tuple[str, ...]) -> Response:
        await context.route("**/*", guard)
        await context.route_web_socket("**/*", _refuse_socket)
        page = await context.new_page()
        try:
            response = await page.goto(url, wait_until="domcontentloaded", timeout=self.config.timeout * 1000)
        except Exception as exc:
            if guard.refused is not None:
                raise Abort(FetchFailure("internal_address", guard.refused)) from None
            if "Download is starting" not in str(exc):
                raise
            return await self._download(guard, url)
        if response is None:
            raise Abort(FetchFailure("connection", "the browser got no response for the page"))
        status = response.status
        kept = {k.lower(): v for k, v in (await response.all_headers()).items() if k.lower() != "set-cookie"}
        media = kept.get("content-type", "text/html").split(";")[0].strip().lower()
        if media == "application/pdf":
            return await self._download(guard, url)
        if status >= 400:
            rendered = await self._rendered(page, guard, status, kept)
            reason = "not_document" if looks_like_challenge(rendered.body) else "http_error"
            raise Abort(FetchFailure(reason, f"HTTP {status} in the browser too", status), evidence=rendered)
        try:
            await self._settle(page, selectors)
        except Abort as abort:
            abort.evidence = await self._rendered(page, guard, status, kept)  # the page without the text
            raise
        return await self._rendered(page, guard, status, kept)

    async def _rendered(self, page: Any, guard: PageGuard, status: int, headers: dict[str, str]) -> Response:
        """The page as rendered now (UTF-8 HTML), with the main response's headers; capped."""
        html = (await page.content()).encode("utf-8")
        if len(html) > self.config.max_decompressed_bytes:
            cap = self.config.max_decompressed_bytes
            raise Abort(FetchFailure("too_large", f"rendered page larger than the cap of {cap} bytes"))
        # the rendered DOM, serialized as UTF-8, whatever the server sent
        kept = {**headers, "content-type": "text/html; charset=utf-8", FETCHER_HEADER: "browser"}
        # the page's URL after the redirects the guard followed (page.url still shows the first)
        return Response(status, guard.final_url, kept, html, "browser")

    async def _settle(self, page: Any, selectors: tuple[str, ...]) -> None:
        """Wait for every selector to hold text (else a failure), or for the body's text to settle."""
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        wait_ms = self.config.timeout * 1000
        if selectors:
            try:
                await page.wait_for_function(_WAIT_TEXT, arg=list(selectors), timeout=wait_ms)
            except PlaywrightTimeout:
                shown = ", ".join(repr(s) for s in selectors)
                raise Abort(
                    FetchFailure(
                        "selector_missing",
                        f"selector {shown} held no text after {self.config.timeout:g}s in the browser",
                    )
                ) from None
            return
        start = time.monotonic()
        try:
            await page.wait_for_function(_WAIT_BODY, timeout=wait_ms)
            left = max(0.5, min(5.0, self.config.timeout - (time.monotonic() - start)))
            await page.wait_for_load_state("networkidle", timeout=left * 1000)
        except PlaywrightTimeout:  # judged below on what is there (empty or short)
            pass

    async def _download(self, guard: PageGuard, url: str) -> Response:
        """A response that is not a page (a PDF): its raw body, through the context's own client."""
        response = await guard.get(url)
        if response is None:
            why = guard.refused or f"more than {self.config.max_redirects} redirects"
            raise Abort(FetchFailure("internal_address" if guard.refused else "too_many_redirects", why))
        try:
            body = await response.body()
            if len(body) > self.config.max_bytes:
                cap = self.config.max_bytes
                raise Abort(FetchFailure("too_large", f"body larger than the cap of {cap} bytes"))
            kept = {k.lower(): v for k, v in response.headers.items() if k.lower() != "set-cookie"}
            if response.status >= 400:
                raise Abort(
                    FetchFailure("http_error", f"HTTP {response.status} in the browser too", response.status)
                )
            return Response(
                response.status, response.url, {**kept, FETCHER_HEADER: "browser"}, body, "browser"
            )
        finally:
            await response.dispose()


async def _refuse_socket(socket: Any) -> None:
    """WebSockets are never connected (a policy page needs none): the socket is closed at once."""
    await socket.close()
