"""Staff commands on a terminal: the queue, decisions, status and audit check."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from pipeline.dates import InvalidDate
from pipeline.errors import NotPublishable, NothingToRevoke, QuoteNotFound
from pipeline.publish import decisions, holds
from pipeline.publish.attention import attention
from pipeline.publish.feedback import improvement_feedback
from pipeline.publish.holds import RELEASABLE
from pipeline.runs import STAGES
from pipeline.settings import Settings
from pipeline.steps import open_store
from storage import audit
from storage import quotes as quote_store
from storage.state import last_run, list_runs, source_states

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
    compound = f"{row['compound']:+.2f}" if row["compound"] is not None else "none"
    return (f"[{row['id']}] {row['source']} · {rating} · sentiment {compound} · flags: {flags} · "
            f"form consent: {consent}{public_state(row)}\n    “{excerpt}” — {attribution}\n")


def public_state(row: dict[str, Any]) -> str:
    """For an approved quote: on the website, or held back with every reason from the last publish."""
    if row["status"] != "approved":
        return ""
    if row.get("live"):
        return " · ON THE WEBSITE"
    reasons = row.get("held_reasons") or []
    if not reasons:
        return " · not yet published (run `plaudit publish`)"
    lines = []
    for r in reasons:
        fix = _fix_text(r.get("fix"), r.get("command"))
        lines.append(f"\n      - {r['reason']}" + (f" (fix: {fix})" if fix else ""))
    return " · HELD BACK from the website:" + "".join(lines)


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
    except NotPublishable as exc:
        print(format_refusal(exc), file=sys.stderr)
        return EXIT_REFUSED
    except (QuoteNotFound, NothingToRevoke, InvalidDate) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        db.close()
    shown = f"; the website now shows {counts['published']} testimonials" if counts else ""
    print(f"quote {quote_id}: {action} recorded by {actor}{shown}")
    return EXIT_OK


HOLD_TITLES = {"crisis": "CRISIS LANGUAGE: read today; never published",
               "mismatch": "STARS AND TEXT DISAGREE: release to the queue or mark handled",
               "non_english": "NOT IN ENGLISH: read it, then release or mark handled",
               "shouting": "MOSTLY IN CAPITALS: read it, then release or mark handled",
               "spam": "SPAM: never published; mark handled",
               "suspicious": "SUSPICIOUS (machine-written or copied under another name): never published",
               "link": "CONTAINS A LINK: release if it is a real review, else mark handled"}
TEXT_SHOWN = 600


def print_attention(settings: Settings, include_decided: bool, out: TextIO) -> int:
    """Print what needs a person: held reviews (crisis first), quotes held back, authorizations ending soon."""
    with open_store(settings) as db:
        found = attention(db, include_decided)
    held, back, expiring = found["held"], found["held_back"], found["expiring"]
    print(f"needs attention: {len(held)} held review(s), {len(back)} approved quote(s) held back from the website, "
          f"{len(expiring)} authorization(s) ending within 30 days", file=out)
    reason = None
    for hold in held:
        if hold["reason"] != reason:
            reason = hold["reason"]
            print(f"\n{HOLD_TITLES.get(reason, reason.upper())}", file=out)
        print(format_hold(hold), file=out)
    if back:
        print("\nAPPROVED BUT HELD BACK FROM THE WEBSITE", file=out)
        for quote in back:
            print(format_quote(quote), file=out)
    if expiring:
        print("\nAUTHORIZATIONS ENDING SOON", file=out)
        for auth in expiring:
            print(f"  quote {auth['quote_id']}: {auth['kind']} {auth['reference']} ends {auth['expires_at']}", file=out)
    return EXIT_OK


def print_feedback(settings: Settings, kind: str | None, limit: int, out: TextIO) -> int:
    """Print the answers to "what could we do better?" (never quoted), newest first, with counts per kind."""
    with open_store(settings) as db:
        found = improvement_feedback(db, kind, limit)
    print("improvement answers: " + ", ".join(f"{n} {k}" for k, n in found["counts"].items()), file=out)
    for row in found["answers"]:
        rating = f"{row['rating']:g}★" if row["rating"] is not None else "no rating"
        score = f"{row['improvement_compound']:+.2f}" if row["improvement_compound"] is not None else "not scored"
        text = row["improvement"]
        text = text[:TEXT_SHOWN] + f"… ({len(text) - TEXT_SHOWN} more characters)" if len(text) > TEXT_SHOWN else text
        print(f"  {row['source']} · {row['published'] or row['first_seen'][:10]} · {rating} · "
              f"{row['improvement_kind'] or 'not scored yet'} {score}\n      “{text}”", file=out)
    return EXIT_OK


def format_hold(hold: dict[str, Any]) -> str:
    """One held review for a terminal: its hold id, source, rating, state and text, and what to do."""
    rating = f"{hold['rating']:g}★" if hold["rating"] is not None else "no rating"
    text = hold["text"] or "(text no longer stored)"
    if len(text) > TEXT_SHOWN:
        text = text[:TEXT_SHOWN] + f"… ({len(text) - TEXT_SHOWN} more characters)"
    state = "" if hold["state"] == "open" else f" · {hold['state']} by {hold['decided_by']}"
    actions = f"plaudit handle {hold['id']} --note ..." + (
        f"  |  plaudit release {hold['id']}" if hold["reason"] in RELEASABLE else "")
    return (f"  [hold {hold['id']}] {hold['source']} · {rating} · {hold['detail'] or hold['reason']} · "
            f"held {hold['held_at'][:10]}{state}\n      “{text}”\n      → {actions}")


def handle_hold(settings: Settings, hold_id: int, actor: str, note: str | None) -> int:
    """Mark a held review handled."""
    with open_store(settings) as db:
        try:
            holds.mark_handled(db, hold_id, actor, note)
        except holds.HoldNotFound as exc:
            print(f"refused: {exc}", file=sys.stderr)
            return EXIT_REFUSED
    print(f"hold {hold_id}: marked handled by {actor}")
    return EXIT_OK


def release_hold(settings: Settings, hold_id: int, actor: str, note: str | None) -> int:
    """Release a held review to the queue, where the rules allow."""
    with open_store(settings) as db:
        try:
            quote_id = holds.release(db, settings, hold_id, actor, note)
        except (holds.HoldNotFound, holds.NotReleasable) as exc:
            print(f"refused: {exc}", file=sys.stderr)
            return EXIT_REFUSED
    print(f"hold {hold_id}: released by {actor}; in the queue as quote {quote_id} (`plaudit queue`)")
    return EXIT_OK


def _fix_text(fix: str | None, command: str | None) -> str:
    """How to fix a gate reason at the command line: the fix, then its command; "" when there is none."""
    if not fix:
        return ""
    return f"{fix}: `{command}`" if command else fix


def format_refusal(exc: NotPublishable) -> str:
    """Every reason the gate gave, one per line, each with how to fix it."""
    lines = [f"refused: quote {exc.quote_id} cannot be published ({len(exc.reasons)} "
             f"reason{'s' if len(exc.reasons) != 1 else ''}):"]
    for reason in exc.reasons:
        lines.append(f"  - {reason}")
        if fix := _fix_text(getattr(reason, "fix", ""), getattr(reason, "command", "")):
            lines.append(f"    fix: {fix}")
    return "\n".join(lines)


def format_report(report: dict) -> str:
    """A short human summary of a run report (counts only)."""
    lines = [f"run {report.get('run_id')}: {report['status']}"]
    for name, src in report.get("sources", {}).items():
        if src["status"] == "failed":
            lines.append(f"  {name}: FAILED ({src.get('error_kind', 'error')}) {src['error']}")
        elif src["pages"] == 0 and not src["fetched"]:
            lines.append(f"  {name}: unchanged since the last run")
        else:
            normal = src.get("skipped_normal", 0)
            lines.append(f"  {name}: {src['fetched']} fetched, {src['new']} new, {src['updated']} updated, "
                         f"{src['skipped']} skipped" + (f" ({normal} of them normal, e.g. empty answers)" if normal else ""))
            lines += [f"    skipped {item}" for item in src.get("skipped_items", [])]
            lines += [f"    note: {item}" for item in src.get("note_items", [])]
        lines += source_health_lines(src)
    for location, result in report.get("locations", {}).items():
        lines.append(f"  location {location}: {result['status']} ({result['sources']} sources, "
                     f"{result['failed']} failed, {result['new']} new reviews)")
    for stage in STAGES:
        if stage in report:
            lines.append(f"  {stage}: " + _counts(report[stage]))
    lines += [f"  {stage}: FAILED {error}" for stage, error in report.get("stage_errors", {}).items()]
    if report.get("error"):
        lines.append(f"  error: {report['error']}")
    return "\n".join(lines)


def _counts(counts: dict) -> str:
    """"scored 12, positive 9, flagged: crisis 1, spam 2" from a stage's (possibly nested) counts."""
    return ", ".join(f"{k}: {_counts(v)}" if isinstance(v, dict) else f"{k} {v}" for k, v in counts.items())


def print_runs(settings: Settings, limit: int, out: TextIO) -> int:
    """Print past runs, newest first: when, how long, status, what they collected and what failed."""
    with open_store(settings) as db:
        runs = list_runs(db, limit)
    if not runs:
        print("no runs yet", file=out)
    for run in runs:
        print(format_run_line(run), file=out)
    return EXIT_OK


def format_run_line(run: dict[str, Any]) -> str:
    """One run as a line: id, start, duration, status, trigger, new reviews, held, and what failed."""
    report = run["report"]
    sources = report.get("sources", {})
    new = sum(src.get("new", 0) for src in sources.values())
    failed = sorted(name for name, src in sources.items() if src.get("status") == "failed")
    duration = f"{run['seconds']:.0f} s" if run.get("seconds") is not None else "unfinished"
    held = (report.get("hold") or {}).get("needs_attention", 0)
    problems = failed + [f"stage {name}" for name in sorted(report.get("stage_errors", {}))]
    return (f"run {run['id']} · {run['started_at']} · {duration} · {run['status']} · {run['trigger']} · "
            f"{new} new, {held} need attention" + (f" · failed: {', '.join(problems)}" if problems else ""))


def source_health_lines(src: dict) -> list[str]:
    """The HTTP statuses a source met and any selector that matched nothing, as report lines."""
    lines = []
    if src.get("statuses"):
        lines.append("    HTTP " + ", ".join(f"{status}×{n}" for status, n in src["statuses"].items()))
    stale = [name for name, health in (src.get("selector_health") or {}).items() if health["verdict"] == "stale"]
    if stale:
        lines.append(f"    selectors matching nothing: {', '.join(stale)}")
    return lines


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
