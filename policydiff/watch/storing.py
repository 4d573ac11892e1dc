"""The store stage of a run: each fetch attempt normalized and recorded (or seen unchanged), in parallel."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from policydiff.budget import Budget
from policydiff.errors import BudgetError, ParseError, PolicyDiffError
from policydiff.model import Document, Snapshot
from policydiff.store import RecordResult, Store
from policydiff.targets import DocumentTarget
from policydiff.watch.decide import outcome_for
from policydiff.watch.values import Attempt, DocumentOutcome

__all__ = ["store_attempts"]


STORE_THREADS = 8  # documents are stored in parallel: their fsyncs overlap (one document, one thread)


def store_attempts(
    store: Store,
    documents: Sequence[DocumentTarget],
    attempts: Sequence[Attempt],
    say: Callable[[str], None],
    budget: float = 0.0,
) -> tuple[dict[str, RecordResult], list[DocumentOutcome]]:
    """Store each attempt. A snapshot the fetch stage did not normalize (a custom fetcher's) is
    normalized here: with a ``budget``, in a worker process stopped at the deadline."""
    from concurrent.futures import ThreadPoolExecutor

    by_key = {a.target.key: a for a in attempts}
    worker = (
        Budget(budget, preload=("policydiff.normalize.warm",)) if budget else None
    )  # started only if some snapshot needs normalizing

    def one(target: DocumentTarget) -> tuple[RecordResult | None, DocumentOutcome]:
        attempt = by_key.get(target.key) or Attempt(
            target, failure_reason="not-fetched", failure_message="the fetch stage returned nothing"
        )
        result, outcome = _store_one(store, target, attempt, _normalizer(worker, target))
        say(f"{target.key}: {outcome.status}: {outcome.message}")
        return result, outcome

    try:
        with ThreadPoolExecutor(STORE_THREADS) as pool:
            done = list(pool.map(one, documents))
    finally:
        if worker is not None:
            worker.close()
    results = {target.key: result for target, (result, _) in zip(documents, done, strict=True) if result}
    return results, [outcome for _, outcome in done]


def _normalizer(worker: Budget | None, target: DocumentTarget) -> Callable[[Snapshot], Document]:
    from policydiff.normalize import normalize

    if worker is None:
        return normalize
    return lambda snapshot: worker.run(normalize, snapshot, what=f"normalizing {target.key}")


def _store_one(
    store: Store, target: DocumentTarget, attempt: Attempt, normalize: Callable[[Snapshot], Document]
) -> tuple[RecordResult | None, DocumentOutcome]:
    """Store one fetch attempt (or record it as seen unchanged); a failure stays a failure."""
    result: RecordResult | None = None
    try:
        if attempt.not_modified:
            when = attempt.snapshot.fetched_at if attempt.snapshot is not None else None
            result = store.record_seen(target.service, target.document, when)
        elif attempt.snapshot is not None:
            snapshot = attrs.evolve(
                attempt.snapshot,
                service=target.service,
                document=target.document,
                url=attempt.snapshot.url or target.url,
                selectors=attempt.snapshot.selectors or target.select,
                remove_selectors=attempt.snapshot.remove_selectors or target.remove,
            )
            document = (
                attempt.document
                or store.normalized_for(snapshot, target.service, target.document)  # same bytes as stored
                or normalize(snapshot)
            )
            if not any(True for _ in document.clauses()):
                attempt = attrs.evolve(
                    attempt, failure_reason="empty", failure_message="no text left after normalization"
                )
            else:
                result = store.record(snapshot, document, service=target.service, name=target.document)
    except ParseError as exc:
        attempt = attrs.evolve(attempt, failure_reason="unparseable", failure_message=str(exc))
    except BudgetError as exc:
        attempt = attrs.evolve(attempt, failure_reason="budget", failure_message=str(exc))
    except PolicyDiffError as exc:
        attempt = attrs.evolve(attempt, failure_reason="store", failure_message=str(exc))
    if result is not None and result.kind == "unchanged":
        try:
            result = store.unreported(target.service, target.document) or result
        except PolicyDiffError as exc:  # a damaged assessment: this document fails, naming it
            result = None
            attempt = attrs.evolve(attempt, failure_reason="store", failure_message=str(exc))
    return result, outcome_for(target, result, attempt)
