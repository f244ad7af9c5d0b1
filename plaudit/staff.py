"""Staff commands on a terminal: the queue, decisions, status and audit check."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from pipeline.errors import NotPublishable, QuoteNotFound
from pipeline.publish import decisions
from pipeline.runs import STAGES
from pipeline.settings import Settings
from pipeline.steps import open_store
from storage import audit
from storage import quotes as quote_store
from storage.state import last_run, source_states

EXIT_OK, EXIT_REFUSED = 0, 2


def print_queue(settings: Settings, status: str, limit: int, out: TextIO) -> int:
    """Print quotes in a status (default: suggested), oldest first."""
    with open_store(settings) as db:
        rows = quote_store.quotes_with_reviews(db, (status,), limit)
    if not rows:
        print(f"no {status} quotes", file=out)
    for row in rows:
        print(format_quote(row), file=out)
    return EXIT_OK


def format_quote(row: dict[str, Any]) -> str:
    """A quote as a few lines for a terminal."""
    flags = ", ".join(sorted({f["name"] for f in row["flags"]})) or "none"
    consent = {1: "given", 0: "not given"}.get(row["consent_given"], "none on record")
    rating = f"{row['rating']:g}★" if row["rating"] is not None else "no rating"
    excerpt = row["excerpt"] or row["suggested_excerpt"]
    attribution = row["attribution"] or row["suggested_attribution"]
    return (f"[{row['id']}] {row['source']} · {rating} · sentiment {row['compound']:+.2f} · flags: {flags} · "
            f"form consent: {consent}\n    “{excerpt}” — {attribution}\n")


def _apply(db, settings: Settings, action: str, quote_id: int, actor: str, **extra) -> dict | None:
    if action == "approve":
        return decisions.approve(db, settings, quote_id, actor, extra.get("approval") or decisions.Approval())
    if action == "reject":
        return decisions.reject(db, settings, quote_id, actor, extra.get("note"))
    if action == "unpublish":
        return decisions.unpublish(db, settings, quote_id, actor, extra.get("note"))
    if action == "authorize":
        return decisions.authorize(db, settings, quote_id, actor, extra["authorization"])
    if action == "revoke":
        return decisions.revoke(db, settings, quote_id, actor)
    return decisions.clinician_approve(db, settings, quote_id, actor)


def decide(settings: Settings, action: str, quote_id: int, actor: str, **extra) -> int:
    """Apply a staff decision and report what the website now shows."""
    db = open_store(settings)
    try:
        counts = _apply(db, settings, action, quote_id, actor, **extra)
    except (NotPublishable, QuoteNotFound) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        db.close()
    shown = f"; the website now shows {counts['published']} testimonials" if counts else ""
    print(f"quote {quote_id}: {action} recorded by {actor}{shown}")
    return EXIT_OK


def format_report(report: dict) -> str:
    """A short human summary of a run report (counts only)."""
    lines = [f"run {report.get('run_id')}: {report['status']}"]
    for name, src in report.get("sources", {}).items():
        if src["status"] == "failed":
            lines.append(f"  {name}: FAILED {src['error']}")
        elif src["pages"] == 0 and not src["fetched"]:
            lines.append(f"  {name}: unchanged since the last run")
        else:
            lines.append(f"  {name}: {src['fetched']} fetched, {src['new']} new, {src['updated']} updated, "
                         f"{src['skipped']} skipped")
            lines += [f"    skipped {item}" for item in src.get("skipped_items", [])]
    for stage in STAGES:
        if stage in report:
            lines.append(f"  {stage}: " + ", ".join(f"{k} {v}" for k, v in report[stage].items()))
    lines += [f"  {stage}: FAILED {error}" for stage, error in report.get("stage_errors", {}).items()]
    if report.get("error"):
        lines.append(f"  error: {report['error']}")
    return "\n".join(lines)


def print_status(settings: Settings, out: TextIO) -> int:
    """Print the last run's report and each source's health."""
    with open_store(settings) as db:
        run, states = last_run(db), source_states(db)
    print(format_report(run["report"] | {"status": run["status"], "run_id": run["id"]}) if run else "no runs yet",
          file=out)
    for name, state in sorted(states.items()):
        health = "ok" if not state["last_error"] else f"failing x{state['consecutive_failures']}: {state['last_error']}"
        print(f"source {name}: last success {state['last_success'] or 'never'}; {health}", file=out)
    return EXIT_OK


def verify_audit(settings: Settings, out: TextIO) -> int:
    """Check the audit log's hash chain; non-zero exit when it was tampered with."""
    with open_store(settings) as db:
        problems = audit.verify_chain(db) + audit.anchor_problems(decisions.audit_anchor(settings), db)
        count = db["audit_log"].count
    for problem in problems:
        print(f"audit log: {problem}", file=out)
    print(f"audit log: {count} entries, " + ("chain intact" if not problems else "CHAIN BROKEN"), file=out)
    return EXIT_OK if not problems else 1
