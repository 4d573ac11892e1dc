"""Store references (``SERVICE/DOCUMENT@WHEN``) resolved to stored versions."""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from policydiff.errors import InputError
from policydiff.model import Document, Snapshot
from policydiff.store.codec import utc
from policydiff.store.records import Version
from policydiff.store.store import Store

_REF = re.compile(r"^(?P<key>[^@]+)@(?P<when>.+)$")
_HASH = re.compile(r"^[0-9a-fA-F]{7,64}$")


def _by_hash(reference: str, versions: list[Version], prefix: str) -> Version:
    """The version whose raw-bytes SHA-256 (as ``history`` prints it) starts with ``prefix``.

    Identical bytes stored twice (a page that flapped back) share a hash: the latest one is meant.
    """
    found = [v for v in versions if v.sha256.startswith(prefix)]
    if not found:
        raise InputError(
            f"{reference}: no stored version's hash starts with {prefix} (see policydiff history)"
        )
    if len({v.sha256 for v in found}) > 1:
        raise InputError(f"{reference}: {prefix} matches several versions; give more of the hash")
    return found[-1]


def parse_reference(reference: str) -> tuple[str, str, str]:
    """Split ``SERVICE/DOCUMENT@WHEN`` into its three parts (``WHEN``: latest, previous, a date, a hash)."""
    match = _REF.match(reference.strip())
    if not match or "/" not in match["key"]:
        raise InputError(
            f"{reference!r} is not a store reference: use SERVICE/DOCUMENT@latest, @previous, "
            "@YYYY-MM-DD, @YYYY-MM-DDTHH:MM:SS or @HASH (a hash prefix `policydiff history` prints)"
        )
    service, _, document = match["key"].rpartition("/")
    return service, document, match["when"]


def is_reference(value: str) -> bool:
    """Whether ``value`` looks like a store reference rather than a file path."""
    return bool(_REF.match(value)) and "/" in value.split("@", 1)[0] and not Path(value).exists()


def resolve_version(store_dir: str | os.PathLike[str], reference: str) -> Version:
    """The stored ``Version`` a reference names (see ``resolve_reference``)."""
    service, document, when = parse_reference(reference)
    store = Store(store_dir)
    versions = store.versions(service, document)
    if not versions:
        known = ", ".join(f"{s}/{d}" for s, d in store.documents()) or "none"
        raise InputError(
            f"{reference}: no stored versions of {service}/{document} in {store_dir} (known: {known})"
        )
    if when == "latest":
        return versions[-1]
    if when == "previous":
        if len(versions) < 2:
            raise InputError(f"{reference}: {service}/{document} has only one stored version")
        return versions[-2]
    if _HASH.match(when) and not (len(when) == 8 and when.isdigit()):  # 20260101 is a date
        return _by_hash(reference, versions, when.lower())
    try:
        moment = datetime.fromisoformat(when)
    except ValueError as exc:
        raise InputError(
            f"{reference}: {when!r} is not latest, previous, a date (YYYY-MM-DD) or a timestamp"
        ) from exc
    if len(when) == 10:  # a date: the latest version on or before the end of that day
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    moment = utc(moment)
    candidates = [v for v in versions if v.fetched_at <= moment]
    if not candidates:
        raise InputError(
            f"{reference}: no version of {service}/{document} at or before {when} "
            f"(the first is from {versions[0].fetched_at.isoformat()})"
        )
    return candidates[-1]


def resolve_reference(store_dir: str | os.PathLike[str], reference: str) -> Snapshot:
    """A ``Snapshot`` from the store for ``SERVICE/DOCUMENT@DATE|@latest|@previous|@HASH``.

    ``DATE`` is ``YYYY-MM-DD`` (the latest version fetched on or before that day, UTC) or a full
    ISO timestamp (the latest version at or before it); ``HASH`` is 7 or more hex digits of the
    version's SHA-256, as ``policydiff history`` prints them.
    """
    store = Store(store_dir)
    return store.load_snapshot(resolve_version(store_dir, reference))


def resolve_document(store_dir: str | os.PathLike[str], reference: str) -> Document:
    """The normalized ``Document`` the store keeps for a reference (verified by its SHA-256): comparing
    stored versions reads what the nightly job compared instead of normalizing the raw bytes again."""
    store = Store(store_dir)
    return store.load_document(resolve_version(store_dir, reference))


def lineage_note(store_dir: str | os.PathLike[str], old_reference: str, new_reference: str) -> str | None:
    """A warning to show when two store references lie in different lineages, else None.

    A lineage ends when a document's URL or selectors change; comparing across one compares two
    different extractions, so a caller that does it must say so.
    """
    old = resolve_version(store_dir, old_reference)
    new = resolve_version(store_dir, new_reference)
    if old.key != new.key or old.lineage == new.lineage:
        return None
    changed = []
    if old.url != new.url:
        changed.append(f"URL {old.url} -> {new.url}")
    if old.selectors != new.selectors or old.remove_selectors != new.remove_selectors:
        changed.append("selectors")
    return (
        f"{old.key}: {old.date} and {new.date} are in different lineages ({', '.join(changed)} changed); "
        "differences may come from how the page is read, not from the policy"
    )
