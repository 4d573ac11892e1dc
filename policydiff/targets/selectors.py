"""CSS selector checks shared by targets files and declaration import."""

from __future__ import annotations

from typing import Any


def check_selector(selector: str, error: Any) -> None:
    """Reject CSS selectors soupsieve cannot compile, so a typo fails at load time, not nightly."""
    import soupsieve

    try:
        soupsieve.compile(selector)
    except soupsieve.SelectorSyntaxError as exc:
        first = str(exc).splitlines()[0]
        raise error(f"invalid CSS selector {selector!r}: {first}") from None
