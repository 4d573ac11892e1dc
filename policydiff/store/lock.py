"""The store's lock: one writing run at a time (``fcntl.flock`` on ``STORE/.lock``, released on exit)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from pathlib import Path

from policydiff.errors import StoreError, StoreLockedError

__all__ = ["LOCK_NAME", "drop_lock", "take_lock"]

LOCK_NAME = ".lock"


def take_lock(root: Path) -> int:
    """Create the store folder if needed and lock it; the lock's file descriptor.

    An unwritable folder is a ``StoreError`` in plain words; a lock held by another process is a
    ``StoreLockedError`` at once (never a wait), naming that process.
    """
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{root}: cannot create the store folder ({exc.strerror})") from exc
    advice = "fix its permissions or give another --store"
    if not os.access(root, os.W_OK | os.X_OK):
        raise StoreError(f"{root}: the store folder is not writable; {advice}")
    lock_path = root / LOCK_NAME
    try:
        # O_NOFOLLOW: a symlink planted at .lock must not make us truncate the file it points to
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StoreError(f"{lock_path}: the lock file is a symbolic link; remove it") from exc
        raise StoreError(f"{root}: the store folder is not writable ({exc.strerror}); {advice}") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise StoreError(f"{lock_path}: the lock file is not a regular file; remove it")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        holder = ""
        with contextlib.suppress(OSError, ValueError):
            holder = os.pread(fd, 64, 0).decode().strip()
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            who = f" (pid {holder})" if holder else ""
            raise StoreLockedError(
                f"{root}: the store is locked by another policydiff run{who}; "
                "wait for it to finish (the lock is released when that process exits)"
            ) from exc
        raise StoreError(f"{lock_path}: cannot lock the store ({exc.strerror})") from exc
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def drop_lock(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
