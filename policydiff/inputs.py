"""What callers hand to ``normalize`` and ``compare``, checked before any work is done.

Local documents are read only from regular files no larger than ``MAX_FILE_BYTES`` (a FIFO would
block for ever, ``/dev/zero`` never ends); file names that are not valid UTF-8 are shown with
U+FFFD in their place; bundle keys must be non-empty text; numeric options must be finite numbers.
Everything refused here is an ``InputError`` naming the input.
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Mapping
from typing import Any, BinaryIO

from policydiff.errors import InputError

__all__ = [
    "MAX_FILE_BYTES",
    "check_bundle_keys",
    "check_options",
    "open_local_file",
    "read_local_file",
    "shown_path",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_NUMERIC = ("similarity", "word_timeout", "budget")  # their ranges are checked where they are used
_TEXT = ("title", "name", "format")


def shown_path(path: str | os.PathLike[str]) -> str:
    """``path`` as text that can be printed and written anywhere (undecodable bytes become U+FFFD)."""
    return os.fsencode(path).decode("utf-8", "replace")


def read_local_file(path: str | os.PathLike[str], *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ``InputError`` for anything else."""
    with open_local_file(path) as file:
        # sized to the file: a read of ``limit`` bytes sets them all aside first (64 MB for any file)
        size = os.fstat(file.fileno()).st_size
        data = file.read(min(size, limit) + 1)
        if len(data) > size:  # longer than its size said (growing, or a /proc file): read on
            data += file.read(limit + 1 - len(data))
    if len(data) > limit:
        raise InputError(
            f"{shown_path(path)}: larger than {limit // (1024 * 1024)} MB; no policy document is that "
            f"large (is it the right file?)"
        )
    return data


def open_local_file(path: str | os.PathLike[str]) -> BinaryIO:
    """``path`` opened for reading if it is a regular file (never blocking on a FIFO)."""
    shown = shown_path(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (regular files ignore the flag).
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file") from None
    except PermissionError:
        raise InputError(f"{shown}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot open it ({exc.strerror or exc})") from None
    mode = os.fstat(fd).st_mode
    for test, kind in _KINDS:
        if test(mode):
            os.close(fd)
            raise InputError(f"{shown}: this is {kind}, not a file; policydiff reads regular files only")
    return os.fdopen(fd, "rb")


def check_bundle_keys(bundle: Mapping[Any, Any], side: str) -> None:
    """Document names in a bundle mapping are non-empty strings."""
    for key in bundle:
        if not isinstance(key, str) or not key.strip():
            raise InputError(
                f"the {side} bundle has a document named {_short(key)}: "
                f"document names must be non-empty strings"
            )


def check_options(options: Mapping[str, Any]) -> None:
    """Numeric options are finite numbers; text options are strings."""
    for option in _NUMERIC:
        value = options.get(option)
        if value is not None:
            _finite(option, value)
    for option in _TEXT:
        value = options.get(option)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{option} must be a string, not {_short(value)}")
    findings = options.get("findings", True)
    if not isinstance(findings, bool):
        raise InputError(f"findings must be True or False, not {_short(findings)}")


def _finite(option: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{option} must be a number, not {_short(value)}")
    try:
        number = float(value)
    except OverflowError:
        raise InputError(f"{option} must be a number of a sensible size, not {_short(value)}") from None
    if not math.isfinite(number):
        raise InputError(f"{option} must be a finite number, not {number}")
    return number


def _short(value: Any) -> str:
    """A bounded description of ``value`` (``repr`` of a 5,000-digit int raises, of a huge str floods)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"an integer of about {int(value.bit_length() * 0.30103)} digits"
    text = repr(value) if isinstance(value, str | int | float | bool) else type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."
