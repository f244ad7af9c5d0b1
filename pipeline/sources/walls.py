"""Recognising pages that are not the listing: consent walls, login walls, CAPTCHA challenges and block pages.

A site that does not want a robot shows a page in place of its reviews, often with status 200. Read as a
listing, that page has no reviews, and "zero reviews" would look like an empty source (and, after enough
sweeps, like every review deleted). So a page that yields no reviews, or an error status with a body, is
checked here first, and what it is becomes the source's error: `SourceBlocked` with the wall's kind. Plaudit
never works around a wall (no other User-Agent, no cookies, no proxies): it stops and says so.

Evidence is looked for in the final URL (a redirect to consent.*, /login, a challenge path), the response
headers (Cloudflare's `cf-mitigated: challenge`, AWS WAF's `x-amzn-waf-action`) and the first `SNIFF_BYTES`
of the body (challenge scripts, the words block pages use). The status alone decides last: 401/407 is a login
wall, 403/451 a block, 429 a rate limit. `recognise` is pure, so every marker is tested on pages we wrote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

SNIFF_BYTES = 65_536
KINDS = {
    "captcha": "a CAPTCHA or bot challenge",
    "login_wall": "a login wall",
    "consent_wall": "a consent wall",
    "blocked": "a block page",
    "rate_limited": "a rate limit",
}

_CAPTCHA = re.compile(
    r"g-recaptcha|recaptcha/api\.js|h-captcha|hcaptcha\.com|cf-turnstile|challenges\.cloudflare\.com|"
    r"/cdn-cgi/challenge-platform|cf-browser-verification|captcha-delivery\.com|px-captcha|"
    r"<title>\s*just a moment\.\.\.|verify (?:that )?you are (?:a )?human|are you a robot|"
    r"unusual traffic from your computer network|checking your browser before accessing|enable javascript and cookies to continue")
_LOGIN = re.compile(
    r"<input[^>]{0,300}type\s*=\s*[\"']?password|(?:log|sign) ?in to (?:continue|see|view|read)|"
    r"you must be (?:logged|signed) in|please (?:log|sign) ?in\b")
_CONSENT = re.compile(
    r"before you continue to|consent\.google\.|consent\.youtube\.|action\s*=\s*[\"']?https?://consent\.|"
    r"we need your consent|cookie consent required|accept (?:all )?cookies to continue|"
    r"id\s*=\s*[\"']?(?:consent-page|cookie-wall|consent-wall)")
_BLOCKED = re.compile(
    r"access denied|you have been blocked|attention required! \| cloudflare|error 10(?:06|07|08|20)\b|"
    r"incapsula incident id|pardon our interruption|the requested url was rejected|request blocked|"
    r"your (?:ip|access) (?:address )?has been (?:blocked|banned)|forbidden")
_URL_KINDS = (
    ("consent_wall", re.compile(r"^consent\.|/(?:cookie-?)?consent(?:/|$|\?)")),
    ("login_wall", re.compile(r"/(?:log-?in|sign-?in|sign_in|signin|auth/login|accounts?/login|users/sign_in)(?:/|$|\?|\.)")),
    ("captcha", re.compile(r"/cdn-cgi/challenge-platform|/captcha|^sorry\.|/sorry/")),
)
_BODY_KINDS = (("captcha", _CAPTCHA), ("login_wall", _LOGIN), ("consent_wall", _CONSENT), ("blocked", _BLOCKED))
_STATUS_KINDS = {401: "login_wall", 407: "login_wall", 403: "blocked", 451: "blocked", 429: "rate_limited"}


@dataclass(frozen=True)
class Wall:
    """What stood in place of the listing, and the evidence that said so."""

    kind: str  # one of KINDS
    evidence: str

    def describe(self) -> str:
        """A line for the run report: what it was and how it was recognised."""
        return f"{KINDS[self.kind]} ({self.evidence})"


def recognise(url: str, status: int | None, headers: Mapping[str, str] | None, body: bytes) -> Wall | None:
    """The wall this response is, or None when nothing says it is one."""
    wall = _by_url(url) or _by_headers(headers or {})
    if wall:
        return wall
    text = body[:SNIFF_BYTES].decode("utf-8", "replace").lower()
    for kind, pattern in _BODY_KINDS:
        match = pattern.search(text)
        if match:
            return Wall(kind, f"the page says {match.group(0).strip()[:60]!r}")
    if status in _STATUS_KINDS:
        return Wall(_STATUS_KINDS[status], f"HTTP {status}")
    return None


def _by_url(url: str) -> Wall | None:
    parts = urlsplit(url)
    host, path = (parts.hostname or "").lower(), parts.path.lower()
    for kind, pattern in _URL_KINDS:
        if pattern.search(host) or pattern.search(path):
            return Wall(kind, f"the page is at {host}{parts.path[:80]}")
    return None


def _by_headers(headers: Mapping[str, str]) -> Wall | None:
    lowered = {k.lower(): str(v).lower() for k, v in headers.items()}
    if lowered.get("cf-mitigated") == "challenge":
        return Wall("captcha", "header cf-mitigated: challenge")
    waf = lowered.get("x-amzn-waf-action")
    if waf in ("captcha", "challenge"):
        return Wall("captcha", f"header x-amzn-waf-action: {waf}")
    if waf == "block":
        return Wall("blocked", "header x-amzn-waf-action: block")
    return None
