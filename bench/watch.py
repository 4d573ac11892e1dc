"""Benchmark the nightly job: 1,000 targets on local servers, one watch run with ~5% changed.

    .venv/bin/python bench/watch.py [--targets 1000] [--hosts 10] [--changed 0.05] [--host-delay 0.02]

Several hosts are simulated by several ports on 127.0.0.1, served by a separate process (so the
servers do not share the watch process's interpreter). Per-host politeness is kept: one request at a
time per host:port, with ``--host-delay`` seconds between requests (small here, to fit the run in
time; a real deployment keeps the default of 1 s). A first run records the baselines; then the
servers switch to the changed pages and the measured run happens in a fresh process. Printed: wall
time, peak memory (max RSS of the measured process), and the time per stage from ``run.json``
(``fetch`` includes the normalization the fetch stage does to recognise non-documents;
``normalize_store`` is the store writing and, for 304s/reused documents, nothing else).
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ holds scripts named like stdlib modules (html.py): keep it off the import path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402

PARAGRAPHS = [
    "We collect the information you give us when you create an account, such as your name, email address "
    "and phone number, and the content you create, including posts, comments and messages.",
    "We use your information to provide, personalise and improve the service, to keep it safe and secure, "
    "and to communicate with you about your account and our products.",
    "We share information with service providers that process it on our behalf under contract, and with "
    "other members according to your settings.",
    "You can access, correct, download or delete your information at any time from your account settings.",
    "We keep your information for as long as your account is open, and delete it within 30 days after you "
    "close your account, unless the law requires us to keep it longer.",
    "We will notify you by email at least 30 days before any material change to this policy takes effect.",
]
CHANGE = (
    " We may also use your posts and comments to develop and train artificial intelligence models, "
    "which may be trained by us or another provider. This is on by default; you can opt out in settings."
)


def page(doc: int, changed: bool) -> bytes:
    """A policy page of about 12 KB: sections of paragraphs, varied per document."""
    rng = random.Random(doc)
    parts = [f"<html><head><title>Policy {doc}</title></head><body><nav>Home · Help</nav><main>"]
    parts.append(f"<h1>Privacy Policy of Service {doc}</h1>")
    for section in range(8):
        parts.append(f"<h2>{section + 1}. Section {section + 1}</h2>")
        for p in range(3):
            text = PARAGRAPHS[(section + p + rng.randrange(6)) % len(PARAGRAPHS)]
            text = f"{text} (Service {doc}, clause {section + 1}.{p + 1}.)"
            if changed and section == 1 and p == 0:
                text += CHANGE
            parts.append(f"<p>{text}</p>")
    parts.append("</main><footer>© Example</footer></body></html>")
    return "".join(parts).encode()


def serve(
    ports: list[int], changed: set[int], flag: Path, ready: multiprocessing.synchronize.Event, etag: bool
) -> None:
    """Run one HTTP server per port (threads), serving /doc/N; changed pages once ``flag`` exists.

    With ``etag``, responses carry a strong ETag and a matching If-None-Match gets 304, as most
    real servers do.
    """
    import hashlib

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if not self.path.startswith("/doc/"):  # robots.txt (read once per site): none here
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            doc = int(self.path.rsplit("/", 1)[-1])
            body = page(doc, doc in changed and flag.exists())
            tag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            if etag and self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                self.send_header("ETag", tag)
                self.end_headers()
                return
            self.send_response(200)
            if etag:
                self.send_header("ETag", tag)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    servers = []
    for port in ports:
        httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        httpd.daemon_threads = True
        servers.append(httpd)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
    ready.set()
    threading.Event().wait()


def free_ports(n: int) -> list[int]:
    import socket

    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def run_once(targets: str, store: str, report: str, host_delay: float, concurrency: int) -> None:
    """The measured process: one watch run; prints wall time, max RSS and stage times as JSON."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from policydiff.fetch import FetchConfig
    from policydiff.targets import load_targets
    from policydiff.watch import network_fetcher, run_watch

    start = time.perf_counter()
    config = FetchConfig(host_delay=host_delay, concurrency=concurrency, retries=1)
    summary = run_watch(load_targets(targets), store, report, fetcher=network_fetcher(config))
    wall = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "wall": wall,
                "rss_mb": rss,
                "stages": dict(summary.stage_seconds),
                "exit": summary.exit_code,
                "headline": summary.headline,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--changed", type=float, default=0.05)
    parser.add_argument("--host-delay", type=float, default=0.02)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument(
        "--no-etag", action="store_true", help="Servers send no ETag (every page is re-read)."
    )
    parser.add_argument("--once", nargs=3, metavar=("TARGETS", "STORE", "REPORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.once:
        run_once(*args.once, host_delay=args.host_delay, concurrency=args.concurrency)
        return

    work = Path(tempfile.mkdtemp(prefix="policydiff-bench-watch-"))
    ports = free_ports(args.hosts)
    rng = random.Random(7)
    changed = set(rng.sample(range(args.targets), round(args.targets * args.changed)))
    flag = work / "changed"
    ready = multiprocessing.get_context("fork").Event()
    server = multiprocessing.get_context("fork").Process(
        target=serve, args=(ports, changed, flag, ready, not args.no_etag), daemon=True
    )
    server.start()
    ready.wait(30)

    lines = []
    for doc in range(args.targets):
        port = ports[doc % len(ports)]
        lines.append(f'[services.s{doc // 3}.documents.d{doc}]\nurl = "http://127.0.0.1:{port}/doc/{doc}"\n')
    targets = work / "targets.toml"
    targets.write_text("\n".join(lines))
    store, report = work / "store", work / "report"

    def measured(label: str) -> dict[str, object]:
        cmd = [
            sys.executable,
            __file__,
            "--host-delay",
            str(args.host_delay),
            "--concurrency",
            str(args.concurrency),
            "--once",
            str(targets),
            str(store),
            str(report),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
        stages = result["stages"]
        assert isinstance(stages, dict)
        stage_text = ", ".join(f"{k} {v:.2f} s" for k, v in stages.items())
        wall, rss = result["wall"], result["rss_mb"]
        print(f"{label}: wall {wall:.2f} s, peak RSS {rss:.0f} MiB, exit {result['exit']}")
        print(f"  stages: {stage_text}\n  {result['headline']}")
        return result

    print(
        f"{args.targets} targets on {args.hosts} hosts (ports), {len(changed)} changed, "
        f"host_delay {args.host_delay} s, concurrency {args.concurrency}, "
        f"ETag {'off' if args.no_etag else 'on'}; work dir {work}"
    )
    measured("baseline run (every document new)")
    flag.touch()
    result = measured("measured run (~5% changed)")
    server.kill()
    budget = "within" if float(result["wall"]) <= 30 else "OVER"  # type: ignore[arg-type]
    print(f"{budget} the 30 s target")


if __name__ == "__main__":
    main()
