"""Notifications: a short human message through Apprise (``--notify URL``), and the JSON webhook.

Both go out when the run has something to tell (a change, a comparison error, a document newly
failing or recovered), or every run when asked. Each delivery is retried with a growing delay; a
delivery that still fails is reported in ``run.json`` (``notifications``), never raised. The message
and the webhook's JSON payload are documented in ``docs/notifications.md``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from policydiff.render import plural
from policydiff.severity import count_severities, describe_counts
from policydiff.watch.options import WatchOptions
from policydiff.watch.runjson import summary_to_dict
from policydiff.watch.values import ChangeSummary, RunSummary

__all__ = [
    "PAYLOAD_VERSION",
    "Message",
    "build_message",
    "deliver",
    "notify_all",
    "wants_notification",
    "webhook_payload",
]

PAYLOAD_VERSION = 1
TOP_FINDINGS = 3


@attrs.frozen
class Message:
    """What a person reads: a one-line title and a few lines of body, with links."""

    title: str
    body: str
    link: str  # the report's index page


def link_to(path: str, base: str) -> str:
    """A report path (relative to the report folder) as a link: ``base`` + path."""
    return base + path


def _change_lines(change: ChangeSummary, base: str) -> list[str]:
    if change.error:
        return [f"- {change.title}: {change.error}"]
    alerting = change.alerting
    silenced = len(change.findings) - len(alerting)
    counts = describe_counts(count_severities(f.severity for f in alerting))
    extra = f", {silenced} acknowledged" if silenced else ""
    material = plural(change.material_changes, "material change")
    lines = [f"- {change.title}: {material}, {counts}{extra}"]
    lines += [f"  [{f.severity}] {f.explanation}" for f in alerting[:TOP_FINDINGS]]
    if len(alerting) > TOP_FINDINGS:
        lines.append(f"  ... and {len(alerting) - TOP_FINDINGS} more")
    if change.redline:
        lines.append(f"  redline: {link_to(change.redline, base)}")
    return lines


def build_message(summary: RunSummary, base: str) -> Message:
    """The human message for a run; ``base`` is prepended to report paths (a URL or a folder)."""
    changed = [c for c in summary.changes if c.material_changes or c.error]
    new, ongoing, recovered = (summary.fetch_failures(s) for s in ("new", "ongoing", "recovered"))
    parts = []
    if changed:
        parts.append(", ".join(c.title for c in changed) + " changed")
    if new:
        parts.append(f"{len(new)} newly failing")
    if recovered:
        parts.append(f"{len(recovered)} recovered")
    if summary.error:
        parts.append(f"run failed: {summary.error}")
    title = "policydiff: " + ("; ".join(parts) if parts else "nothing changed")
    lines: list[str] = []
    for change in changed:
        lines += _change_lines(change, base)
    for label, group in (("Newly failing", new), ("Still failing", ongoing), ("Recovered", recovered)):
        for o in group:
            since = o.failing_since.strftime("%Y-%m-%d") if o.failing_since else "?"
            detail = {
                "Newly failing": f"{o.failure_reason}: {o.message}",
                "Still failing": f"since {since}: {o.failure_reason}",
                "Recovered": f"had failed since {since}",
            }[label]
            lines.append(f"{label}: {o.title} ({detail})")
    link = link_to("index.html", base)
    lines.append(f"Report: {link}")
    return Message(title, "\n".join(lines), link)


def webhook_payload(summary: RunSummary, message: Message) -> dict[str, Any]:
    """The JSON webhook's body: the message, then the whole run summary (``run.json``)."""
    return {
        "policydiff_notification": PAYLOAD_VERSION,
        "title": message.title,
        "text": message.body,
        "link": message.link,
        "exit_code": summary.exit_code,
        "run": summary_to_dict(summary),
    }


Sleeper = Callable[[float], None]


def _retry(
    send: Callable[[], str | None], attempts: int, delay: float, sleep: Sleeper
) -> tuple[int, str | None]:
    """Call ``send`` (None: delivered, else an error) up to ``attempts`` times; (tries, last error)."""
    error: str | None = "not sent"
    for attempt in range(1, max(1, attempts) + 1):
        error = send()
        if error is None:
            return attempt, None
        if attempt < attempts:
            sleep(delay * 2 ** (attempt - 1))
    return max(1, attempts), error


def send_apprise(url: str, message: Message, options: WatchOptions, sleep: Sleeper) -> dict[str, Any]:
    """One Apprise URL: the message as plain text; the URL is reported with its secrets hidden."""
    import apprise

    sender = apprise.Apprise()
    if not sender.add(url):
        return {
            "kind": "apprise",
            "url": _scheme_only(url),
            "ok": False,
            "attempts": 0,
            "error": "not a URL Apprise understands (see https://github.com/caronc/apprise/wiki)",
        }
    shown = str(sender[0].url(privacy=True))  # type: ignore[no-untyped-call]  # apprise is untyped

    def send() -> str | None:
        ok = sender.notify(title=message.title, body=message.body, body_format=apprise.NotifyFormat.TEXT)
        return None if ok else "delivery failed (Apprise reported an error)"

    tries, error = _retry(send, options.notify_attempts, options.retry_delay, sleep)
    return {"kind": "apprise", "url": shown, "ok": error is None, "attempts": tries, "error": error}


def post_json(
    url: str, payload: Mapping[str, Any], options: WatchOptions, sleep: Sleeper, *, key: str | None = None
) -> dict[str, Any]:
    """POST ``payload`` as JSON; any 2xx is delivered, anything else is retried."""
    import httpx

    status: list[int] = []
    headers = {"User-Agent": "policydiff-watch", **({"Idempotency-Key": key} if key else {})}

    def send() -> str | None:
        try:
            response = httpx.post(url, json=payload, timeout=15.0, headers=headers)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"
        status.append(response.status_code)
        return None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"

    tries, error = _retry(send, options.notify_attempts, options.retry_delay, sleep)
    result: dict[str, Any] = {"kind": "webhook", "url": url, "ok": error is None, "attempts": tries}
    result["status"] = status[-1] if status else None
    result["error"] = error
    return result


def _scheme_only(url: str) -> str:
    return url.split("://", 1)[0] + "://..." if "://" in url else "(invalid)"


def notify_all(
    summary: RunSummary,
    options: WatchOptions,
    base: str,
    sleep: Sleeper = time.sleep,
    *,
    key: str | None = None,
) -> list[dict[str, Any]]:
    """Send every configured notification for ``summary``; one result per destination. ``key`` is
    the delivery's idempotency key (``Idempotency-Key`` header and ``idempotency_key`` field)."""
    if not wants_notification(summary, options):
        return []
    message = build_message(summary, base)
    return deliver(message, webhook_payload(summary, message), options, sleep, key=key)


def wants_notification(summary: RunSummary, options: WatchOptions) -> bool:
    """Whether ``summary`` is to be sent anywhere."""
    if not (options.notify or options.webhook):
        return False
    return options.notify_when == "always" or summary.alerts


def deliver(
    message: Message,
    payload: Mapping[str, Any],
    options: WatchOptions,
    sleep: Sleeper = time.sleep,
    *,
    key: str | None = None,
) -> list[dict[str, Any]]:
    """Send ``message`` to the Apprise URLs and ``payload`` to the webhook (each retried)."""
    results = [send_apprise(url, message, options, sleep) for url in options.notify]
    if options.webhook:
        body = {**payload, "idempotency_key": key} if key else payload
        results.append(post_json(options.webhook, body, options, sleep, key=key))
    return results
