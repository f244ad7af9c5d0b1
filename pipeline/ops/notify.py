"""Notices after a run, with counts only (never review text, never patient details).

- a failed run: to `notify_webhook` and `notify_email`;
- reviews that need a person (crisis first), the same night: to `attention_webhook` (default `notify_webhook`)
  and `notify_email`;
- the daily digest (new reviews, what needs attention, quotes waiting, a link to the staff app): to
  `digest_webhook` and `notify_email`.

Webhook bodies are JSON with a "text" line, which Slack-compatible incoming webhooks show as the message.
Email goes through the SMTP server in `smtp_host` (`smtp_port`, `smtp_security`, `smtp_username`,
`smtp_password`, `smtp_from`). A broken notifier never raises: the run's exit code still tells the truth.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from typing import Any

import requests

from pipeline.settings import Settings

log = logging.getLogger(__name__)


def failure_notice(run: dict[str, Any]) -> dict[str, Any]:
    """The notice body for a failed run: status, run id and per-source statuses."""
    sources = {name: src.get("status") for name, src in run.get("sources", {}).items()}
    failed = sorted(name for name, status in sources.items() if status == "failed")
    text = (f"Plaudit: nightly run {run.get('run_id')} {run.get('status')}"
            + (f"; sources failed: {', '.join(failed)}" if failed else "")
            + (f"; stages failed: {', '.join(sorted(run.get('stage_errors', {})))}" if run.get("stage_errors") else "")
            + ". See `plaudit status`.")
    return {"event": "plaudit.run.failed", "run_id": run.get("run_id"), "status": run.get("status"),
            "sources": sources, "stage_errors": sorted(run.get("stage_errors", {})), "text": text}


def attention_notice(run: dict[str, Any]) -> dict[str, Any] | None:
    """The notice body when a run held new reviews for a person, or None when nothing new needs one."""
    counts = run.get("hold") or {}
    new = {key.removeprefix("new_"): value for key, value in counts.items() if key.startswith("new_") and value}
    if not new:
        return None
    crisis = new.get("crisis", 0)
    text = (f"Plaudit: {crisis} review(s) with crisis language need a person today. " if crisis else "Plaudit: ") + \
        f"{counts.get('needs_attention', 0)} held review(s) need attention; run `plaudit attention` or open the " \
        f"staff app."
    return {"event": "plaudit.attention", "run_id": run.get("run_id"), "new": new, "crisis_new": crisis,
            "crisis_open": counts.get("crisis_open", 0), "needs_attention": counts.get("needs_attention", 0),
            "text": text}


def digest(run: dict[str, Any], waiting: dict[str, int], staff_app_url: str = "") -> dict[str, Any]:
    """The daily digest: what the night brought and what waits for staff, crisis first; counts only."""
    sources = run.get("sources", {}).values()
    new_reviews = sum(src.get("new", 0) for src in sources)
    hold = run.get("hold") or {}
    lines = []
    if hold.get("crisis_open"):
        lines.append(f"{hold['crisis_open']} review(s) with crisis language are waiting for a person: read them first.")
    lines += [f"{new_reviews} new review(s) last night ({_sentiment_line(run.get('score') or {})}).",
              f"{hold.get('needs_attention', 0)} held review(s) need attention.",
              f"{waiting.get('suggested', 0)} suggested quote(s) wait for a decision; "
              f"{waiting.get('held_back', 0)} approved quote(s) are held back from the website.",
              f"Run status: {run.get('status')}."]
    if staff_app_url:
        lines.append(f"Staff app: {staff_app_url}")
    return {"event": "plaudit.digest", "run_id": run.get("run_id"), "new_reviews": new_reviews,
            "crisis_open": hold.get("crisis_open", 0), "needs_attention": hold.get("needs_attention", 0),
            **{f"quotes_{k}": v for k, v in waiting.items()}, "text": "Plaudit daily digest\n" + "\n".join(lines)}


def _sentiment_line(score: dict[str, Any]) -> str:
    return ", ".join(f"{score.get(kind, 0)} {kind}" for kind in ("positive", "neutral", "negative"))


def notify_run(settings: Settings, run: dict[str, Any], waiting: dict[str, int]) -> dict[str, int]:
    """Send every notice a finished run calls for; returns how many were delivered, by kind."""
    sent = {"failure": 0, "attention": 0, "digest": 0}
    if run.get("status") == "failed":
        sent["failure"] = _deliver(settings, settings.notify_webhook, failure_notice(run), "run failed")
    notice = attention_notice(run)
    if notice:
        sent["attention"] = _deliver(settings, settings.attention_webhook or settings.notify_webhook, notice,
                                     "reviews need a person")
    if settings.digest_webhook or settings.notify_email:
        sent["digest"] = _deliver(settings, settings.digest_webhook, digest(run, waiting, settings.staff_app_url),
                                  "daily digest")
    return sent


def send_failure_notice(webhook: str, run: dict[str, Any]) -> bool:
    """POST the failure notice; never raises (a broken notifier must not hide the failure it reports)."""
    return post_json(webhook, failure_notice(run), "failure notice")


def _deliver(settings: Settings, webhook: str, body: dict[str, Any], subject: str) -> int:
    delivered = post_json(webhook, body, body["event"])
    if settings.notify_email:
        delivered += send_email(settings, f"Plaudit: {subject}", body["text"])
    return int(delivered)


def post_json(webhook: str, body: dict[str, Any], what: str) -> bool:
    """POST a JSON body to a webhook; False (logged) when there is none or it fails."""
    if not webhook:
        return False
    try:
        response = requests.post(webhook, json=body, timeout=10)
        response.raise_for_status()
        return True
    except requests.RequestException as exc:
        log.warning("%s to webhook not delivered: %s", what, type(exc).__name__)
        return False


def send_email(settings: Settings, subject: str, text: str) -> bool:
    """Email the text to `notify_email` through the configured SMTP server; False (logged) when it fails."""
    message = EmailMessage()
    message["Subject"], message["From"] = subject, settings.smtp_from or f"plaudit@{settings.smtp_host}"
    message["To"] = ", ".join(settings.notify_email)
    message.set_content(text)
    try:
        with _smtp(settings) as smtp:
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password)
            smtp.send_message(message)
        return True
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("email notice not delivered: %s", type(exc).__name__)
        return False


def _smtp(settings: Settings) -> smtplib.SMTP:
    if settings.smtp_security == "ssl":
        return smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=20,
                                context=ssl.create_default_context())
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20)
    if settings.smtp_security == "starttls":
        smtp.starttls(context=ssl.create_default_context())
    return smtp
