"""``verify --repair``: damaged files moved aside to ``STORE/.quarantine/<when>/``, never deleted.

What ``verify`` reports as an error names the files that make it one (``Problem.files``); they are
moved, under the store's lock, to the same relative path inside a quarantine folder stamped with
the time of the repair. A quarantined version record disappears from the document's history, so
the next run fetches the document again and compares it with the version before it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from policydiff.errors import StoreError
from policydiff.store.store import Store
from policydiff.store.verify import QUARANTINE, verify

__all__ = ["repair"]


def repair(store_dir: str | os.PathLike[str]) -> list[tuple[Path, Path]]:
    """Quarantine every file behind an error ``verify`` finds; the (from, to) pairs moved."""
    root = Path(store_dir)
    moved: list[tuple[Path, Path]] = []
    with Store(root).locked():
        problems = verify(root)
        files = sorted({Path(f) for p in problems if p.level == "error" for f in p.files})
        if not files:
            return moved
        when = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        for path in files:
            if not path.exists():
                continue
            target = root / QUARANTINE / when / path.relative_to(root)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
            except OSError as exc:
                raise StoreError(f"{path}: cannot move it to quarantine ({exc.strerror})") from exc
            moved.append((path, target))
    return moved
