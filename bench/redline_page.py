"""Benchmark the redline page on a large policy pair: render time, page size, and in headless
chromium: load, first paint, DOM size, view switches and keyboard jumps. Prints figures; run by hand:

    .venv/bin/python bench/redline_page.py              # ~1 MB pair built from ../shared/corpus
    .venv/bin/python bench/redline_page.py --size 2     # ~2 MB
    .venv/bin/python bench/redline_page.py --synthetic  # no corpus needed

The pair: consecutive versions of every corpus series, concatenated (each under its own heading)
until each side reaches the size, so the changes are real edits, moves and rewrites. Pages that
show a pending version are left out (their announced text would swallow what follows).
"""

from __future__ import annotations

import sys
from pathlib import Path

# this file is named html.py: keep its folder off the import path so the stdlib ``html`` wins
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import itertools  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def corpus_pair(size: int) -> tuple[str, str]:
    from policydiff import normalize

    def plain(path: Path) -> bool:  # pages that show a pending version would swallow what follows
        return normalize(path).upcoming is None

    series = sorted(
        {p.parent for p in CORPUS.rglob("*.md") if "bundle" not in str(p) and p.name[:4].isdigit()}
    )
    old: list[str] = []
    new: list[str] = []
    total = 0
    while total < size:
        for folder in series:
            files = sorted(folder.glob("*.md"))
            for a, b in itertools.pairwise(files):
                if not (plain(a) and plain(b)):
                    continue
                title = f"# {folder.name} {a.stem} -> {b.stem} ({len(old)})"
                old.append(f"{title}\n\n{a.read_text(encoding='utf-8')}")
                new.append(f"{title}\n\n{b.read_text(encoding='utf-8')}")
                total += len(old[-1].encode())
                if total >= size:
                    return "\n\n".join(old), "\n\n".join(new)
    return "\n\n".join(old), "\n\n".join(new)


def synthetic_pair(size: int, seed: int = 7) -> tuple[str, str]:
    rng = random.Random(seed)
    words = (
        "we may use share disclose your personal data information content with our affiliates partners "
        "service providers to provide improve develop train models advertising security research unless "
        "you opt out consent by default in the european union region account settings"
    ).split()
    old: list[str] = []
    new: list[str] = []
    total = 0
    n = 0
    while total < size:
        n += 1
        if n % 12 == 1:
            old.append(f"## Section {n // 12 + 1}")
            new.append(old[-1])
        para = " ".join(rng.choice(words) for _ in range(rng.randint(30, 90))).capitalize() + "."
        old.append(para)
        roll = rng.random()
        if roll < 0.04:
            new.append(para.replace(" data ", " data and messages ", 1) + " We may train AI models.")
        elif roll < 0.05:
            pass  # removed
        else:
            new.append(para)
        if rng.random() < 0.01:
            new.append("We may share your content with another provider to train models.")
        total += len(para) + 2
    return "\n\n".join(old), "\n\n".join(new)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=float, default=1.0, help="size of each side in MB (default 1)")
    parser.add_argument("--synthetic", action="store_true", help="generated text instead of the corpus")
    parser.add_argument("--runs", type=int, default=3, help="page loads to measure (default 3)")
    parser.add_argument("--keep", type=Path, help="also write the page here")
    args = parser.parse_args()

    import policydiff
    from policydiff.render.html import iter_html, to_html

    size = int(args.size * 1_000_000)
    if args.synthetic or not CORPUS.is_dir():
        old, new = synthetic_pair(size)
        source = "synthetic"
    else:
        old, new = corpus_pair(size)
        source = f"corpus ({CORPUS})"
    print(f"input: {source}; old {len(old.encode()) / 1e6:.2f} MB, new {len(new.encode()) / 1e6:.2f} MB")

    t0 = time.process_time()
    comparison = policydiff.compare(old, new, format="markdown")
    t1 = time.process_time()
    html = to_html(comparison)
    t2 = time.process_time()
    html_again = to_html(comparison)
    t3 = time.process_time()
    assert html == html_again, "rendering is not deterministic"
    clauses = sum(1 for d in comparison.documents if d.new for _ in d.new.clauses())
    summary = comparison.summary
    print(f"compare(): {t1 - t0:.2f} s CPU; {clauses} clauses, {summary.changes} changes, ", end="")
    print(f"{summary.findings} findings")
    print(f"to_html(): {t2 - t1:.2f} s CPU (again {t3 - t2:.2f} s); page {len(html.encode()) / 1e6:.2f} MB")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.html"
        t4 = time.process_time()
        with path.open("w", encoding="utf-8") as out:  # what `compare --format html -o FILE` does
            out.writelines(iter_html(comparison))
        print(f"iter_html() streamed to a file: {time.process_time() - t4:.2f} s CPU")
        assert path.read_text(encoding="utf-8") == html, "the streamed page differs from to_html()"
        if args.keep:
            args.keep.write_text(html, encoding="utf-8")
        measure(path, args.runs)
    return 0


TIMING_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = {};
  for (const p of performance.getEntriesByType('paint')) paint[p.name] = p.startTime;
  return { load: nav.loadEventEnd, dcl: nav.domContentLoadedEventEnd,
           fp: paint['first-paint'] || null, fcp: paint['first-contentful-paint'] || null,
           nodes: document.getElementsByTagName('*').length,
           rows: document.querySelectorAll('.row').length };
}"""

INTERACT_JS = """async () => {
  const t = () => performance.now();
  const frame = () => new Promise(requestAnimationFrame);
  const out = {};
  let s = t(); policydiff.setView('sbs'); await frame(); out.sbs = t() - s;
  s = t(); policydiff.setView('changes'); await frame(); out.changes = t() - s;
  s = t(); policydiff.setView('inline'); await frame(); out.inline = t() - s;
  s = t(); for (let i = 0; i < 20; i++) policydiff.next(1); out.next20 = t() - s;
  s = t(); let frames = 0; const H = document.documentElement.scrollHeight;
  for (let y = 0; y < H; y += Math.max(innerHeight, H / 60)) { scrollTo(0, y); await frame(); frames++; }
  out.scroll = t() - s; out.frames = frames;
  scrollTo(0, H / 2); await frame();
  s = t(); let last = s; out.worst = 0;
  for (let i = 0; i < 100; i++) {
    scrollBy(0, 150); await frame();
    const now = t(); out.worst = Math.max(out.worst, now - last); last = now;
  }
  out.wheel = (t() - s) / 100;
  return out;
}"""


def measure(path: Path, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        print(f"browser figures skipped: {CHROMIUM} is absent")
        return
    loads: list[float] = []
    fcps: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for run in range(runs):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            requests: list[str] = []
            page.on("request", lambda r, requests=requests: requests.append(r.url))
            page.goto(path.as_uri(), wait_until="load")
            timing = page.evaluate(TIMING_JS)
            loads.append(timing["load"])
            fcps.append(timing["fcp"] or float("nan"))
            if run == 0:
                print(
                    f"DOM: {timing['nodes']} elements, {timing['rows']} clause rows; "
                    f"requests on open: {len(requests) - 1} (besides the file)"
                )
                figures = page.evaluate(INTERACT_JS)
                print(
                    f"first view switch to side by side: {figures['sbs']:.0f} ms; to changes only: "
                    f"{figures['changes']:.0f} ms; back to inline: {figures['inline']:.0f} ms"
                )
                print(f"20 x next change: {figures['next20']:.0f} ms")
                print(
                    f"scroll top to bottom in {figures['frames']} frames: {figures['scroll']:.0f} ms "
                    f"({figures['scroll'] / figures['frames']:.1f} ms/frame)"
                )
                print(
                    f"wheel-like scroll, 100 x 150 px: {figures['wheel']:.1f} ms/frame, "
                    f"worst frame {figures['worst']:.0f} ms"
                )
            context.close()
        browser.close()
    print(
        f"load event: median {statistics.median(loads):.0f} ms over {runs} runs "
        f"(min {min(loads):.0f}, max {max(loads):.0f}); "
        f"first contentful paint: median {statistics.median(fcps):.0f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
