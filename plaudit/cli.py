"""The `plaudit` command line: a thin layer where each command calls one library function."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from pathlib import Path
from typing import Any

from pipeline.accounts.roles import ROLES
from pipeline.dates import EXPECTED, InvalidDate, normalise_instant
from pipeline.errors import ConfigError, PlauditError
from pipeline.judge.scoring import IMPROVEMENT_KINDS
from pipeline.publish.decisions import Approval, Authorization
from pipeline.settings import Settings, load_settings
from pipeline.steps import publish_now
from plaudit.demo import run_demo
from storage.quotes import STATUSES
from plaudit.init_config import example_config
from plaudit.jsonl import dedupe_stream, score_stream
from plaudit.operating import make_backup, restore_backup, run_doctor, scheduling
from plaudit.deploying import register_deployments, serve_schedule
from plaudit.running import run_once
from plaudit.serve import PUBLIC_PORT, serve_public, serve_staff
from plaudit.sources import print_sources, reset_source
from plaudit.staff import (decide, format_report, handle_hold, print_attention, print_feedback, print_queue,
                           print_runs, print_status, release_hold, verify_audit)
from plaudit.users import users_command

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool whose reader closed the pipe


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {"data_dir": args.data_dir} if getattr(args, "data_dir", None) else {}
    return load_settings(args.config, **overrides)


def _date(text: str) -> str:
    """An argparse type: a typed date, checked and normalised to a UTC instant."""
    try:
        return normalise_instant(text)
    except InvalidDate:
        raise argparse.ArgumentTypeError(f"{text!r} is not a valid date; expected {EXPECTED}") from None


def _actor(args: argparse.Namespace) -> str:
    return args.by or os.environ.get("PLAUDIT_ACTOR") or getpass.getuser()


def cmd_init(args: argparse.Namespace) -> int:
    """Write a commented example plaudit.toml."""

    path = Path(args.path)
    if path.exists() and not args.force:
        print(f"{path} exists; use --force to overwrite", file=sys.stderr)
        return EXIT_USAGE
    path.write_text(example_config(), encoding="utf-8")
    print(f"wrote {path}; edit its [[sources]] and run `plaudit run`")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    """Run the nightly flow once, in-process."""
    settings = _settings(args)
    if settings.config_path is None:
        raise ConfigError("no plaudit.toml here and no --config or $PLAUDIT_CONFIG: nothing to run; "
                          "`plaudit init` writes an example to edit")
    if not [s for s in settings.sources if s.policy != "ignore"]:
        raise ConfigError(f"{settings.config_path} configures no [[sources]] to collect: nothing to run")
    report = run_once(settings, use_prefect=not args.no_prefect, trigger="cli", dask_workers=args.dask_workers)
    print(format_report(report))
    return {"ok": EXIT_OK, "partial": EXIT_PARTIAL}.get(report["status"], EXIT_FAILED)


def cmd_score(args: argparse.Namespace) -> int:
    """Score JSON Lines from stdin to stdout."""

    return score_stream(sys.stdin, sys.stdout, sys.stderr)


def cmd_dedupe(args: argparse.Namespace) -> int:
    """Cluster JSON Lines from stdin to stdout."""

    return dedupe_stream(sys.stdin, sys.stdout, sys.stderr)


def cmd_queue(args: argparse.Namespace) -> int:
    """List quotes waiting for a decision (or in another status)."""

    return print_queue(_settings(args), args.status, args.limit, sys.stdout)


def cmd_attention(args: argparse.Namespace) -> int:
    """List what needs a person: held reviews (crisis first), quotes held back, authorizations ending soon."""
    return print_attention(_settings(args), args.all, sys.stdout)


def cmd_feedback(args: argparse.Namespace) -> int:
    """List answers to "what could we do better?" (feedback for staff, never quoted), newest first."""
    return print_feedback(_settings(args), args.kind, args.limit, sys.stdout)


def cmd_handle(args: argparse.Namespace) -> int:
    """Mark a held review handled (read, dealt with, not for the website)."""
    return handle_hold(_settings(args), args.id, _actor(args), args.note)


def cmd_release(args: argparse.Namespace) -> int:
    """Release a held review to the queue (mismatch, non-English or link holds only)."""
    return release_hold(_settings(args), args.id, _actor(args), args.note)


def cmd_approve(args: argparse.Namespace) -> int:
    """Approve a quote and publish it at once."""
    approval = Approval(excerpt=args.excerpt, attribution=args.attribution, authorization_ref=args.authorization,
                        authorization_expires=args.expires, tags=tuple(args.tag or ()), disclosure=args.disclosure,
                        provider=args.provider)
    return decide(_settings(args), "approve", args.id, _actor(args), approval=approval)


def cmd_reject(args: argparse.Namespace) -> int:
    """Reject a quote."""

    return decide(_settings(args), "reject", args.id, _actor(args), note=args.note)


def cmd_unpublish(args: argparse.Namespace) -> int:
    """Take a quote off the website at once."""

    return decide(_settings(args), "unpublish", args.id, _actor(args), note=args.note)


def cmd_authorize(args: argparse.Namespace) -> int:
    """Record a patient's signed authorization for a quote's review."""
    auth = Authorization(reference=args.reference, text_version=args.version, expires=args.expires,
                         scope_attribution=args.scope_attribution, scope_excerpt=args.scope_excerpt)
    return decide(_settings(args), "authorize", args.id, _actor(args), authorization=auth)


def cmd_revoke(args: argparse.Namespace) -> int:
    """Revoke the patient's authorization: the quote leaves the website at once."""

    return decide(_settings(args), "revoke", args.id, _actor(args))


def cmd_clinician_approve(args: argparse.Namespace) -> int:
    """Record a clinician's sign-off on a quote's health-outcome claims."""

    return decide(_settings(args), "clinician_approve", args.id, _actor(args))


def cmd_publish(args: argparse.Namespace) -> int:
    """Rebuild the public store and export now."""

    settings = _settings(args)
    counts = publish_now(settings, trigger="cli")
    print(f"published {counts['published']} testimonials to {settings.public_db} and {settings.export_dir}")
    return EXIT_OK


def cmd_runs(args: argparse.Namespace) -> int:
    """List past runs: when, how long, status, new reviews, what needs attention and what failed."""
    return print_runs(_settings(args), args.limit, sys.stdout)


def cmd_status(args: argparse.Namespace) -> int:
    """Show the last run and each source's health."""

    return print_status(_settings(args), sys.stdout)


def cmd_sources(args: argparse.Namespace) -> int:
    """Show each source's health: last success and error, counts, pages, HTTP statuses, selectors, sweep."""
    if args.reset:
        return reset_source(_settings(args), args.reset, sys.stdout)
    return print_sources(_settings(args), sys.stdout, args.json)


def cmd_audit(args: argparse.Namespace) -> int:
    """Verify the audit log's hash chain."""

    return verify_audit(_settings(args), sys.stdout)


def cmd_serve_public(args: argparse.Namespace) -> int:
    """Serve what the website reads: the JSON API, the widget and the hosted review form."""
    return serve_public(_settings(args), args.host, args.port, args.allow_remote)


def cmd_schedule(args: argparse.Namespace) -> int:
    """Install, show or remove the nightly cron entry or systemd timer (time and zone from settings)."""
    return scheduling(_settings(args), args, sys.stdout)


def cmd_deploy(args: argparse.Namespace) -> int:
    """Register one nightly deployment per location on a Prefect process work pool (needs PREFECT_API_URL)."""
    return register_deployments(_settings(args), args, sys.stdout)


def cmd_serve_schedule(args: argparse.Namespace) -> int:
    """Serve the nightly flow on a cron schedule against a Prefect server (needs PREFECT_API_URL), until stopped."""
    return serve_schedule(_settings(args), args.cron, args.timezone, sys.stdout)


def cmd_backup(args: argparse.Namespace) -> int:
    """Copy every store into a new dated folder under DIR, safely while runs and apps write."""
    return make_backup(_settings(args), args.folder, args.keep, sys.stdout)


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup folder after checking its integrity and migrations; refuses a bad one."""
    return restore_backup(_settings(args), args.backup, sys.stdout)


def cmd_doctor(args: argparse.Namespace) -> int:
    """Check settings, stores, permissions, sources, Prefect, the schedule and disk; each problem with its fix."""
    return run_doctor(_settings(args), not args.offline, sys.stdout)


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the bundled demo end to end."""
    return run_demo(Path(args.data_dir or "demo-data"), use_prefect=not args.no_prefect, serve=args.serve)


def _global_options(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--config", default=default,
                        help="path to plaudit.toml (default: ./plaudit.toml or $PLAUDIT_CONFIG)")
    parser.add_argument("--data-dir", default=default, help="override the data_dir setting")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def cmd_serve_staff(args: argparse.Namespace) -> int:
    """Start the staff web app (127.0.0.1 by default)."""
    return serve_staff(_settings(args), args.host, args.port, args.allow_remote)


def cmd_users(args: argparse.Namespace) -> int:
    """Manage staff accounts of the staff web app."""
    return users_command(_settings(args), args.action, getattr(args, "name", None), _actor(args), sys.stdout,
                         role=getattr(args, "role", ""), password_stdin=getattr(args, "password_stdin", False),
                         reset_totp=getattr(args, "reset_totp", False))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command; --config and --data-dir go before or after the command."""
    parser = argparse.ArgumentParser(prog="plaudit", description="Patient feedback to website testimonials, safely.")
    _global_options(parser, None)
    sub = parser.add_subparsers(dest="command", required=True)
    _add(sub, "init", cmd_init, lambda p: (p.add_argument("--path", default="plaudit.toml"),
                                           p.add_argument("--force", action="store_true")))
    _add(sub, "run", cmd_run, lambda p: (
        p.add_argument("--no-prefect", action="store_true", help="run the stages without Prefect"),
        p.add_argument("--dask-workers", type=_positive, default=0, metavar="N",
                       help="score in id ranges on a local Dask cluster of N processes (large backfills)")))
    _add(sub, "score", cmd_score)
    _add(sub, "dedupe", cmd_dedupe)
    _add(sub, "queue", cmd_queue, lambda p: (p.add_argument("--status", default="suggested", choices=STATUSES),
                                             p.add_argument("--limit", type=_positive, default=50)))
    _add(sub, "attention", cmd_attention, lambda p: p.add_argument(
        "--all", action="store_true", help="include holds already handled or released"))
    _add(sub, "feedback", cmd_feedback, lambda p: (
        p.add_argument("--kind", choices=IMPROVEMENT_KINDS, help="only answers of this kind"),
        p.add_argument("--limit", type=_positive, default=50)))
    _add(sub, "handle", cmd_handle, _hold_args)
    _add(sub, "release", cmd_release, _hold_args)
    _add(sub, "approve", cmd_approve, _approve_args)
    _add(sub, "reject", cmd_reject, _decision_args)
    _add(sub, "unpublish", cmd_unpublish, _decision_args)
    _add(sub, "authorize", cmd_authorize, _authorize_args)
    _add(sub, "revoke", cmd_revoke, _decision_args)
    _add(sub, "clinician-approve", cmd_clinician_approve, _decision_args)
    _add(sub, "publish", cmd_publish)
    _add(sub, "status", cmd_status)
    _add(sub, "sources", cmd_sources, lambda p: (
        p.add_argument("--json", action="store_true", help="print the health as JSON"),
        p.add_argument("--reset", metavar="NAME", help="accept that a listing really shrank (clears its count baseline)")))
    _add(sub, "runs", cmd_runs, lambda p: p.add_argument("--limit", type=_positive, default=20))
    _add(sub, "audit", cmd_audit, lambda p: p.add_argument("action", choices=["verify"]))
    _add(sub, "schedule", cmd_schedule, _schedule_args)
    _add(sub, "deploy", cmd_deploy, _deploy_args)
    _add(sub, "doctor", cmd_doctor, lambda p: p.add_argument("--offline", action="store_true",
                                                             help="do not fetch listing pages"))
    _add(sub, "backup", cmd_backup, lambda p: (
        p.add_argument("folder", type=Path, help="where backups are kept (each in its own dated folder)"),
        p.add_argument("--keep", type=int, default=0, help="keep only the newest N backups in the folder")))
    _add(sub, "restore", cmd_restore, lambda p: p.add_argument("backup", type=Path, help="a backup folder"))
    _add(sub, "demo", cmd_demo, lambda p: (
        p.add_argument("--no-prefect", action="store_true", help="run the stages without Prefect"),
        p.add_argument("--serve", action="store_true",
                       help="keep serving the demo's listing pages afterwards, so its configuration can run again")))
    serve = sub.add_parser("serve", help="start a web app or the scheduled flow",
                           description="Start a web app, or serve the nightly flow on its Prefect schedule.")
    apps = serve.add_subparsers(dest="app", required=True)
    _add(apps, "staff", cmd_serve_staff, _serve_staff_args)
    _add(apps, "public", cmd_serve_public, _serve_public_args)
    _add(apps, "schedule", cmd_serve_schedule, lambda p: (
        p.add_argument("--cron", help="cron expression (default: daily at schedule_time)"),
        p.add_argument("--timezone", help="IANA time zone (default: schedule_timezone)")))
    _users_parser(sub)
    return parser


def _add(sub, name, func, configure=None) -> None:
    parser = sub.add_parser(name, help=func.__doc__, description=func.__doc__)
    _global_options(parser, argparse.SUPPRESS)  # after the command too; SUPPRESS keeps a value given before
    if configure:
        configure(parser)
    parser.set_defaults(func=func)


def _serve_public_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=_positive, default=PUBLIC_PORT, help=f"port (default {PUBLIC_PORT})")
    parser.add_argument("--allow-remote", action="store_true",
                        help="allow an address other machines can reach (then put HTTPS in front)")


def _decision_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", type=int, help="quote id from `plaudit queue`")
    parser.add_argument("--by", help="who decides (default: $PLAUDIT_ACTOR or the login name)")
    parser.add_argument("--note", help="reason, kept with the decision")


def _schedule_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["install", "show", "remove"])
    parser.add_argument("--with", dest="target", choices=["cron", "systemd"], default="cron",
                        help="a crontab entry (default) or a systemd timer")
    parser.add_argument("--cron-file", type=Path, help="write an /etc/cron.d-style file instead of the user's crontab")
    parser.add_argument("--unit-dir", type=Path, help="systemd unit folder (default ~/.config/systemd/user)")


def _deploy_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pool", default="plaudit", help="process work pool (created if missing; default plaudit)")
    parser.add_argument("--practice", help="queue and name prefix (default: from practice_name)")
    parser.add_argument("--per", choices=["location", "practice"], default="location",
                        help="one deployment per location (default) or one for the whole practice")
    parser.add_argument("--unscheduled", action="store_true",
                        help="no daily schedule (default: schedule_time in schedule_timezone)")


def _hold_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", type=int, help="hold id from `plaudit attention`")
    parser.add_argument("--by", help="who decides (default: $PLAUDIT_ACTOR or the login name)")
    parser.add_argument("--note", help="what was done, kept with the decision (no patient details)")


def _approve_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", type=int, help="quote id from `plaudit queue`")
    parser.add_argument("--by", help="who approves (default: $PLAUDIT_ACTOR or the login name)")
    parser.add_argument("--excerpt", help="edited excerpt: only deletions, gaps marked with …")
    parser.add_argument("--attribution", help='attribution, e.g. "Patsy R." (default: the suggestion)')
    parser.add_argument("--authorization", help="reference of the patient's signed authorization")
    parser.add_argument("--expires", type=_date,
                        help="authorization expiry: ISO 8601 date (valid through that day, UTC) or date and time")
    parser.add_argument("--tag", action="append", help="service tag shown with the quote (repeatable)")
    parser.add_argument("--disclosure", help='material connection shown with the quote, e.g. "Staff member"')
    parser.add_argument("--provider", help='the clinician the quote is about, e.g. "Dr. Alvarez" (websites filter on it)')


def _authorize_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", type=int, help="quote id from `plaudit queue`")
    parser.add_argument("--by", help="who records it (default: $PLAUDIT_ACTOR or the login name)")
    parser.add_argument("--reference", required=True, help="where the signed form is kept, e.g. a document id")
    parser.add_argument("--version", help="version of the authorization text the patient signed")
    parser.add_argument("--expires", type=_date,
                        help="expiry: ISO 8601 date (valid through that day, UTC) or date and time")
    parser.add_argument("--scope-attribution", help='the only name form allowed, e.g. "Patsy R."')
    parser.add_argument("--scope-excerpt", help="the only text allowed (excerpts must be deletions of it)")


def _serve_staff_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8700, help="port (default 8700)")
    parser.add_argument("--allow-remote", action="store_true",
                        help="allow a non-loopback --host (put the app behind HTTPS)")


def _users_parser(sub) -> None:
    users = sub.add_parser("users", help=cmd_users.__doc__, description=cmd_users.__doc__)
    actions = users.add_subparsers(dest="action", required=True)
    for name, text in (("add", "create an account"), ("list", "list accounts"), ("disable", "disable an account"),
                       ("reset-password", "set a new password")):
        parser = actions.add_parser(name, help=text, description=text)
        parser.set_defaults(func=cmd_users)
        parser.add_argument("--by", help="who makes the change (default: $PLAUDIT_ACTOR or the login name)")
        if name != "list":
            parser.add_argument("name", help="user name")
        if name in ("add", "reset-password"):
            parser.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
        if name == "add":
            parser.add_argument("--role", required=True, choices=ROLES)
        if name == "reset-password":
            parser.add_argument("--reset-totp", action="store_true", help="also clear the second factor")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `plaudit` console script."""
    args = build_parser().parse_args(argv)
    level = os.environ.get("PLAUDIT_LOG_LEVEL", "WARNING" if args.command in ("score", "dedupe") else "INFO")
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Prefect's API calls, not ours
    try:
        return args.func(args)
    except PlauditError as exc:
        print(f"plaudit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`plaudit status | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
