"""Check: a speed change changes nothing. Every consecutive pair of every series of ../shared/corpus and
../shared/corpus2 (Markdown and raw HTML, the pairs ``bench/compare.py`` builds its inputs from) is
compared by this code and by ``--before DIR`` (a checkout of the code before the change, first on
``PYTHONPATH``), each in its own process; the changes and findings must be identical (fields added
since, like finding ids and locations, left out). Exit status 1 when any pair differs.

    .venv/bin/python bench/identical.py --before /tmp/policydiff-before
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# other scripts in bench/ must not shadow standard modules
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

REPO = Path(__file__).resolve().parents[1]


def _pairs() -> list[tuple[Path, Path]]:
    spec = importlib.util.spec_from_file_location("bench_compare", Path(__file__).with_name("compare.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pairs: list[tuple[Path, Path]] = module.consecutive("md") + module.consecutive("html")
    return pairs


def _fingerprints(out_path: str) -> None:
    """Child side of ``--check``: changes and findings of every consecutive corpus pair, as JSON lines."""
    import policydiff
    from policydiff.model import unstructure

    def plain(value: Any, drop: frozenset[str]) -> dict[str, Any]:
        data: dict[str, Any] = unstructure(value)
        return {k: v for k, v in data.items() if k not in drop}

    with open(out_path, "w", encoding="utf-8") as out:
        for a, b in _pairs():
            result = policydiff.compare(a, b)
            record = {
                "pair": f"{a} -> {b}",
                "changes": [plain(c, _ADDED_CHANGE_FIELDS) for c in result.changes],
                "findings": [plain(f, _ADDED_FINDING_FIELDS) for f in result.findings],
            }
            out.write(json.dumps(record, sort_keys=True) + "\n")


# fields added after the baseline (ids, locations, offsets) are not part of the comparison
_ADDED_FINDING_FIELDS = frozenset({"id", "old_location", "new_location", "old_span", "new_span"})
_ADDED_CHANGE_FIELDS = frozenset({"old_location", "new_location"})


def check(before: str | None) -> int:
    """Run the corpus through this code and ``before`` (or just report counts); 1 if anything differs."""
    runs: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="policydiff-check-") as tmp:
        for side in ["after"] + (["before"] if before else []):
            env = dict(os.environ)
            if side == "before" and before:
                env["PYTHONPATH"] = before + os.pathsep + env.get("PYTHONPATH", "")
            out = Path(tmp) / f"{side}.jsonl"
            subprocess.run(
                [sys.executable, __file__, "--fingerprints", str(out)], check=True, cwd=REPO, env=env
            )
            runs[side] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    after = runs["after"]
    print(
        f"{len(after)} consecutive pairs; {sum(len(r['changes']) for r in after)} changes, "
        f"{sum(len(r['findings']) for r in after)} findings"
    )
    if not before:
        return 0
    differ = [a["pair"] for a, b in zip(after, runs["before"], strict=True) if a != b]
    for pair in differ:
        print(f"DIFFERS: {pair}")
    print("identical changes and findings on every pair" if not differ else f"{len(differ)} pairs differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", help="a checkout of the code to compare against (its PYTHONPATH)")
    parser.add_argument("--fingerprints", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fingerprints:
        _fingerprints(args.fingerprints)
        return 0
    if not _pairs():
        print("skipped: corpus not available (../shared/corpus is absent)")
        return 0
    return check(args.before)


if __name__ == "__main__":
    raise SystemExit(main())
