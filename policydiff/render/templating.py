"""The one jinja2 environment: autoescaped templates from ``policydiff/render/templates``."""

from __future__ import annotations

from functools import cache

import jinja2

__all__ = ["environment", "plural"]


def plural(n: int, word: str) -> str:
    """``1 finding``, ``2 findings``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@cache
def environment() -> jinja2.Environment:
    """The shared environment (autoescaping on, undefined names are errors)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("policydiff.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["plural"] = plural
    return env
