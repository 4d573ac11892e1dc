"""Fetch state across runs: the pure transition, over any sequence of good and failed fetches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from policydiff.store import FetchState, next_state


@given(st.lists(st.booleans(), max_size=40))
def test_transitions_follow_the_streaks(runs: list[bool]) -> None:
    state = FetchState()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    streak_start: datetime | None = None
    events = []
    for day, ok in enumerate(runs):
        at = start + timedelta(days=day)
        before = state
        state, transition, event = next_state(state, ok=ok, at=at, reason=None if ok else "http_error")
        if event is not None:
            events.append(event.kind)
        if ok:
            assert transition == ("recovered" if before.failing else None)
            if transition == "recovered":
                assert event is not None and event.since == streak_start
            streak_start = None
            assert state.failing_since is None and state.last_success == at and state.failures == 0
        else:
            assert transition == ("ongoing" if before.failing else "new")
            streak_start = streak_start or at
            assert state.failing_since == streak_start and state.last_failure == at
            assert state.failures == (at - streak_start).days + 1
    # events alternate: failing, recovered, failing ...; one "failing" per streak of failures
    assert all(kind == ("failing", "recovered")[i % 2] for i, kind in enumerate(events))
    streaks = sum(1 for i, ok in enumerate(runs) if not ok and (i == 0 or runs[i - 1]))
    assert events.count("failing") == streaks
