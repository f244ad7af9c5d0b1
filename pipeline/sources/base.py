"""What every source is: the interface the collect stage calls, and what a source needs from the client."""

from __future__ import annotations

from typing import Any, Protocol

from pipeline.models import Batch, SourceConfig


class Fetcher(Protocol):
    """What a source needs from the HTTP client (pipeline.net.client.PoliteClient implements it)."""

    def get(self, url: str, *, validators: dict[str, str] | None = None, accept: str | None = None) -> Any:
        """Fetch a URL politely; returns a pipeline.net.client.FetchResult."""


class Source(Protocol):
    """A configured source of reviews."""

    config: SourceConfig

    def collect(self, client: Fetcher, cursor: dict[str, Any]) -> Batch:
        """Read what is new since `cursor`; raise SourceUnavailable when nothing could be read."""
