"""Normalize: any policy document (HTML, Markdown, plain text) into a ``Document`` tree.

(Interface placeholder: the normalize stage is being written; see issue 3.)
"""

from __future__ import annotations

import os
from typing import Union

from policydiff.model import Document, Format, Snapshot

Source = Union[str, bytes, "os.PathLike[str]", Snapshot]


def normalize(source: Source, *, format: Format | None = None, name: str | None = None) -> Document:
    """Turn ``source`` into a ``Document``. ``str`` is document text; a path is read from disk."""
    raise NotImplementedError
