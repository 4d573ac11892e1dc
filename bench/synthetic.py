"""Move-recall check: policydiff.compare() against whole-document diff tools on synthetic policy pairs
(the real-document speed benchmark is bench/compare.py).

Builds policy-like Markdown pairs of about 100 KB, 1 MB and 5 MB from real sentences of the corpus
in ../shared/corpus (skips when absent), with known planted changes in the new version: word edits,
number changes, inserted phrases, inserted and deleted paragraphs, moved paragraphs, and moved
paragraphs that were also edited. Each paragraph is a fresh combination of 2-4 corpus sentences, so
the text reads like a policy while every paragraph is distinct.

Every tool runs in its own subprocess (time and peak RSS measured there, capped by a timeout):

- ``policydiff``: the full ``policydiff.compare(old_path, new_path)`` (normalize, align, word diff,
  findings);
- ``policydiff-nofind``: the same with ``findings=False`` (the diff pipeline alone);
- ``redlines`` (bench-only dependency: ``pip install -e '.[bench]'``);
- ``dmp-words``: diff-match-patch over the whole document, one code point per word (no time limit);
- ``difflib``: ``difflib.SequenceMatcher`` over the whole document's word tokens;
- ``git``: ``git diff --no-index --word-diff=porcelain``.

Printed per tool and size: seconds, peak RSS (MB), changed characters (inserted + deleted text the
tool marks) against the known floor (what the planted changes touch; a move costs nothing when
reported as a move), and for policydiff the move recall (planted moves reported as moved, and moved
+ edited ones reported as moved_modified).

Run: ``.venv/bin/python bench/synthetic.py [--sizes 100k,1m,5m] [--cap 120] [--seed 1]``
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# other scripts in bench/ (html.py ...) must not shadow standard modules
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SIZES = {"100k": 100_000, "1m": 1_000_000, "5m": 5_000_000}
TOOLS = ["policydiff", "policydiff-nofind", "policydiff-diff", "redlines", "dmp-words", "difflib", "git"]
QUADRATIC = {"redlines", "difflib", "dmp-words"}  # projected from the previous size as ~n^2

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(“\"])")
_WORD = re.compile(r"[A-Za-z]{4,}")
_PROSE = re.compile(r"[A-Z][a-z]+ [^*_·|]*$")  # starts like a sentence, no list label or markup


# --------------------------------------------------------------------------- corpus sentences


def corpus_sentences() -> list[str]:
    """Distinct prose sentences of the corpus Markdown files (links reduced to their text)."""
    seen: set[str] = set()
    out: list[str] = []
    for path in sorted(CORPUS.rglob("*.md")):
        if path.name == "README.md":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith(("#", "|", ">", "```")):
                continue
            line = _LINK.sub(r"\1", re.sub(r"^([*+-]|\d+\.)\s+", "", line))
            for sentence in _SENTENCE.split(line):
                sentence = " ".join(sentence.split())
                if _PROSE.match(sentence) and 40 <= len(sentence) <= 400 and sentence not in seen:
                    seen.add(sentence)
                    out.append(sentence)
    return out


# --------------------------------------------------------------------------- synthetic pair


class Pair:
    """An old and a new document (as paragraph lists per section) plus what was planted."""

    def __init__(self, sentences: list[str], size: int, seed: int) -> None:
        rng = random.Random(seed)
        self.rng = rng
        self.sentences = sentences
        self.sections: list[tuple[str, list[str]]] = []
        total = 0
        k = 0
        while total < size:
            k += 1
            title = (
                f"{k}. " + " ".join(rng.sample(_WORD.findall(rng.choice(sentences)) or ["Terms"], 1)).title()
            )
            paras = [self.paragraph() for _ in range(rng.randint(4, 10))]
            self.sections.append((title, paras))
            total += len(title) + sum(len(p) + 2 for p in paras) + 4
        self.old_text = render(self.sections)
        self.floor = 0
        self.moves: list[str] = []  # new text of planted plain moves
        self.moved_edits: list[str] = []  # new text of planted moved + edited paragraphs
        self.new_sections = self.plant()
        self.new_text = render(self.new_sections)

    def paragraph(self) -> str:
        return " ".join(self.rng.sample(self.sentences, self.rng.randint(2, 4)))

    def edit(self, text: str) -> str:
        """One word-level edit: replace a word, change a number, or insert a phrase."""
        rng = self.rng
        words = text.split(" ")
        kind = rng.choice(["replace", "number", "insert"])
        at = rng.randrange(len(words))
        if kind == "replace":
            new_word = rng.choice(["Communications", "affiliates", "partners", "may", "models"])
            self.floor += len(words[at]) + len(new_word)
            words[at] = new_word
        elif kind == "number":
            value = f"{rng.randint(2, 999)}"
            words.insert(at, value)
            self.floor += len(value) + 1
        else:
            phrase = "and to develop and train artificial intelligence models"
            words.insert(at, phrase)
            self.floor += len(phrase) + 1
        return " ".join(words)

    def plant(self) -> list[tuple[str, list[str]]]:
        rng = self.rng
        sections = [(t, list(ps)) for t, ps in self.sections]
        n = sum(len(ps) for _, ps in sections)

        def pick() -> tuple[int, int]:
            while True:
                s = rng.randrange(len(sections))
                if sections[s][1]:
                    return s, rng.randrange(len(sections[s][1]))

        touched: set[str] = set()

        def pick_fresh() -> tuple[int, int]:
            for _ in range(1000):
                s, p = pick()
                if sections[s][1][p] not in touched:
                    return s, p
            raise RuntimeError("document too small for the planted changes")

        for _ in range(max(2, n // 40)):  # in-place edits
            s, p = pick_fresh()
            sections[s][1][p] = self.edit(sections[s][1][p])
            touched.add(sections[s][1][p])
        for _ in range(max(1, n // 100)):  # deletions
            s, p = pick_fresh()
            self.floor += len(sections[s][1].pop(p))
        for _ in range(max(1, n // 100)):  # insertions
            s, p = pick()
            text = self.paragraph()
            sections[s][1].insert(p, text)
            touched.add(text)
            self.floor += len(text)
        for k in range(max(4, n // 60)):  # moves; every third also edited
            s, p = pick_fresh()
            text = sections[s][1].pop(p)
            if k % 3 == 2:
                text = self.edit(text)
                self.moved_edits.append(text)
            else:
                self.moves.append(text)
            touched.add(text)
            t = (s + rng.randint(2, max(2, len(sections) - 2))) % len(sections)
            sections[t][1].insert(rng.randint(0, len(sections[t][1])), text)
        return sections


def render(sections: list[tuple[str, list[str]]]) -> str:
    out = ["# Synthetic Privacy Policy", ""]
    for title, paras in sections:
        out += [f"## {title}", ""]
        for para in paras:
            out += [para, ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- tools (child side)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+|\s+|[^\w\s]", text)


def run_tool(tool: str, old_path: str, new_path: str) -> dict[str, Any]:
    old = Path(old_path).read_text(encoding="utf-8")
    new = Path(new_path).read_text(encoding="utf-8")
    # libraries are imported before the clock starts: a service imports once and compares many times
    if tool.startswith("policydiff"):
        import policydiff
        import policydiff.normalize
        import policydiff.semantics

        # warm-up on a tiny pair: lazy imports, sentence model, compiled patterns
        policydiff.compare("# T\n\nWe use data.\n", "# T\n\nWe use your data.\n", format="markdown")
    elif tool == "redlines":
        import redlines  # noqa: F401
    start = time.perf_counter()
    extra: dict[str, Any] = {}
    if tool.startswith("policydiff"):
        if tool == "policydiff-diff":  # the align + word diff stage alone
            from policydiff.diff import diff_documents
            from policydiff.normalize import normalize

            docs = (
                normalize(Path(old_path)),
                normalize(Path(new_path)),
            )
            start = time.perf_counter()
            result = policydiff.Comparison(documents=[diff_documents(*docs)])
        else:
            result = policydiff.compare(Path(old_path), Path(new_path), findings=tool == "policydiff")
        changed = 0
        kinds: dict[str, int] = {}
        moved, moved_modified = [], []
        degraded = 0
        for change in result.changes:
            kinds[change.kind] = kinds.get(change.kind, 0) + 1
            degraded += change.degraded
            if change.kind != "moved":
                changed += sum(len(op.text) for op in change.ops if op.op != "equal")
            if change.kind == "moved":
                moved.append(change.new_text)
            elif change.kind == "moved_modified":
                moved_modified.append(change.new_text)
        extra = {
            "kinds": kinds,
            "moved": moved,
            "moved_modified": moved_modified,
            "degraded": degraded,
            "findings": len(result.findings),
        }
    elif tool == "redlines":
        from redlines import Redlines

        red = Redlines(old, new, markdown_style="none")
        out = red.output_markdown
        changed = sum(len(m) for m in re.findall(r"<(?:ins|del)>(.*?)</(?:ins|del)>", out, re.S))
    elif tool == "dmp-words":
        from diff_match_patch import diff_match_patch

        codes: dict[str, str] = {}

        def encode(tokens: list[str]) -> str:
            out = []
            for token in tokens:
                code = codes.get(token)
                if code is None:
                    point = 0x100 + len(codes)
                    point += 0x800 if point >= 0xD800 else 0
                    code = codes[token] = chr(point)
                out.append(code)
            return "".join(out)

        t1, t2 = _words(old), _words(new)
        dmp = diff_match_patch()
        dmp.Diff_Timeout = 0
        diffs = dmp.diff_main(encode(t1), encode(t2), False)
        dmp.diff_cleanupSemantic(diffs)
        decode = {c: t for t, c in codes.items()}
        changed = sum(len("".join(decode[c] for c in text)) for op, text in diffs if op != 0)
    elif tool == "difflib":
        import difflib

        t1, t2 = _words(old), _words(new)
        matcher = difflib.SequenceMatcher(None, t1, t2)
        changed = 0
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                changed += sum(map(len, t1[i1:i2])) + sum(map(len, t2[j1:j2]))
    elif tool == "git":
        proc = subprocess.run(
            ["git", "diff", "--no-index", "--word-diff=porcelain", "--no-color", old_path, new_path],
            capture_output=True,
            text=True,
            check=False,
        )
        changed = 0
        for line in proc.stdout.splitlines():
            if line.startswith(("+++", "---")):
                continue
            if line[:1] in "+-":
                changed += len(line) - 1
    else:
        raise SystemExit(f"unknown tool {tool}")
    seconds = time.perf_counter() - start
    rss = _bench_compare()._peak_mb()
    if tool == "git":
        rss = max(rss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return {"seconds": seconds, "rss_mb": rss, "changed": changed, **extra}


# --------------------------------------------------------------------------- parent side


def _bench_compare() -> Any:
    """bench/compare.py, whose ``measure`` (parent side) and ``_peak_mb`` (child side) this script shares."""
    spec = importlib.util.spec_from_file_location("bench_compare", Path(__file__).with_name("compare.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(tool: str, old_path: Path, new_path: Path, cap: float) -> dict[str, Any] | str:
    """This script's child for ``tool``, run and read by bench/compare.py's ``measure``."""
    result: dict[str, Any] | str = _bench_compare().measure(tool, old_path, new_path, cap, script=__file__)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k,1m,5m")
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--cap", type=float, default=120.0, help="seconds before a tool is cut off")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=3, metavar=("TOOL", "OLD", "NEW"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_tool(*args.child)))
        return 0
    if not CORPUS.is_dir():
        print(f"skipped: corpus not available ({CORPUS} is absent)")
        return 0
    sentences = corpus_sentences()
    tools = [t for t in args.tools.split(",") if t]
    print(f"{len(sentences)} distinct corpus sentences; cap {args.cap:.0f} s per run; seed {args.seed}\n")
    header = (
        f"{'size':>6} {'tool':<18} {'time s':>8} {'peak MB':>8} {'changed':>10} {'floor':>8} {'x floor':>8}"
    )
    header += "  moves"
    print(header)
    print("-" * len(header))
    previous: dict[str, tuple[int, float]] = {}
    times: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="policydiff-bench-") as tmp:
        for label in args.sizes.split(","):
            size = SIZES[label]
            pair = Pair(sentences, size, args.seed)
            old_path = Path(tmp) / f"old-{label}.md"
            new_path = Path(tmp) / f"new-{label}.md"
            old_path.write_text(pair.old_text, encoding="utf-8")
            new_path.write_text(pair.new_text, encoding="utf-8")
            actual = len(pair.old_text.encode("utf-8"))
            for tool in tools:
                if tool in QUADRATIC and tool in previous:
                    prev_size, prev_time = previous[tool]
                    projected = prev_time * (actual / prev_size) ** 2
                    if projected > args.cap:
                        print(
                            f"{label:>6} {tool:<18} skipped (projected {projected:.0f} s > {args.cap:.0f} s)"
                        )
                        continue
                result = measure(tool, old_path, new_path, args.cap)
                if isinstance(result, str):
                    print(f"{label:>6} {tool:<18} {result}")
                    continue
                previous[tool] = (actual, result["seconds"])
                times.setdefault(tool, {})[label] = result["seconds"]
                ratio = result["changed"] / max(1, pair.floor)
                moves = ""
                if "moved" in result:
                    found = sum(
                        1 for t in pair.moves if t in result["moved"] or t in result["moved_modified"]
                    )
                    found_edit = sum(1 for t in pair.moved_edits if t in result["moved_modified"])
                    moves = (
                        f"moved {found}/{len(pair.moves)}, moved+edited {found_edit}/{len(pair.moved_edits)}"
                        f"; degraded {result['degraded']}; {result['kinds']}"
                    )
                print(
                    f"{label:>6} {tool:<18} {result['seconds']:8.2f} {result['rss_mb']:8.0f} "
                    f"{result['changed']:10d} {pair.floor:8d} {ratio:8.2f}  {moves}"
                )
            print(f"{'':>6} ({actual / 1e6:.2f} MB old, {len(pair.new_text.encode()) / 1e6:.2f} MB new)")
    _summary(times)
    return 0


def _summary(times: dict[str, dict[str, float]]) -> None:
    ours = times.get("policydiff", {})
    checks: list[tuple[str, Callable[[], str]]] = []
    if "redlines" in times:
        for label, target in (("100k", 5), ("1m", 100)):
            if label in ours and label in times["redlines"]:
                speedup = times["redlines"][label] / ours[label]
                checks.append(
                    (f"speed-up vs redlines at {label} (target >= {target}x)", lambda s=speedup: f"{s:.1f}x")
                )
    if "5m" in ours:
        checks.append(("policydiff at 5 MB (target <= 5 s)", lambda: f"{ours['5m']:.2f} s"))
    for a, b in (("100k", "1m"), ("1m", "5m")):
        if a in ours and b in ours:
            factor = ours[b] / ours[a]
            scale = SIZES[b] / SIZES[a]
            per10 = factor ** (1 / (__import__("math").log10(scale)))
            checks.append((f"growth {a} -> {b} per 10x input (target <= 12x)", lambda p=per10: f"{p:.1f}x"))
    if checks:
        print()
        for name, value in checks:
            print(f"{name}: {value()}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
