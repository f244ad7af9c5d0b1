"""Operating commands on a terminal: the schedule, backups and restores, and the doctor."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import TextIO

from pipeline.ops import backup as backups
from pipeline.ops import doctor
from pipeline.ops import schedule
from pipeline.settings import Settings
from plaudit.running import run_lock

EXIT_OK, EXIT_NOTHING = 0, 1


def plaudit_command() -> list[str]:
    """The `plaudit` command of this installation, absolute (what the schedule should call)."""
    beside = shutil.which("plaudit", path=str(Path(sys.executable).parent))
    return [beside] if beside else [sys.executable, "-m", "plaudit"]


def scheduling(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    """`plaudit schedule install|show|remove`."""
    job = schedule.nightly_job(settings, plaudit_command())
    unit_dir = args.unit_dir or schedule.DEFAULT_UNIT_DIR
    if args.action == "show":
        return _show(job, args, unit_dir, out)
    if args.action == "remove":
        removed = schedule.remove_cron(job, args.cron_file) if args.target == "cron" else \
            bool(schedule.remove_systemd(job, unit_dir))
        print(f"removed the nightly {args.target} schedule" if removed else f"no {args.target} schedule to remove",
              file=out)
        return EXIT_OK if removed else EXIT_NOTHING
    if args.target == "cron":
        entry = schedule.install_cron(job, args.cron_file)
        print(f"installed in {args.cron_file or 'your crontab'}:\n{entry}", file=out)
    else:
        paths = schedule.install_systemd(job, unit_dir)
        print("wrote " + ", ".join(map(str, paths)) + f"\nenable it: systemctl --user daemon-reload && "
              f"systemctl --user enable --now {job.unit_name}.timer", file=out)
    print(f"runs every day at {settings.schedule_time} {settings.schedule_timezone}; output in {job.log}; "
          "overlapping runs are refused by the run lock", file=out)
    return EXIT_OK


def _show(job: schedule.Job, args: argparse.Namespace, unit_dir, out: TextIO) -> int:
    found = schedule.installed(job, args.cron_file, unit_dir)
    if not found:
        print("no nightly schedule installed for this configuration (`plaudit schedule install`)", file=out)
        return EXIT_NOTHING
    for target, text in found.items():
        print(f"{target}:\n{text}", file=out)
    return EXIT_OK


def make_backup(settings: Settings, folder: Path, keep: int, out: TextIO) -> int:
    """`plaudit backup DIR`: a consistent copy of every store, safe while runs and apps write."""
    target = backups.backup(settings, folder, keep)
    manifest = (target / backups.MANIFEST).read_text(encoding="utf-8")
    print(f"backed up to {target}\n{manifest}", file=out)
    return EXIT_OK


def restore_backup(settings: Settings, source: Path, out: TextIO) -> int:
    """`plaudit restore BACKUP`: check it, then restore the internal store and republish, under the run lock."""
    with run_lock(settings):
        counts = backups.restore(settings, source)
    print(f"restored {settings.internal_db} from {source}; republished {counts['published']} testimonials", file=out)
    return EXIT_OK


def run_doctor(settings: Settings, network: bool, out: TextIO) -> int:
    """`plaudit doctor`: every check with its result; each problem with its fix; exit 1 when any."""
    findings = doctor.examine(settings, plaudit_command(), network)
    for finding in findings:
        mark = "ok     " if finding.ok else "PROBLEM"
        print(f"{mark} {finding.check}: {finding.detail}" + (f"\n        fix: {finding.fix}" if finding.fix else ""),
              file=out)
    problems = sum(not f.ok for f in findings)
    print(f"\n{problems} problem(s)" if problems else "\nno problems found", file=out)
    return EXIT_NOTHING if problems else EXIT_OK
