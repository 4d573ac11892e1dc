"""The fetch stage as the watch sees it: a ``Fetcher`` over ``policydiff.fetch``, and validators to send."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from policydiff.errors import StoreError
from policydiff.store import Store
from policydiff.targets import DocumentTarget
from policydiff.watch.values import Attempt

Fetcher = Callable[[Sequence[DocumentTarget], Mapping[str, Any], Callable[[Attempt], None]], list[Attempt]]


def network_fetcher(config: Any = None, *, budget: float | None = None) -> Fetcher:
    """A fetcher over ``policydiff.fetch`` (httpx, politeness, retries, failure detection).

    ``budget`` (seconds; the watch's per-document budget) overrides ``config.budget``: each page
    is classified in a worker process stopped at the deadline, so a pathological page fails alone.
    """

    def fetch(
        targets: Sequence[DocumentTarget],
        validators: Mapping[str, Any],
        on_attempt: Callable[[Attempt], None],
    ) -> list[Attempt]:
        from policydiff import fetch as fetch_module

        cfg = config if config is not None else fetch_module.FetchConfig()
        if budget is not None:
            cfg = attrs.evolve(cfg, budget=budget)

        def convert(result: Any) -> Attempt:
            failure = result.failure
            return Attempt(
                target=result.target,
                snapshot=result.snapshot,
                not_modified=bool(result.not_modified),
                failure_reason=failure.reason if failure is not None else None,
                failure_message=failure.message if failure is not None else None,
                http_status=failure.status if failure is not None else None,
                attempts=int(result.attempts),
                elapsed=float(result.elapsed),
                document=result.document,
                fetcher=str(result.fetcher),
            )

        results = fetch_module.fetch_all_sync(
            list(targets),
            config=cfg,
            validators=dict(validators),
            on_result=lambda r: on_attempt(convert(r)),
        )
        return [convert(r) for r in results]

    return fetch


def validators_for(store: Store, targets: Sequence[DocumentTarget]) -> dict[str, Any]:
    """ETag / Last-Modified of each target's latest version, when it was fetched the same way."""
    try:
        from policydiff.fetch import Validators
    except ImportError:  # pragma: no cover - fetch stage absent
        return {}
    validators: dict[str, Any] = {}
    for target in targets:
        try:
            latest = store.latest(target.service, target.document)
            checks = store.checks(target.service, target.document)
        except StoreError:  # damaged: fetch in full; storing the result then names the file
            continue
        if latest is None or latest.url != target.url:
            continue
        if latest.selectors != target.select or latest.remove_selectors != target.remove:
            continue
        headers = {k.lower(): v for k, v in latest.headers.items()}
        etag, modified = headers.get("etag"), headers.get("last-modified")
        if checks and checks[-1].version == latest.id and (checks[-1].etag or checks[-1].last_modified):
            etag, modified = checks[-1].etag, checks[-1].last_modified  # seen since, same text
        if etag or modified:
            validators[target.key] = Validators(etag, modified)
    return validators
