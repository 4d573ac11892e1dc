"""The output folder on disk: each finished task is one partition of each table, in Parquet and JSON Lines.

Layout::

    OUTPUT/
      corpus.json                     what was run: source, schemas, policydiff version
      pairs/part-<task>.parquet       + part-<task>.jsonl
      findings/part-<task>.parquet    + .jsonl
      changes/part-<task>.parquet     + .jsonl
      cache/                          the normalized-document cache

A partition is written changes, findings, then pairs; the pairs Parquet file is written last and is
what marks the task done. Every file is written atomically and durably (``policydiff.atomic``), and
on opening the folder any partition without its pairs Parquet file (left by a killed run) is removed,
so a resumed run redoes exactly the unfinished tasks and no row is ever written twice.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from policydiff.atomic import TMP_PREFIX, atomic_write, write_json
from policydiff.corpus.tables import SCHEMAS
from policydiff.errors import InputError

__all__ = ["check_output", "done_pairs", "locked", "prepare", "read_table", "write_partition"]

TABLES = ("changes", "findings", "pairs")  # the order they are written in: pairs last
SORT_KEYS: Mapping[str, list[tuple[str, str]]] = {
    "pairs": [("service", "ascending"), ("document", "ascending"), ("index", "ascending")],
    "findings": [("service", "ascending"), ("document", "ascending"), ("new_date", "ascending"),
                 ("pair_id", "ascending"), ("ordinal", "ascending")],
    "changes": [("service", "ascending"), ("document", "ascending"), ("new_date", "ascending"),
                ("pair_id", "ascending"), ("ordinal", "ascending")],
}  # fmt: skip


@contextlib.contextmanager
def locked(output: Path) -> Iterator[None]:
    """Hold ``OUTPUT/.lock`` for a run: a second run on the same folder is refused, not interleaved
    (it would take the first one's unfinished partitions for a killed run's and remove them)."""
    output.mkdir(parents=True, exist_ok=True)
    fd = os.open(output / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise InputError(
                f"{output}: another corpus run is writing this folder; wait for it to end"
            ) from exc
        yield
    finally:
        os.close(fd)


def check_output(output: Path) -> None:
    """``InputError`` unless ``output`` is missing, empty, or a corpus output folder."""
    if output.exists() and not output.is_dir():
        raise InputError(f"{output}: exists and is not a folder")
    if output.is_dir() and any(p.name != ".lock" for p in output.iterdir()):
        if not (output / "corpus.json").is_file():
            raise InputError(
                f"{output}: not empty and not a corpus output folder (no corpus.json): refusing to write"
            )


def prepare(output: Path, manifest: Mapping[str, Any]) -> None:
    """Create the folder's tables, write the manifest, remove unfinished partitions (under ``locked``)."""
    check_output(output)
    for table in TABLES:
        (output / table).mkdir(parents=True, exist_ok=True)
    finished = {p.name.removesuffix(".parquet") for p in (output / "pairs").glob("part-*.parquet")}
    for table in TABLES:
        for path in (output / table).iterdir():
            stem = path.name.split(".", 1)[0]
            if path.name.startswith(TMP_PREFIX) or stem not in finished:
                path.unlink()
    write_json(output / "corpus.json", manifest)


def write_partition(output: Path, name: str, tables: Mapping[str, list[dict[str, Any]]]) -> None:
    """Write one task's rows as ``part-<name>`` of every table (pairs last)."""
    for table in TABLES:
        rows = tables.get(table, [])
        sink = pa.BufferOutputStream()
        pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), sink)
        atomic_write(output / table / f"part-{name}.jsonl", b"".join(_json_line(row) for row in rows))
        atomic_write(output / table / f"part-{name}.parquet", sink.getvalue().to_pybytes())


def done_pairs(output: Path) -> frozenset[str]:
    """The pair ids already in the pairs table (the work a resumed run skips)."""
    folder = output / "pairs"
    files = sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []
    done: set[str] = set()
    for path in files:
        done.update(pq.read_table(path, columns=["pair_id"]).column("pair_id").to_pylist())
    return frozenset(done)


def read_table(output: str | os.PathLike[str], table: str) -> pa.Table:
    """One whole table of an output folder, rows in a stable order (the order does not depend on how
    many workers wrote it, or in how many runs)."""
    if table not in SCHEMAS:
        raise InputError(f"no table {table!r}: the tables are {', '.join(SCHEMAS)}")
    folder = Path(output) / table
    if not (Path(output) / "corpus.json").is_file():
        raise InputError(
            f"{output}: not a corpus output folder (no corpus.json); run `policydiff corpus` first"
        )
    parts = [pq.read_table(path, schema=SCHEMAS[table]) for path in sorted(folder.glob("part-*.parquet"))]
    whole = pa.concat_tables(parts) if parts else SCHEMAS[table].empty_table()
    return whole.sort_by(SORT_KEYS[table])


def _json_line(row: Mapping[str, Any]) -> bytes:
    data = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
    by_category = data.get("findings_by_category")
    if isinstance(by_category, list):
        data["findings_by_category"] = dict(by_category)
    return (json.dumps(data, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
