"""Corpus mode: every consecutive pair of every document history of a source, compared into tables.

``run_corpus(source, output)`` reads an Open Terms Archive versions repository, a policydiff store or a
folder of dated files (``sources``), cuts the histories into tasks (``run``), compares each pair once
per version through a normalized-document cache (``engine``, ``cache``) on this process, local
processes or a Dask cluster (``execute``), and writes Parquet and JSON Lines partitions
(``tables``, ``partitions``). ``timeline`` and ``stance`` read the tables back into a page and a CSV.

The names below are imported on first use, so ``import policydiff.corpus`` does not load pyarrow.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from policydiff.corpus.partitions import read_table
    from policydiff.corpus.run import RunSummary, run_corpus

__all__ = ["RunSummary", "read_table", "run_corpus"]

_WHERE = {"RunSummary": "run", "run_corpus": "run", "read_table": "partitions"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"policydiff.corpus.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'policydiff.corpus' has no attribute {name!r}")
