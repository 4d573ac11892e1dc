"""``compare(old, new)``: the whole pipeline, normalize -> align + diff -> semantics, in one call.

Each side is anything ``normalize`` accepts (``str`` text, ``bytes``, a ``pathlib.Path`` to a file, a
``Snapshot``, a ``Document``), or a bundle: a mapping of document names to such inputs, or a
``pathlib.Path`` to a directory of document files (matched across sides by file name without suffix).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from policydiff.collector import collector_paused
from policydiff.diff import diff_documents, document_added_or_removed
from policydiff.diff.locate import locate_findings
from policydiff.errors import InputError
from policydiff.fingerprint import with_ids
from policydiff.inputs import check_bundle_keys, check_options, shown_path
from policydiff.model import Comparison, Document, DocumentDiff, Finding, SideInfo, sha256_hex
from policydiff.normalize import Source, normalize
from policydiff.normalize.reuse import between_sides
from policydiff.semantics import find_findings

Side = Source | Document | Mapping[str, Source | Document]

OPTIONS = frozenset(
    {"title", "format", "name", "findings", "word_timeout", "similarity", "disable_rules", "budget"}
)
DOCUMENT_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".txt", ".text")

__all__ = ["compare", "load_bundle"]


def compare(old: Side, new: Side, **options: Any) -> Comparison:
    """Compare two versions of a document, or of a bundle of documents, and return a ``Comparison``.

    Options: ``title`` (service name for report headers), ``format`` (force "html", "markdown", "pdf" or
    "text" for both sides), ``name`` (the document's name in output), ``findings`` (False to skip
    the semantic stage), ``word_timeout`` (seconds the word diff of one clause may take; 0 for no
    limit), ``similarity`` (0..1, how alike two clauses must be to count as one edited clause),
    ``budget`` (seconds the whole call may take: it then runs in a worker process that is stopped
    at the deadline, raising ``BudgetError``; 0 or None, the default, for no limit),
    ``disable_rules`` (semantic rule ids to leave out; ``policydiff rules`` lists them).
    Anything else is an ``InputError``.
    """
    with collector_paused():  # once around the whole comparison (see policydiff.collector)
        return _compare(old, new, options)


def _compare(old: Side, new: Side, options: dict[str, Any]) -> Comparison:
    unknown = sorted(str(option) for option in set(options) - OPTIONS)
    if unknown:
        raise InputError(
            f"unknown option(s) {', '.join(unknown)}; compare() takes {', '.join(sorted(OPTIONS))}"
        )
    check_options(options)
    budget = options.pop("budget", None)
    if budget:
        return _within_budget(float(budget), old, new, options)
    fmt = options.get("format")
    if fmt is not None and fmt not in ("html", "markdown", "text", "pdf"):
        raise InputError(f"format must be 'html', 'markdown', 'text' or 'pdf', not {fmt!r}")
    _check_option_values(options)
    name = str(options.get("name") or "")
    _refuse_path_strings(old, new)
    diff_options = {k: v for k, v in options.items() if k in {"word_timeout", "similarity"}}

    old_bundle = _as_bundle(old)
    new_bundle = _as_bundle(new)
    if old_bundle is not None:
        check_bundle_keys(old_bundle, "old")
    if new_bundle is not None:
        check_bundle_keys(new_bundle, "new")
    if (old_bundle is None) != (new_bundle is None):
        raise InputError(
            "cannot compare a single document with a bundle: give two files or two directories/mappings"
        )

    diffs: list[DocumentDiff] = []
    if old_bundle is None or new_bundle is None:
        with between_sides() as sides:  # the new side reuses what the old side worked out
            old_doc = _load(old, fmt)  # type: ignore[arg-type]
            sides.next_side()
            new_doc = _load(new, fmt)  # type: ignore[arg-type]
        diffs.append(diff_documents(old_doc, new_doc, name=name, **diff_options))
        old_info = SideInfo(old_doc.source, old_doc.format, old_doc.sha256, old_doc.fetched_at)
        new_info = SideInfo(new_doc.source, new_doc.format, new_doc.sha256, new_doc.fetched_at)
        bundle = False
    else:
        with between_sides() as sides:
            old_docs = {key: _load(value, fmt) for key, value in old_bundle.items()}
            sides.next_side()
            new_docs = {key: _load(value, fmt) for key, value in new_bundle.items()}
        for doc_name in sorted(set(old_docs) | set(new_docs)):
            o, n = old_docs.get(doc_name), new_docs.get(doc_name)
            if o is not None and n is not None:
                diffs.append(diff_documents(o, n, name=doc_name, **diff_options))
            else:
                diffs.append(document_added_or_removed(doc_name, o, n))
        old_info = _bundle_info(old, old_docs)
        new_info = _bundle_info(new, new_docs)
        bundle = True

    disabled = options.get("disable_rules") or ()
    if isinstance(disabled, str):
        disabled = (disabled,)
    findings: tuple[Finding, ...] = ()
    if options.get("findings", True):
        findings = with_ids(locate_findings(find_findings(diffs, disabled), diffs))
    return Comparison(
        documents=tuple(diffs),
        findings=findings,
        old=old_info,
        new=new_info,
        bundle=bundle,
        title=str(options.get("title") or name),
        options={k: v for k, v in options.items() if isinstance(v, (str, int, float, bool))},
    )


def _within_budget(seconds: float, old: Side, new: Side, options: dict[str, Any]) -> Comparison:
    from policydiff.budget import run_within

    if seconds < 0:
        raise InputError(f"budget must be a number of seconds (0 for none), not {seconds:g}")
    plain = [dict(side) if isinstance(side, Mapping) else side for side in (old, new)]
    what = f"comparing {_describe(old)} with {_describe(new)}"
    return run_within(seconds, compare, *plain, what=what, **options)


def _describe(side: Side) -> str:
    if isinstance(side, os.PathLike):
        return shown_path(side)
    if isinstance(side, Mapping):
        return f"a bundle of {len(side)} documents"
    return f"a {type(side).__name__}"


def load_bundle(directory: str | os.PathLike[str]) -> dict[str, Path]:
    """The document files of a bundle directory, keyed by name (file name without its suffix)."""
    root = Path(directory)
    if not root.is_dir():
        raise InputError(f"{shown_path(root)}: not a directory")
    files: dict[str, Path] = {}
    for path in sorted(root.iterdir()):
        if path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES and not path.name.startswith("."):
            key = shown_path(path.stem)
            if key in files:
                raise InputError(
                    f"{shown_path(root)}: two documents named {key!r} "
                    f"({shown_path(files[key].name)}, {shown_path(path.name)})"
                )
            files[key] = path
    if not files:
        raise InputError(
            f"{shown_path(root)}: no documents found "
            f"(expected files ending in {', '.join(DOCUMENT_SUFFIXES)})"
        )
    return files


def _check_option_values(options: Mapping[str, Any]) -> None:
    """Bad option values are the caller's input: an ``InputError`` naming the option, here."""
    for key in ("title", "name"):
        if options.get(key) is not None and not isinstance(options[key], str):
            raise InputError(f"{key} must be a string, not {options[key]!r}")
    if "findings" in options and not isinstance(options["findings"], bool):
        raise InputError(f"findings must be True or False, not {options['findings']!r}")
    bounds = {"word_timeout": (0.0, None), "similarity": (0.01, 1.0)}
    for key, (low, high) in bounds.items():
        if key not in options:
            continue
        value = options[key]
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value == value
        if not ok or value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise InputError(f"{key} must be a number {bound}, not {value!r}")


def _refuse_path_strings(*sides: Side) -> None:
    """A ``str`` is compared as text: one that names an existing file or folder is almost surely a
    path given the wrong way, and comparing the two names would be a silent wrong answer."""
    for side in sides:
        if isinstance(side, str) and 0 < len(side) < 4096 and "\n" not in side:
            try:
                exists = Path(side).exists()
            except (OSError, ValueError):  # not a possible path (NUL byte, too long ...): text
                exists = False
            if exists:
                raise InputError(
                    f"{side!r} names an existing file or folder, but a str is compared as text; "
                    f"pass pathlib.Path({side!r}) to compare what it holds"
                )


def _as_bundle(side: Side) -> Mapping[str, Source | Document] | None:
    if isinstance(side, Mapping):
        return side
    if isinstance(side, os.PathLike) and Path(side).is_dir():
        return dict(load_bundle(side))
    return None


def _load(source: Source | Document, fmt: Any) -> Document:
    if isinstance(source, Document):
        return source
    return normalize(source, format=fmt)


def _bundle_info(side: Side, docs: Mapping[str, Document]) -> SideInfo:
    """A bundle's identity: its location, a hash over its documents' names and hashes, and the
    latest fetch time among them."""
    source = shown_path(side) if isinstance(side, (str, os.PathLike)) else "<bundle>"
    digest = sha256_hex("\n".join(f"{name}:{docs[name].sha256}" for name in sorted(docs)).encode("utf-8"))
    times = [doc.fetched_at for doc in docs.values() if doc.fetched_at is not None]
    return SideInfo(source=source, format="bundle", sha256=digest, fetched_at=max(times, default=None))
