"""The nightly schedule without a server: a cron entry or a systemd timer that runs `plaudit run`.

Settings: `schedule_time` ("HH:MM") and `schedule_timezone` (an IANA zone). The entry runs the command from the
project folder; `plaudit run` holds a lock on the data folder, so two runs never overlap (a second one exits at
once and says why). Every entry is marked with the config file it belongs to, so `show` and `remove` find only
their own, and several practices can be scheduled on one machine.

Three targets:
- the user's crontab (through the `crontab` command), `CRON_TZ` set to the time zone;
- a cron file in the /etc/cron.d format (`cron_file`), which also names the user to run as;
- a systemd timer (`unit_dir`, default ~/.config/systemd/user), whose `OnCalendar` carries the time zone itself.
"""

from __future__ import annotations

import getpass
import hashlib
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ConfigError, PlauditError
from pipeline.settings import Settings

DEFAULT_UNIT_DIR = Path.home() / ".config" / "systemd" / "user"


class ScheduleError(PlauditError):
    """The schedule could not be read or written; the message says what to do instead."""


@dataclass(frozen=True)
class Job:
    """What runs, when and where."""

    hour: int
    minute: int
    timezone: str
    workdir: Path
    command: str  # a shell command line, output not yet redirected
    log: Path  # where its output is appended
    key: str  # marks the entries of one configuration

    @property
    def unit_name(self) -> str:
        """The systemd unit name of this job (service and timer)."""
        return f"plaudit-{self.key}"


def nightly_job(settings: Settings, plaudit: list[str]) -> Job:
    """The nightly job for these settings, run by the `plaudit` command line `plaudit` (an argv prefix)."""
    hour, minute = (int(part) for part in settings.schedule_time.split(":"))  # checked when settings load
    if settings.config_path is None:
        raise ConfigError("scheduling needs a plaudit.toml (give --config): the job runs that configuration")
    command = shlex.join([*plaudit, "--config", str(settings.config_path), "run"])
    name = re.sub(r"[^a-z0-9]+", "-", settings.config_path.parent.name.lower()).strip("-") or "practice"
    key = f"{name}-{hashlib.sha256(str(settings.config_path).encode()).hexdigest()[:8]}"
    return Job(hour, minute, settings.schedule_timezone, settings.config_path.parent,
               command, settings.data_dir / "logs" / "nightly.log", key)


def shell_line(job: Job) -> str:
    """The job as one shell line: make the log folder, enter the project folder, run, append output to the log."""
    log = shlex.quote(str(job.log))
    return (f"mkdir -p {shlex.quote(str(job.log.parent))} && cd {shlex.quote(str(job.workdir))} && "
            f"{job.command} >> {log} 2>&1")


def _markers(job: Job) -> tuple[str, str]:
    return f"# BEGIN plaudit {job.key}", f"# END plaudit {job.key}"


def cron_block(job: Job, user: str | None = None) -> str:
    """The marked crontab lines of a job; with `user`, in the /etc/cron.d format that names the user."""
    begin, end = _markers(job)
    who = f" {user}" if user else ""
    return f"{begin}\nCRON_TZ={job.timezone}\n{job.minute} {job.hour} * * *{who} {shell_line(job)}\n{end}\n"


def without_block(text: str, job: Job) -> str:
    """A crontab's text with this job's marked lines removed (other lines untouched)."""
    begin, end = _markers(job)
    lines, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.strip() == begin:
            skipping = True
        elif line.strip() == end and skipping:
            skipping = False
        elif not skipping:
            lines.append(line)
    return "".join(lines)


def find_block(text: str, job: Job) -> str | None:
    """This job's marked lines in a crontab's text, or None."""
    begin, end = _markers(job)
    start, stop = text.find(begin), text.find(end)
    return text[start:stop + len(end)] + "\n" if start >= 0 and stop > start else None


def systemd_units(job: Job) -> dict[str, str]:
    """The service and timer files of a job (the timer's OnCalendar carries the time zone)."""
    at = f"{job.hour:02d}:{job.minute:02d}"
    service = (f"[Unit]\nDescription=Plaudit nightly run ({job.key})\n\n[Service]\nType=oneshot\n"
               f"WorkingDirectory={job.workdir}\nExecStart=/bin/sh -c {shlex.quote(shell_line(job))}\n")
    timer = (f"[Unit]\nDescription=Plaudit nightly run ({job.key}) at {at} {job.timezone}\n\n"
             f"[Timer]\nOnCalendar=*-*-* {at}:00 {job.timezone}\nPersistent=true\n\n"
             f"[Install]\nWantedBy=timers.target\n")
    return {f"{job.unit_name}.service": service, f"{job.unit_name}.timer": timer}


def read_crontab(cron_file: Path | None) -> str:
    """The current crontab text (a cron.d-style file, or the user's crontab through `crontab -l`)."""
    if cron_file is not None:
        return cron_file.read_text(encoding="utf-8") if cron_file.exists() else ""
    done = subprocess.run([_crontab(), "-l"], capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else ""  # "no crontab for user" exits 1


def write_crontab(text: str, cron_file: Path | None) -> None:
    """Replace the crontab text."""
    if cron_file is not None:
        cron_file.parent.mkdir(parents=True, exist_ok=True)
        cron_file.write_text(text, encoding="utf-8")
        return
    done = subprocess.run([_crontab(), "-"], input=text, capture_output=True, text=True)
    if done.returncode != 0:
        raise ScheduleError(f"crontab refused the new table: {done.stderr.strip()}")


def _crontab() -> str:
    found = shutil.which("crontab")
    if not found:
        raise ScheduleError("the crontab command is not installed (apt-get install cron); or use --with systemd, "
                            "or --cron-file /etc/cron.d/plaudit")
    return found


def install_cron(job: Job, cron_file: Path | None = None) -> str:
    """Add (or replace) the job's entry; returns the entry written."""
    block = cron_block(job, getpass.getuser() if cron_file is not None else None)
    current = without_block(read_crontab(cron_file), job)
    write_crontab(current + ("" if not current or current.endswith("\n") else "\n") + block, cron_file)
    return block


def remove_cron(job: Job, cron_file: Path | None = None) -> bool:
    """Remove the job's entry; False when there was none."""
    current = read_crontab(cron_file)
    if find_block(current, job) is None:
        return False
    write_crontab(without_block(current, job), cron_file)
    return True


def install_systemd(job: Job, unit_dir: Path = DEFAULT_UNIT_DIR) -> list[Path]:
    """Write the service and timer; returns their paths (enable with `systemctl --user enable --now`)."""
    unit_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in systemd_units(job).items():
        (unit_dir / name).write_text(text, encoding="utf-8")
        written.append(unit_dir / name)
    return written


def remove_systemd(job: Job, unit_dir: Path = DEFAULT_UNIT_DIR) -> list[Path]:
    """Delete the job's unit files; returns those that existed."""
    removed = [unit_dir / name for name in systemd_units(job) if (unit_dir / name).exists()]
    for path in removed:
        path.unlink()
    return removed


def installed(job: Job, cron_file: Path | None = None, unit_dir: Path = DEFAULT_UNIT_DIR) -> dict[str, str]:
    """What is installed for this job, by target ("cron", "systemd"): the entry or the timer's text."""
    found = {}
    try:
        block = find_block(read_crontab(cron_file), job)
    except ScheduleError:
        block = None
    if block:
        found["cron"] = block
    timer = unit_dir / f"{job.unit_name}.timer"
    if timer.exists():
        found["systemd"] = timer.read_text(encoding="utf-8")
    return found
