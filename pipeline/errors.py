"""Named errors that carry what a person needs to act on them."""

from __future__ import annotations


class PlauditError(Exception):
    """Base class for errors Plaudit reports to a person."""


class ConfigError(PlauditError):
    """The configuration is invalid; the message names the setting and what is wrong."""


class SourceUnavailable(PlauditError):
    """A source could not be read this run (network, HTTP status, robots.txt); it is retried next run."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"source {source!r} unavailable: {reason}")
        self.source = source
        self.reason = reason


class FetchError(PlauditError):
    """One HTTP fetch failed after the client's retries."""

    def __init__(self, url: str, reason: str, status: int | None = None, transient: bool = True):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
        self.transient = transient


class RobotsDisallowed(FetchError):
    """robots.txt forbids the URL (or could not be read, which RFC 9309 treats as a full disallow)."""

    def __init__(self, url: str, reason: str = "disallowed by robots.txt"):
        super().__init__(url, reason, transient=False)


class AddressRefused(FetchError):
    """The URL resolves to a private, loopback or link-local address and the settings do not allow it."""

    def __init__(self, url: str, reason: str):
        super().__init__(url, reason, transient=False)


class ResponseTooLarge(FetchError):
    """The response exceeded the size cap."""

    def __init__(self, url: str, limit: int):
        super().__init__(url, f"response larger than {limit} bytes", transient=False)


class ParseError(PlauditError):
    """Fetched bytes could not be read as the expected format; says where and what was expected."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class QuoteNotFound(PlauditError):
    """No quote with that id."""


class NothingToRevoke(PlauditError):
    """A revocation was asked for a quote with no authorization or consent on record."""


class NotPublishable(PlauditError):
    """A staff decision was refused by the publish gate; carries every reason."""

    def __init__(self, quote_id: int, reasons: list[str]):
        super().__init__(f"quote {quote_id} cannot be published: " + "; ".join(reasons))
        # each reason may carry `.fix` (pipeline.publish.gate.Blocker): how a person can remove it
        self.quote_id = quote_id
        self.reasons = reasons
