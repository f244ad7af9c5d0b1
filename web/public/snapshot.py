"""The public store as the public app holds it: read once per publish, answers rendered once and kept in memory.

Each publish replaces `published.db` with a new file (an atomic rename), so the file's identity (device,
inode, modification time, size) changes exactly when a publish happened. Every request compares it with a
single `stat` and reloads when it differs: a new publish is noticed without a restart, and between publishes
nothing touches the database. The file is opened read-only and closed again after reading; the internal
store is never opened.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.public import SUMMARY_FIELDS, read_public_store

log = logging.getLogger(__name__)
MAX_CACHED = 4096  # rendered answers kept per publish; distinct queries past this are rendered each time
API_FIELDS = ("id", "excerpt", "attribution", "rating", "source_label", "source_url", "location", "location_name",
              "tags", "disclosure", "provider", "published_at")


class StoreUnavailable(Exception):
    """Nothing is published yet, or the public store cannot be read; the message says which."""


@dataclass(frozen=True)
class Rendered:
    """One rendered answer: status, JSON body and its strong ETag (keyed on the publish and the bytes)."""

    status: int
    body: bytes
    etag: str


@dataclass
class Snapshot:
    """Everything one publish put in the public store, plus the answers rendered from it so far."""

    identity: tuple[int, ...]
    meta: dict[str, Any]
    testimonials: list[dict[str, Any]]
    summary: list[dict[str, Any]]
    rendered: dict[Any, Rendered] = field(default_factory=dict)

    def answer(self, key: Any, render: Callable[[], tuple[int, bytes]]) -> Rendered:
        """The answer for `key`, rendered on first use and kept until the next publish."""
        found = self.rendered.get(key)
        if found is None:
            status, body = render()
            digest = hashlib.sha256(body).hexdigest()[:16]
            found = Rendered(status, body, f'"{self.meta.get("publish_id") or "p"}-{digest}"')
            if len(self.rendered) < MAX_CACHED:
                self.rendered[key] = found
        return found


def _identity(path: Path) -> tuple[int, ...] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size


def load_snapshot(path: Path, identity: tuple[int, ...]) -> Snapshot:
    """Read the whole public store (it is small: approved quotes and a summary row per source)."""
    try:
        store = read_public_store(path)
        testimonials = [{name: row.get(name) for name in API_FIELDS}
                        for row in sorted(store["testimonials"], key=lambda row: row["position"] or 0)]
    except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:
        raise StoreUnavailable(f"the public store could not be read ({type(exc).__name__}); run `plaudit publish`") \
            from exc
    # Named fields only, so a store written by an older Plaudit (fewer columns) still answers in the documented shape.
    summary = [{name: row.get(name) for name in SUMMARY_FIELDS} for row in store["summary"]]
    return Snapshot(identity, store["meta"], testimonials, summary)


class PublicStore:
    """The current snapshot of the public store at `path`, reloaded when a publish replaced the file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._snapshot: Snapshot | None = None

    def current(self) -> Snapshot:
        """The snapshot of the latest publish; StoreUnavailable when there is none."""
        identity = _identity(self.path)
        if identity is None:
            self._snapshot = None
            raise StoreUnavailable("nothing is published yet; run `plaudit publish` (or `plaudit run`)")
        if self._snapshot is None or self._snapshot.identity != identity:
            self._snapshot = load_snapshot(self.path, identity)
            log.info("public store loaded: publish %s, %d testimonials", self._snapshot.meta.get("publish_id"),
                     len(self._snapshot.testimonials))
        return self._snapshot
