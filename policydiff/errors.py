"""Errors policydiff raises: one base class, a few subclasses, each also a fitting builtin.

Catch ``PolicyDiffError`` to handle anything policydiff reports on purpose; catch a subclass (or
the builtin it also derives from) to handle one kind of failure::

    PolicyDiffError (Exception)
    ├── ParseError (ValueError)          input cannot be read as a document
    ├── InputError (ValueError)          bad arguments or options given by the caller
    ├── BudgetError (TimeoutError)       a document took longer (or more memory) than its budget
    ├── ConfigError (ValueError)         a bad targets.toml or declaration file (file, line, key named)
    ├── FetchError (OSError)             a document could not be fetched, or what came back is not it
    └── StoreError (OSError)             the snapshot store is locked, corrupt or unwritable
        └── StoreLockedError             another run holds the store's lock

Every message says what went wrong and where, in words a user can act on.
"""

from __future__ import annotations

__all__ = [
    "BudgetError",
    "ConfigError",
    "FetchError",
    "InputError",
    "ParseError",
    "PolicyDiffError",
    "StoreError",
    "StoreLockedError",
]


class PolicyDiffError(Exception):
    """Base class of every error policydiff raises on purpose."""


class ParseError(PolicyDiffError, ValueError):
    """The input could not be read as a document (undecodable, binary, empty, too deep ...)."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class InputError(PolicyDiffError, ValueError):
    """The caller passed arguments or options policydiff cannot use."""


class BudgetError(PolicyDiffError, TimeoutError):
    """Processing one input took longer (or more memory) than its budget and was stopped."""


class ConfigError(PolicyDiffError, ValueError):
    """A configuration file (targets.toml, an Open Terms Archive declaration) is invalid."""

    def __init__(
        self, message: str, *, path: str | None = None, line: int | None = None, key: str | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.key = key
        where = path or ""
        if line is not None:
            where += f":{line}"
        if key:
            where += f" [{key}]"
        super().__init__(f"{where}: {message}" if where else message)


class FetchError(PolicyDiffError, OSError):
    """A document could not be fetched, or the response is not the document (block page, login ...)."""

    def __init__(self, message: str, *, url: str | None = None, reason: str | None = None) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {message}" if url else message)


class StoreError(PolicyDiffError, OSError):
    """The snapshot store cannot be read or written as asked, or is corrupt."""


class StoreLockedError(StoreError):
    """Another policydiff run holds the store's lock."""
