"""Loading normalize's lazily loaded parts ahead of time, for a worker with a deadline.

The first HTML page a process normalizes pays for importing bs4 and lxml and for loading the sentence
splitter's model; on a loaded machine that alone can take longer than a short time budget. A budget
worker (``policydiff.budget``) preloading this module calls :func:`warm_up` before its first deadline
starts, so a page's budget is spent on the page.
"""

from __future__ import annotations

__all__ = ["warm_up"]

_HTML = "<html><body><h1>Privacy</h1><p>We collect your email address. We use it to run it.</p></body></html>"
_MARKDOWN = "# Privacy\n\nWe collect your email address. We use it to run the service.\n"


def warm_up() -> None:
    """Normalize one tiny document of each common format (loads parsers and the sentence model)."""
    from policydiff.normalize import normalize

    normalize(_HTML, format="html")
    normalize(_MARKDOWN, format="markdown")
