"""Fetch failures tracked across runs: newly failing, still failing since when, recovered.

``track`` is pure: from this run's outcomes and each document's stored ``FetchState`` it gives the
outcomes marked with their transition and the states to save. Only failing documents (and the run
in which one recovers) write a state: a healthy document has none, so a night of 1,000 good fetches
writes no state file. The run saves them at its commit
point, with the assessments, so a run killed before reporting reports the same transitions again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import attrs

from policydiff.store import FetchEvent, FetchState, next_state
from policydiff.watch.values import DocumentOutcome

__all__ = ["StateUpdate", "track"]


@attrs.frozen
class StateUpdate:
    """A document's new fetch state and the transition to log, to be saved with the run."""

    service: str
    document: str
    state: FetchState
    event: FetchEvent | None


def track(
    outcomes: Sequence[DocumentOutcome], states: Mapping[str, FetchState], at: datetime
) -> tuple[list[DocumentOutcome], list[StateUpdate]]:
    """Each outcome marked new / ongoing / recovered against its previous state; the states to save."""
    marked: list[DocumentOutcome] = []
    updates: list[StateUpdate] = []
    for outcome in outcomes:
        before = states.get(outcome.key, FetchState())
        ok = outcome.status != "failed"
        state, transition, event = next_state(
            before, ok=ok, at=at, reason=outcome.failure_reason, message=outcome.message
        )
        since = before.failing_since if transition in ("ongoing", "recovered") else state.failing_since
        marked.append(attrs.evolve(outcome, fetch_state=transition, failing_since=since))
        if transition is not None:  # a healthy document keeps no state: nothing to write each night
            updates.append(StateUpdate(outcome.service, outcome.document, state, event))
    return marked, updates
