"""How a watch run behaves: thresholds for the exit code, where alerts go, links, acknowledgements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import attrs

from policydiff.acks import Acknowledgements
from policydiff.errors import InputError
from policydiff.severity import parse_severity

__all__ = ["FETCH_ERROR_POLICIES", "WatchOptions", "normalize_base_url"]

FetchErrorPolicy = Literal["never", "new", "any"]
FETCH_ERROR_POLICIES: tuple[str, ...] = ("never", "new", "any")
NotifyWhen = Literal["alerts", "always"]
DEFAULT_BUDGET = 300.0


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _fail_on(value: str | None) -> str | None:
    return parse_severity(value, "--fail-on")


def normalize_base_url(url: str | None) -> str | None:
    """The public URL of the report folder, ending in ``/`` (``None`` keeps links relative)."""
    if url is None or not url.strip():
        return None
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        raise InputError(f"--base-url {url!r}: give the report folder's public http:// or https:// URL")
    return url if url.endswith("/") else url + "/"


@attrs.frozen
class WatchOptions:
    """Everything beyond targets, store and report folder that shapes a run.

    ``fail_on``: exit 1 only for a finding at or above this severity (else: any material change).
    ``fail_on_fetch_error``: add 4 to the exit code for ``new`` fetch failures (default), ``any``
    failing document, or ``never``. ``notify``: Apprise URLs; ``webhook``: a URL for the JSON
    payload; both are sent when the run has something to tell (``notify_when="alerts"``) or every
    run (``"always"``). ``base_url``: the report folder's public URL, for absolute links in feeds,
    notifications and the index. ``acks`` silence accepted findings. ``runs_listed``: how many
    recent runs the index lists. ``budget``: seconds classifying and normalizing one fetched
    page may take, and one service's comparison (each in a worker process stopped at the deadline).
    """

    fail_on: str | None = attrs.field(default=None, converter=_fail_on)
    fail_on_fetch_error: FetchErrorPolicy = "new"
    webhook: str | None = None
    notify: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    notify_when: NotifyWhen = "alerts"
    base_url: str | None = attrs.field(default=None, converter=normalize_base_url)
    acks: Acknowledgements = attrs.field(factory=Acknowledgements)
    runs_listed: int = 20
    notify_attempts: int = 3
    # seconds one page's classification (fetch and store stages) and one service's comparison may
    # take, in a worker process stopped at the deadline (a pathological page becomes that
    # document's or service's failure, not a stalled run); 0: no worker
    budget: float = DEFAULT_BUDGET
    retry_delay: float = 2.0  # seconds before the first retry; doubled each time

    def __attrs_post_init__(self) -> None:
        policy = str(self.fail_on_fetch_error).lower()
        if policy not in FETCH_ERROR_POLICIES:
            raise InputError(
                f"--fail-on-fetch-error {self.fail_on_fetch_error!r}: use {', '.join(FETCH_ERROR_POLICIES)}"
            )
        object.__setattr__(self, "fail_on_fetch_error", policy)
        if self.notify_when not in ("alerts", "always"):
            raise InputError(f"notify_when {self.notify_when!r}: use alerts or always")
        if self.runs_listed < 1:
            raise InputError(f"runs_listed must be at least 1, not {self.runs_listed}")
