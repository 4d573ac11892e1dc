"""Compare two versions of a policy with policydiff's Python API and print what touches consent.

Usage: python examples/compare_versions.py OLD NEW [report.html]
(OLD and NEW are files: HTML, Markdown or plain text; or two folders holding a bundle of documents.)
"""

from __future__ import annotations

import sys
from pathlib import Path

import policydiff


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__)
        return 2
    old, new = Path(argv[0]), Path(argv[1])
    result = policydiff.compare(old, new, title=new.stem)
    summary = result.summary
    print(f"{summary.material_changes} material changes, {summary.findings} findings")
    for finding in result.findings:
        where = f" [{finding.document}]" if finding.document else ""
        print(f"- {finding.severity:6} {finding.category}{where}: {finding.explanation}")
        if finding.new_text:
            print(f"    now: {finding.new_text}")
    if len(argv) == 3:
        Path(argv[2]).write_text(result.to_html(), encoding="utf-8")
        print(f"redline written to {argv[2]}")
    return 1 if summary.material_changes else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
