"""Benchmark the PDF front end and the browser fetcher, each against the obvious alternative.

PDF: two real consecutive versions of a policy from ../shared/corpus (Zoom's terms of service,
Markdown) typeset here as PDFs with fpdf2 (headings in bold, running header, page-number footer).
Reported: seconds per page for ``normalize`` (layout, furniture, paragraphs, headings) and for
pypdf's plain ``extract_text`` (the obvious alternative: text with none of that), their ratio, and
whether comparing the two PDFs finds the same material changes as comparing the Markdown sources.

Browser: the same policy as an HTML page from a local server; seconds per fetch for the plain
HTTP fetcher and for the browser fetcher (one chromium for the run; its start is reported apart).

Run by hand (as root, chromium needs POLICYDIFF_BROWSER_NO_SANDBOX=1):
    .venv/bin/python bench/formats.py [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import itertools
import re
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# bench/ holds other scripts: keep them from shadowing the standard library
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from policydiff import compare, normalize  # noqa: E402
from policydiff.fetch import BrowserFetcher, FetchConfig, fetch_one, make_client  # noqa: E402
from policydiff.model import ClauseChange, Snapshot  # noqa: E402
from policydiff.targets import DocumentTarget  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "zoom" / "terms-of-service"
VERSIONS = ("2023-07-28_0c3e673eb.md", "2023-08-07_99ab2d06d.md")


def plain(line: str) -> str:
    """Markdown inline markup removed, and text fpdf2's core fonts can draw (Latin-1)."""
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line).replace("**", "").replace("__", "")
    line = line.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"').replace("\u2014", "-")
    return line.encode("latin-1", "replace").decode("latin-1")


def typeset(markdown: str) -> bytes:
    from fpdf import FPDF

    class Policy(FPDF):  # type: ignore[misc]  # fpdf2 ships no type information
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, "Terms of Service", align="C")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 8, f"Page {self.page_no()}", align="C")

    pdf = Policy()
    pdf.add_page()
    for block in re.split(r"\n\s*\n", markdown):
        text = " ".join(plain(block).split())
        if not text:
            continue
        heading = re.match(r"(#+)\s+(.*)", text)
        if heading:
            pdf.set_font("Helvetica", "B", max(11, 18 - 2 * len(heading.group(1))))
            pdf.multi_cell(0, 7, heading.group(2))
        else:
            pdf.set_font("Helvetica", size=10)
            pdf.multi_cell(0, 5, text.lstrip("-* "))
        pdf.ln(3)
    return bytes(pdf.output())


def best(seconds: list[float]) -> float:
    return statistics.median(seconds)


def bench_pdf(runs: int) -> None:
    import pypdf

    sources = [(CORPUS / name).read_text(encoding="utf-8") for name in VERSIONS]
    pdfs = [typeset(text) for text in sources]
    pages = len(pypdf.PdfReader(io.BytesIO(pdfs[1])).pages)
    ours, alternative = [], []
    for _ in range(runs):
        start = time.perf_counter()
        normalize(pdfs[1])
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        for page in pypdf.PdfReader(io.BytesIO(pdfs[1])).pages:
            page.extract_text()
        alternative.append(time.perf_counter() - start)
    print(f"PDF: Zoom terms of service {VERSIONS[1][:10]}, {pages} pages, {len(pdfs[1]):,} bytes")
    print(f"  normalize          {best(ours) / pages * 1000:7.1f} ms/page")
    print(f"  pypdf extract_text {best(alternative) / pages * 1000:7.1f} ms/page")
    print(f"  ratio              {best(ours) / best(alternative):7.2f}x")
    print("  material changes, Markdown sources vs their PDFs (consecutive versions):")
    names = sorted(p.name for p in CORPUS.glob("*.md"))
    for old_name, new_name in itertools.pairwise(names):
        texts = [(CORPUS / name).read_text(encoding="utf-8") for name in (old_name, new_name)]
        from_md = _material(compare(*texts, format="markdown", findings=False).changes, plain)
        sides = [Snapshot(typeset(text), media_type="application/pdf") for text in texts]
        from_pdf = _material(compare(*sides, findings=False).changes, str)
        print(
            f"    {old_name[:10]} -> {new_name[:10]}: Markdown {len(from_md)}, PDF {len(from_pdf)}, "
            f"the same (kind and new text) {len(from_md & from_pdf)}"
        )


def _material(changes: Sequence[ClauseChange], clean: Callable[[str], str]) -> set[tuple[str, str]]:
    return {(c.kind, " ".join(clean(c.new_text or c.old_text or "").split())) for c in changes if c.material}


class _Page(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:
        if self.path != "/terms":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


async def _fetch_times(url: str, runs: int, config: FetchConfig) -> tuple[list[float], list[float], float]:
    target = DocumentTarget(service="bench", document="terms", url=url, select=("main",))
    browser_target = DocumentTarget(
        service="bench", document="terms", url=url, select=("main",), browser=True
    )
    plain_times, browser_times = [], []
    async with make_client(config) as client, BrowserFetcher(config) as browser:
        start = time.perf_counter()
        first = await fetch_one(client, browser_target, config=config, browser=browser)
        launch_and_first = time.perf_counter() - start
        if first.failure is not None:
            raise RuntimeError(first.failure.message)
        for _ in range(runs):
            start = time.perf_counter()
            assert (await fetch_one(client, target, config=config, browser=browser)).ok
            plain_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            assert (await fetch_one(client, browser_target, config=config, browser=browser)).ok
            browser_times.append(time.perf_counter() - start)
    return plain_times, browser_times, launch_and_first


def bench_browser(runs: int) -> None:
    from policydiff.fetch.browser import browser_missing

    missing = browser_missing()
    if missing is not None:
        print(f"browser: skipped ({missing.message})")
        return
    text = (CORPUS / VERSIONS[1]).read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{plain(block)}</p>" for block in re.split(r"\n\s*\n", text) if block.strip())
    _Page.body = (
        f"<html><head><title>Terms</title></head><body><main>{paragraphs}</main></body></html>".encode()
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/terms"
        config = FetchConfig(host_delay=0.0, retries=0)
        plain_times, browser_times, first = asyncio.run(_fetch_times(url, runs, config))
    except RuntimeError as exc:
        print(f"browser: skipped ({exc})")
        return
    finally:
        server.shutdown()
    print(f"browser: the same policy as one {len(_Page.body):,}-byte HTML page on 127.0.0.1")
    print(f"  plain HTTP fetch   {best(plain_times) * 1000:7.0f} ms/fetch")
    print(f"  browser fetch      {best(browser_times) * 1000:7.0f} ms/fetch (chromium already running)")
    print(f"  first browser fetch, chromium start included {first * 1000:7.0f} ms")
    print(f"  ratio              {best(browser_times) / best(plain_times):7.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return
    bench_pdf(args.runs)
    bench_browser(args.runs)


if __name__ == "__main__":
    main()
