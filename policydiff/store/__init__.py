"""The snapshot store: every fetched version kept as evidence, on disk, safe against crashes.

Layout (one folder per service/document, everything content-addressed by SHA-256)::

    STORE/
      .lock                                   fcntl lock: one writing run at a time
      <service>/<document>/
        objects/<sha256>                      raw bytes as fetched
        normalized/<sha256>.json              the normalized Document (JSON), keyed by its own hash
        versions/<stamp>-<sha12>.json         one stored version: URLs, headers, times, hashes, selectors
        assessments/<version id>.json         what the watch found comparing it with its predecessor
        checks.jsonl                          "seen unchanged" checks, one JSON object a line

Every file is written atomically (``policydiff.atomic``: temp file in the same folder, fsync,
``os.replace``, fsync of the folder). A version file is written last and names the hashes of
everything it refers to, so a crash at any moment leaves either the old state or the new one: at
worst an unreferenced object, never a version pointing at missing or partial data. ``verify`` checks
every hash.

A fetch whose normalized text equals the latest version is recorded as a check, not a version. A new
version whose text equals an older one (not the latest) is recorded as *flapping*: "back to the version
of <date>". A change of URL or selectors starts a new *lineage*; versions are never compared across
lineages without saying so.

Modules: ``records`` (the values), ``codec`` (canonical text, JSON, folder names), ``store`` (the
``Store``: lock, reads, writes), ``verify``, ``references`` (``SERVICE/DOCUMENT@WHEN``). The store
knows nothing of comparing: ``policydiff.history`` and ``policydiff.ota.backfill`` sit above it.
"""

from __future__ import annotations

from policydiff.atomic import atomic_write
from policydiff.store.codec import (
    canonical_text,
    dir_to_name,
    document_from_json,
    document_to_json,
    name_to_dir,
)
from policydiff.store.fetchstate import FetchEvent, FetchState, next_state
from policydiff.store.records import Assessment, Check, Problem, RecordResult, Version
from policydiff.store.references import (
    is_reference,
    lineage_note,
    parse_reference,
    resolve_document,
    resolve_reference,
    resolve_version,
)
from policydiff.store.store import Store
from policydiff.store.verify import verify

__all__ = [
    "Assessment",
    "Check",
    "FetchEvent",
    "FetchState",
    "Problem",
    "RecordResult",
    "Store",
    "Version",
    "atomic_write",
    "canonical_text",
    "dir_to_name",
    "document_from_json",
    "document_to_json",
    "is_reference",
    "lineage_note",
    "name_to_dir",
    "next_state",
    "parse_reference",
    "resolve_document",
    "resolve_reference",
    "resolve_version",
    "verify",
]
