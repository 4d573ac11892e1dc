"""Findings do not depend on Python's hash seed.

Sets of strings iterate in an order that changes with ``PYTHONHASHSEED``; a rule or index that breaks
ties by that order gives different findings from one run to the next (a nightly watch would then
report and retract the same change). Each seed runs in its own interpreter over real version pairs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SERIES = [
    "corpus2/x/terms-of-service",
    "corpus2/linkedin/privacy-policy-2025",
    "corpus/linkedin/privacy-policy",
]

_CHILD = """
import json, sys
from pathlib import Path
import policydiff
out = []
for folder in sys.argv[1:]:
    versions = sorted(Path(folder).glob("*.md"))
    for old, new in zip(versions, versions[1:]):
        found = policydiff.compare(old, new).findings
        out.append(sorted((f.id, f.rule, f.category, f.old_text or "", f.new_text or "") for f in found))
print(json.dumps(out))
"""


def _findings(seed: str, folders: list[str]) -> object:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *folders],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(done.stdout)


@pytest.mark.slow
def test_findings_are_the_same_under_every_hash_seed() -> None:
    folders = [str(SHARED / s) for s in SERIES if (SHARED / s).is_dir()]
    if not folders:
        pytest.skip("../shared/ corpus series not present")
    first = _findings("1", folders)
    assert first and any(first), "the series gave no finding at all"
    for seed in ("8", "12345"):
        assert _findings(seed, folders) == first, f"PYTHONHASHSEED={seed} changes the findings"
