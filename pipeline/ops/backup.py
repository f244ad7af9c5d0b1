"""Backups of every store, and restores that refuse a backup which would do harm.

`backup` writes one folder per backup, `plaudit-backup-<UTC time>`, holding a consistent online copy of each
store (the SQLite backup API: safe while the nightly run and the apps write), the audit chain's anchor file,
and `manifest.json` (when, which migrations each store had, row counts, file sizes). `keep` prunes the oldest
backups in the same folder. `restore` first checks every file of the backup: SQLite's integrity check passes,
and the internal store's migrations are all known to this version of Plaudit (a backup from a newer version is
refused); then it writes the internal store back in place, applies any newer migrations and republishes, so
the public store and the export match what was restored. The command line holds the run lock meanwhile.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pipeline.errors import PlauditError
from pipeline.publish.decisions import audit_anchor
from pipeline.settings import Settings
from pipeline.steps import publish_now
from storage import backup as sqlite_backup
from storage.db import open_db
from storage.schema import internal_migrations

PREFIX = "plaudit-backup-"
MANIFEST = "manifest.json"


class BackupRefused(PlauditError):
    """A backup that fails its checks; nothing was restored."""


@dataclass(frozen=True)
class Store:
    """One store a backup holds: its file name in the backup and where it lives."""

    name: str
    path: Path
    migration_set: str | None = None  # the stores rebuilt on every publish have none


def stores(settings: Settings) -> list[Store]:
    """Every store of this configuration that exists on disk."""
    candidates = [Store("plaudit.db", settings.internal_db, internal_migrations.name),
                  Store("published.db", settings.public_db),
                  # kept for recovery by hand only: restore leaves the live inbox alone (its row ids must only grow,
                  # or the inbox source's cursor would skip new submissions)
                  Store("inbox.db", settings.inbox_db)]
    return [store for store in candidates if store.path.exists()]


def backup(settings: Settings, folder: Path, keep: int = 0) -> Path:
    """Copy every store into a new backup folder under `folder`; prune to the newest `keep` when keep > 0."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{PREFIX}{stamp}"
    target.mkdir(parents=True)
    manifest: dict[str, Any] = {"created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                "config": str(settings.config_path or ""), "stores": {}}
    for store in stores(settings):
        sqlite_backup.copy_database(store.path, target / store.name)
        manifest["stores"][store.name] = _describe(store, target / store.name)
    anchor = audit_anchor(settings)
    if anchor.exists():
        shutil.copyfile(anchor, target / "audit-head")
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    if keep > 0:
        prune(folder, keep)
    return target


def _describe(store: Store, copy: Path) -> dict[str, Any]:
    described = {"bytes": copy.stat().st_size}
    if store.migration_set:
        described["migrations"] = sqlite_backup.applied_migrations(copy, store.migration_set)
        described["reviews"] = sqlite_backup.row_count(copy, "reviews")
    return described


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in a folder; returns what was deleted."""
    found = sorted(p for p in folder.glob(f"{PREFIX}*") if (p / MANIFEST).exists())
    doomed = found[:-keep] if keep > 0 else []
    for path in doomed:
        shutil.rmtree(path)
    return doomed


def check(settings: Settings, source: Path) -> list[str]:
    """Every reason a backup folder must not be restored (empty when it may)."""
    if not (source / MANIFEST).exists():
        return [f"{source} is not a Plaudit backup (no {MANIFEST})"]
    problems = []
    known = {m.name for m in internal_migrations._migrations}  # noqa: SLF001 - sqlite-utils keeps them there
    for store in stores_in(settings, source):
        copy = source / store.name
        problems += [f"{store.name}: {p}" for p in sqlite_backup.integrity_problems(copy)]
        if store.migration_set and not problems:
            unknown = [m for m in sqlite_backup.applied_migrations(copy, store.migration_set) if m not in known]
            if unknown:
                problems.append(f"{store.name}: made by a newer Plaudit (unknown migrations {', '.join(unknown)}); "
                                f"upgrade Plaudit before restoring it")
    if not (source / "plaudit.db").exists():
        problems.append("the backup holds no internal store (plaudit.db)")
    return problems


def stores_in(settings: Settings, source: Path) -> list[Store]:
    """The stores a backup folder holds, with where each goes back to."""
    places = {"plaudit.db": (settings.internal_db, internal_migrations.name), "published.db": (settings.public_db, None)}
    return [Store(name, path, migration_set) for name, (path, migration_set) in places.items()
            if (source / name).exists()]


def restore(settings: Settings, source: Path) -> dict[str, Any]:
    """Restore a checked backup's internal store in place, then republish from it (so the public store and
    export match it, swapped in as every publish is). Raises BackupRefused, restoring nothing, on any problem."""
    problems = check(settings, source)
    if problems:
        raise BackupRefused("backup not restored: " + "; ".join(problems))
    sqlite_backup.copy_database(source / "plaudit.db", settings.internal_db)
    if (source / "audit-head").exists():
        shutil.copyfile(source / "audit-head", audit_anchor(settings))
    open_db(settings.internal_db, internal_migrations).close()  # a backup from an older version catches up
    return publish_now(settings, trigger="restore")
