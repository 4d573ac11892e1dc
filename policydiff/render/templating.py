"""The one jinja2 environment: autoescaped templates from ``policydiff/render/templates``."""

from __future__ import annotations

from functools import cache

import jinja2

__all__ = ["environment", "plural"]


from policydiff.render import plural


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
