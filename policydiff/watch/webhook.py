"""The plain JSON webhook: the run summary POSTed as JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def post_webhook(url: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """POST the run summary as JSON; a failure is reported in the result, never raised."""
    import httpx

    try:
        response = httpx.post(url, json=payload, timeout=15.0, headers={"User-Agent": "policydiff-watch"})
    except httpx.HTTPError as exc:
        return {"url": url, "ok": False, "error": f"{type(exc).__name__}: {exc}"}
    ok = 200 <= response.status_code < 300
    result: dict[str, Any] = {"url": url, "ok": ok, "status": response.status_code}
    if not ok:
        result["error"] = f"HTTP {response.status_code}"
    return result
