"""Reviews from the inbox (`inbox.db`): what the hosted review form (and form-tool webhooks) delivered.

Settings (one `[[sources]]` table with `kind = "inbox"`): `path` (default: the `inbox_db` setting, the file
the public app writes), `preset` and `columns` for payloads from a tool with no preset of its own. Each row's
payload fields are read like one CSV row whose headers are the field names, with the preset named by the row's
source tool when there is one (`gravityforms`, `wpforms`…), else the source's `preset`; so a field is mapped
the same way whether it came in an export or in a delivery. The consent version is the one the payload
carries (the hosted form stores the version it showed), else the source's `consent_version`.

The cursor is `{"after_id": N}`, the last inbox row read: each delivery is ingested once, and a missing
inbox means nothing has arrived yet. Deliveries are swept `CHUNK` rows at a time, each chunk stored with the
cursor after its last row. A sweep is never `complete` (a delivery is never repeated, so absence
says nothing about deletion).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from pipeline.models import Batch, RawReview, Skipped, SourceConfig
from pipeline.sources import form_presets as presets
from pipeline.sources.base import ChunkedSource, SweepContext
from pipeline.sources.forms_csv import resolve_columns, row_review
from pipeline.text import too_long
from storage.inbox import read_after

NOT_FIELDS = ("consent_version",)  # carried with the payload, not a form field to map
CHUNK = 5000  # inbox rows read at a time


class InboxSource(ChunkedSource):
    """Deliveries in the inbox since the last run, as raw reviews, `CHUNK` rows at a time."""

    def __init__(self, config: SourceConfig):
        presets.get_preset(config.preset)
        resolve_columns([], config.preset, config.columns)  # unknown fields fail now, not mid-run
        self.config = config

    def sweep(self, client: Any, cursor: dict[str, Any], context: SweepContext) -> Iterator[Batch]:
        """A chunk per `CHUNK` deliveries after the cursor's row id, each with the cursor after its last row."""
        after = int((cursor or {}).get("after_id") or 0)
        while rows := read_after(self.config.path, after, CHUNK):
            chunk = Batch(complete=False, last=False, pages=1)
            for row in rows:
                outcome = self.review(row)
                if isinstance(outcome, RawReview):
                    chunk.reviews.append(outcome)
                else:
                    chunk.skipped.append(Skipped(f"inbox row {row['id']}", outcome))
            after = rows[-1]["id"]
            chunk.cursor = {"after_id": after}
            yield chunk
        yield Batch(complete=False, cursor={"after_id": after})

    def review(self, row: dict[str, Any]) -> RawReview | str:
        """The raw review in one inbox row, or the reason it cannot be used."""
        payload = row["payload"] if isinstance(row["payload"], dict) else {}
        headers = [str(key) for key in payload if key not in NOT_FIELDS]
        cells = ["" if payload[key] is None else str(payload[key]) for key in headers]
        tool = str(row.get("source_tool") or "")
        preset = tool if tool in presets.PRESETS else self.config.preset
        columns = resolve_columns(headers, preset, self.config.columns)
        if "text" not in columns:
            return f"no review-text field among {', '.join(repr(h) for h in headers[:20]) or 'no fields'}"
        config = dataclasses.replace(self.config, consent_version=str(payload.get("consent_version") or "")
                                     or self.config.consent_version)
        review = row_review(cells, headers, columns, config)
        if review is None:
            return "no review text (the delivery's text field is empty)"
        if not review.external_id:
            review = dataclasses.replace(review, external_id=f"inbox-{row['id']}")
        if not review.published_raw:
            review = dataclasses.replace(review, published=row["received_at"][:10], published_raw=row["received_at"])
        return too_long(review.text) or review
