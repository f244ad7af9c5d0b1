"""Scheduling without a server: cron entries and systemd timers written, shown and removed; runs never overlap."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.ops import schedule
from plaudit.cli import main
from plaudit.running import RunInProgress, run_lock

CONFIG = '[plaudit]\nschedule_time = "02:30"\nschedule_timezone = "America/Chicago"\nprefect_mode = "off"\n'


@pytest.fixture
def settings(make_settings):
    return make_settings(CONFIG + '[[sources]]\nname = "f"\nkind = "csv"\npath = "a.csv"\n')


def cli(settings, *args) -> int:
    return main(["--config", str(settings.config_path), "schedule", *args])


def test_a_cron_file_entry_is_installed_once_shown_and_removed_leaving_other_lines(settings, tmp_path, capsys):
    cron_file = tmp_path / "cron.d" / "plaudit"
    cron_file.parent.mkdir()
    cron_file.write_text("MAILTO=ops@example.com\n15 1 * * * root /usr/bin/true\n")
    assert cli(settings, "install", "--cron-file", str(cron_file)) == 0
    assert cli(settings, "install", "--cron-file", str(cron_file)) == 0  # again: replaced, not doubled
    text = cron_file.read_text()
    assert text.count("# BEGIN plaudit") == 1 and text.startswith("MAILTO=ops@example.com\n15 1 * * * root")
    line = next(line for line in text.splitlines() if line.startswith("30 2 * * *"))
    assert f" --config {settings.config_path} run >> " in line and "CRON_TZ=America/Chicago" in text
    assert line.split()[5] == os.environ.get("USER", line.split()[5])  # cron.d names the user
    capsys.readouterr()
    assert cli(settings, "show", "--cron-file", str(cron_file)) == 0 and "30 2 * * *" in capsys.readouterr().out
    assert cli(settings, "remove", "--cron-file", str(cron_file)) == 0
    assert cron_file.read_text() == "MAILTO=ops@example.com\n15 1 * * * root /usr/bin/true\n"
    assert cli(settings, "remove", "--cron-file", str(cron_file)) == 1


def test_the_users_crontab_is_edited_through_the_crontab_command(settings, tmp_path, monkeypatch):
    # This machine has no cron; a stand-in `crontab` keeps the table in a file, as the real one does.
    table = tmp_path / "table"
    table.write_text("0 5 * * * backup\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "crontab"
    fake.write_text(f'#!/bin/sh\nif [ "$1" = "-l" ]; then cat "{table}"; else cat > "{table}"; fi\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert cli(settings, "install") == 0
    lines = table.read_text().splitlines()
    assert lines[0] == "0 5 * * * backup" and any(line.startswith("30 2 * * * mkdir -p") for line in lines)
    assert cli(settings, "remove") == 0 and table.read_text() == "0 5 * * * backup\n"


def test_a_missing_crontab_command_is_a_clear_error(settings, monkeypatch, capsys):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert cli(settings, "install") == 2
    assert "crontab command is not installed" in capsys.readouterr().err


def test_a_systemd_timer_carries_the_time_zone(settings, tmp_path, capsys):
    units = tmp_path / "units"
    assert cli(settings, "install", "--with", "systemd", "--unit-dir", str(units)) == 0
    timer = next(units.glob("*.timer")).read_text()
    service = next(units.glob("*.service")).read_text()
    assert "OnCalendar=*-*-* 02:30:00 America/Chicago" in timer and "Persistent=true" in timer
    assert f"--config {settings.config_path} run" in service and "Type=oneshot" in service
    assert "systemctl --user enable --now" in capsys.readouterr().out
    assert cli(settings, "remove", "--with", "systemd", "--unit-dir", str(units)) == 0
    assert list(units.iterdir()) == []


def test_the_scheduled_command_line_really_runs(settings, tmp_path):
    job = schedule.nightly_job(settings, [sys.executable, "-m", "plaudit"])
    done = subprocess.run(["/bin/sh", "-c", schedule.shell_line(job)], capture_output=True, text=True, timeout=120)
    assert done.returncode in (1, 3), done.stderr  # a.csv does not exist: the source fails and says so
    assert "unavailable" in job.log.read_text() or "FAILED" in job.log.read_text()


@pytest.mark.parametrize("body, message", [
    ('[plaudit]\nschedule_time = "3am"\n', "must be HH:MM"),
    ('[plaudit]\nschedule_timezone = "Florida"\n', "not an IANA time zone"),
])
def test_schedule_settings_are_checked_when_they_load(make_settings, body, message):
    with pytest.raises(ConfigError, match=message):
        make_settings(body)


def test_a_second_run_on_the_same_data_exits_at_once(settings):
    with run_lock(settings):
        with pytest.raises(RunInProgress, match="another plaudit run is using"):
            with run_lock(settings):
                pass
