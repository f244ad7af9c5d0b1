"""Named errors that carry what a person needs to act on them."""

from __future__ import annotations


class PlauditError(Exception):
    """Base class for errors Plaudit reports to a person."""


class ConfigError(PlauditError):
    """The configuration is invalid; the message names the setting and what is wrong."""


class SourceUnavailable(PlauditError):
    """A source could not be read this run (network, HTTP status, robots.txt); it is retried next run."""

    kind = "unavailable"  # for the run report and `plaudit sources`: what sort of failure it was

    def __init__(self, source: str, reason: str, kind: str | None = None):
        super().__init__(f"source {source!r} unavailable: {reason}")
        self.source = source
        self.reason = reason
        if kind:
            self.kind = kind

    @classmethod
    def from_fetch(cls, source: str, url: str, exc: FetchError) -> SourceUnavailable:
        """The source error a failed fetch amounts to, its kind named (robots, timeout, rate_limited, …)."""
        return cls(source, f"{url}: {exc.reason}", fetch_kind(exc))


class SourceBlocked(SourceUnavailable):
    """The site answered with a consent wall, login wall, CAPTCHA or block page instead of its listing.

    Never retried or worked around; `kind` is the wall's kind (pipeline.sources.walls.KINDS).
    """

    def __init__(self, source: str, kind: str, reason: str):
        super().__init__(source, reason)
        self.kind = kind


class LayoutChanged(SourceUnavailable):
    """A listing stopped matching: its selectors found nothing, or its review count fell by more than half.

    The stored reviews are left as they were; a person checks the page and the source's configuration.
    """

    kind = "layout_changed"

    def __init__(self, source: str, reason: str, health: dict[str, list[int]] | None = None):
        super().__init__(source, reason)
        self.health = health or {}  # selector -> [matched, tried] on the page that showed the change


class CredentialsRejected(SourceUnavailable):
    """A review API refused the source's credentials (expired or revoked token, wrong key)."""

    kind = "credentials"


class FetchError(PlauditError):
    """One HTTP fetch failed after the client's retries."""

    def __init__(self, url: str, reason: str, status: int | None = None, transient: bool = True,
                 body: bytes = b"", headers: dict[str, str] | None = None):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
        self.transient = transient
        self.body = body  # the start of an error response's body, to recognise a block page (never logged)
        self.headers = headers or {}
        self.history: tuple[int | str, ...] = ()  # every status (or "timeout") met on the way, for source health


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


def fetch_kind(exc: FetchError) -> str:
    """What sort of fetch failure this is, for the run report and `plaudit sources`."""
    if isinstance(exc, RobotsDisallowed):
        return "robots"
    if isinstance(exc, AddressRefused):
        return "address_refused"
    if isinstance(exc, ResponseTooLarge):
        return "too_large"
    if exc.status == 429:
        return "rate_limited"
    if exc.status is not None:
        return "http_error"
    return "timeout" if "timed out" in exc.reason or "not finished" in exc.reason else "network"


class ParseError(PlauditError):
    """Fetched bytes could not be read as the expected format; says where and what was expected."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


def describe_error(exc: BaseException) -> str:
    """A person-readable error line without review content: our errors carry context, others only a class."""
    if isinstance(exc, PlauditError):
        return f"{type(exc).__name__}: {exc}"[:500]
    return f"{type(exc).__name__} (unexpected; see the log)"


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
