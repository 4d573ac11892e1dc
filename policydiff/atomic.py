"""The one atomic writer: every file policydiff writes goes through ``atomic_write``.

Files get the mode a plain ``open()`` would give them (``0o666`` less the umask: ``0644`` with the
usual umask), not the ``0600`` of the temp file, so a web server can publish a report folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

TMP_PREFIX = ".tmp-"
_UMASK_LOCK = threading.Lock()


@cache
def file_mode() -> int:
    """``0o666`` less the process umask (read once; from /proc where possible, which is thread-safe)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii", errors="replace")
        match = re.search(r"^Umask:\s*([0-7]+)", status, re.MULTILINE)
    except OSError:
        match = None
    if match:
        umask = int(match.group(1), 8)
    else:  # pragma: no cover - no /proc: set and restore (under a lock: the umask is per process)
        with _UMASK_LOCK:
            umask = os.umask(0o022)
            os.umask(umask)
    return 0o666 & ~umask


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that readers (and crashes) see the old file or the new one.

    ``durable`` also fsyncs the file before the rename and the folder after it, so the new state
    survives a power cut too; derived files that are rebuilt every run (reports) may skip that.
    """
    atomic_stream(path, (data,), durable=durable)


def atomic_stream(path: Path, chunks: Iterable[bytes], *, durable: bool = True) -> None:
    """``atomic_write`` of ``chunks`` written one after the other, so the whole content need never
    be in memory at once. If producing a chunk raises, ``path`` is left as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), file_mode())
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        _fsync_dir(path.parent)


def write_json(path: Path, data: Any) -> None:
    atomic_write(path, (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode())


def atomic_text(path: Path, text: str, *, durable: bool = True) -> None:
    """``atomic_write`` of UTF-8 text."""
    atomic_write(path, text.encode("utf-8"), durable=durable)
