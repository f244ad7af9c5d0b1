"""`plaudit doctor`: everything that can be checked before a night goes wrong, each problem with its fix.

Checks: the configuration, the internal store's integrity and pending migrations, who may read the data
folder (the internal store holds patient details: never world-readable), the public store holds no field
outside the allowlist, each source can be reached (files exist; listing pages answer and robots.txt allows
them, through the same polite client as a run), Prefect's mode, the schedule, and free disk space.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

import requests

from pipeline.errors import FetchError
from pipeline.net.client import PoliteClient
from pipeline.ops import schedule
from pipeline.settings import Settings
from pipeline.sources import build_source
from storage import backup as sqlite_backup
from storage.db import open_readonly
from storage.public import META_FIELDS, SUMMARY_FIELDS, TESTIMONIAL_FIELDS
from storage.schema import internal_migrations

MIN_FREE_BYTES = 1_000_000_000
PUBLIC_COLUMNS = {"testimonials": set(TESTIMONIAL_FIELDS), "summary": set(SUMMARY_FIELDS), "meta": {"key", "value"}}


@dataclass(frozen=True)
class Finding:
    """One check: what was checked, whether it is fine, what was found, and the fix when it is not."""

    check: str
    ok: bool
    detail: str
    fix: str = ""


def examine(settings: Settings, plaudit: list[str], network: bool = True) -> list[Finding]:
    """Every check, in the order a person would fix them."""
    findings = [_configuration(settings), *_internal_store(settings), *_permissions(settings),
                _public_store(settings)]
    findings += _sources(settings, network)
    findings += [_prefect(settings), _schedule(settings, plaudit), _disk(settings)]
    return findings


def _configuration(settings: Settings) -> Finding:
    active = [s.name for s in settings.sources if s.policy != "ignore"]
    if settings.config_path is None:
        return Finding("configuration", False, "no plaudit.toml found", "`plaudit init`, then edit its [[sources]]")
    if not active:
        return Finding("configuration", False, f"{settings.config_path} has no sources to collect",
                       "add [[sources]] tables (see README, Sources)")
    return Finding("configuration", True, f"{settings.config_path}: {len(active)} source(s)")


def _internal_store(settings: Settings) -> list[Finding]:
    path = settings.internal_db
    if not path.exists():
        return [Finding("internal store", True, f"{path} does not exist yet (created by the first run)")]
    problems = sqlite_backup.integrity_problems(path)
    if problems:
        return [Finding("internal store", False, f"{path}: {problems[0]}",
                        "restore the latest backup: `plaudit restore BACKUP`")]
    applied = set(sqlite_backup.applied_migrations(path, internal_migrations.name))
    pending = [m.name for m in internal_migrations._migrations if m.name not in applied]  # noqa: SLF001
    found = [Finding("internal store", True, f"{path}: integrity ok")]
    if pending:
        found.append(Finding("migrations", False, f"{len(pending)} pending: {', '.join(pending)}",
                             "they apply when the store is next opened: run `plaudit status` once"))
    else:
        found.append(Finding("migrations", True, f"all {len(applied)} applied"))
    return found


def _permissions(settings: Settings) -> list[Finding]:
    found = []
    for path in (settings.data_dir, settings.internal_db, settings.inbox_db):
        if not path.exists():
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & stat.S_IROTH:
            fix = f"chmod {'700' if path.is_dir() else '600'} {path}"
            found.append(Finding("permissions", False, f"{path} is readable by every user ({oct(mode)}); it holds "
                                 f"patient details", fix))
    return found or [Finding("permissions", True, "the data folder, internal store and inbox are not world-readable")]


def _public_store(settings: Settings) -> Finding:
    path = settings.public_db
    if not path.exists():
        return Finding("public store", True, f"{path} does not exist yet (written by the first publish)")
    try:
        conn = open_readonly(path)
        try:
            extra = {table: {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')} - allowed
                     for table, allowed in PUBLIC_COLUMNS.items()}
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            keys = {row[0] for row in conn.execute("SELECT key FROM meta")} if "meta" in tables else set()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return Finding("public store", False, f"{path}: {exc}", "`plaudit publish` rebuilds it")
    unknown = [f"{t}.{c}" for t, cols in extra.items() for c in sorted(cols)] + sorted(tables - set(PUBLIC_COLUMNS))
    unknown += [f"meta:{k}" for k in sorted(keys - set(META_FIELDS))]
    if unknown:
        return Finding("public store", False, f"fields outside the allowlist: {', '.join(unknown)}",
                       "`plaudit publish` rebuilds it from the allowlist; find what wrote to it by hand")
    return Finding("public store", True, "only allowlisted fields")


def _sources(settings: Settings, network: bool) -> list[Finding]:
    found = []
    with PoliteClient(settings) as client:
        for source in settings.sources:
            if source.policy == "ignore":
                continue
            found.append(_source(settings, source, client, network))
    return found


def _source(settings: Settings, source, client: PoliteClient, network: bool) -> Finding:
    name = f"source {source.name}"
    if source.kind == "csv":
        files = build_source(source).files()
        if not files:
            return Finding(name, False, f"no file matches {source.path}", "check `path`, or export the form again")
        return Finding(name, True, f"{len(files)} export file(s)")
    if source.kind == "inbox":  # missing only means nothing was sent to the review form yet
        state = "present" if Path(source.path).exists() else "not created yet (nothing sent to the form)"
        return Finding(name, True, f"inbox {source.path}: {state}")
    if not network:
        return Finding(name, True, "not checked (--offline)")
    try:
        result = client.get(source.url)
    except FetchError as exc:
        return Finding(name, False, f"{source.url}: {exc.reason}",
                       "check the url; if robots.txt disallows it, Plaudit will not read it")
    if result.status >= 400:
        return Finding(name, False, f"{source.url}: HTTP {result.status}", "check the url")
    return Finding(name, True, f"{source.url}: HTTP {result.status}, robots.txt allows it")


def _prefect(settings: Settings) -> Finding:
    if settings.prefect_mode != "server":
        return Finding("prefect", True, f"mode {settings.prefect_mode}: no server to keep running")
    api = os.environ.get("PREFECT_API_URL", "")
    if not api:
        return Finding("prefect", False, "prefect_mode is server but PREFECT_API_URL is not set",
                       "export PREFECT_API_URL=http://127.0.0.1:4200/api (after `prefect server start`)")
    try:
        requests.get(api.rstrip("/") + "/health", timeout=5).raise_for_status()
    except requests.RequestException as exc:
        return Finding("prefect", False, f"{api} does not answer ({type(exc).__name__})",
                       "start it: `prefect server start --background`")
    return Finding("prefect", True, f"server at {api} answers")


def _schedule(settings: Settings, plaudit: list[str]) -> Finding:
    if settings.config_path is None:
        return Finding("schedule", False, "no configuration to schedule", "`plaudit init`")
    found = schedule.installed(schedule.nightly_job(settings, plaudit))
    if not found:
        return Finding("schedule", False, "no nightly schedule found in your crontab or systemd user units",
                       "`plaudit schedule install` (or `--with systemd`); a cron.d file is not looked at")
    return Finding("schedule", True, f"installed ({', '.join(found)})")


def _disk(settings: Settings) -> Finding:
    folder = settings.data_dir if settings.data_dir.exists() else Path(settings.data_dir).parent
    free = shutil.disk_usage(folder).free
    if free < MIN_FREE_BYTES:
        return Finding("disk", False, f"{free / 1e9:.2f} GB free under {folder}",
                       "free some space: SQLite needs room to write, and backups more")
    return Finding("disk", True, f"{free / 1e9:.1f} GB free")
