"""A local fault server (127.0.0.1, bounded): one listing path per way a night's run can go wrong.

Built on `tests.localserver.LocalServer`. Every fault is bounded: delays and drips stop within a few seconds,
bodies are at most `OVERSIZE` bytes, redirects to private addresses are refused by the client before any
connection, so no test can hang or leave the machine. Pages are ours (tests/fixtures/walls/).

    server = FaultServer().start(); server.install()
    FAULTS["/challenge"]   # -> the kind of failure the source must report ("captcha")
"""

from __future__ import annotations

from pathlib import Path

from tests.localserver import LocalServer, Response

WALLS = Path(__file__).parent / "fixtures" / "walls"
HTML = {"Content-Type": "text/html; charset=utf-8"}
OVERSIZE = 3_000_000
SELECTORS = '{ item = "div.review", text = "p.body", id = "@id" }'

# path -> the error kind its source must report (None: it must succeed)
FAULTS: dict[str, str | None] = {
    "/ok": None,
    "/retry-after": None,  # 429 with Retry-After: 1, then the page
    "/flaky": None,  # 503 once, then the page
    "/rate-limited": "rate_limited",  # 429 with a Retry-After beyond http_max_retry_after
    "/down": "http_error",  # 500 every time
    "/slow": "timeout",  # no answer within the read timeout
    "/drip": "timeout",  # a body that trickles past the download deadline
    "/oversize": "too_large",
    "/to-private": "address_refused",  # a redirect to 10.0.0.1
    "/to-metadata": "address_refused",  # a redirect to the cloud metadata address
    "/consent-redirect": "consent_wall",
    "/members": "login_wall",
    "/challenge": "captcha",  # 403, cf-mitigated: challenge
    "/recaptcha": "captcha",  # 200 with a reCAPTCHA form
    "/datadome": "captcha",  # 403 with a DataDome challenge
    "/denied": "blocked",  # 403 Access Denied
    "/denied-200": "blocked",  # the same page with status 200
    "/construction": "layout_changed",  # the page no longer lists reviews
}


def listing(count: int = 2, prefix: str = "f") -> bytes:
    """A healthy listing page of `count` reviews."""
    items = "".join(f'<div class="review" id="{prefix}{n}"><p class="body">Review {n} from {prefix}: kind staff.</p>'
                    f"</div>" for n in range(1, count + 1))
    return f"<html><body>{items}</body></html>".encode()


def wall(name: str) -> bytes:
    """One of our wall pages."""
    return (WALLS / name).read_bytes()


class FaultServer(LocalServer):
    """A LocalServer with every fault of FAULTS installed."""

    def install(self) -> FaultServer:
        """Register every fault route (robots.txt answers 404: no rules)."""
        self.route("/robots.txt", status=404)
        self.route("/ok", body=listing(prefix="ok"), headers=HTML)
        self.route_sequence("/retry-after", [Response(429, headers={"Retry-After": "1"}),
                                             Response(200, listing(prefix="ra"), HTML)])
        self.route_sequence("/flaky", [Response(503), Response(200, listing(prefix="fl"), HTML)])
        self.route("/rate-limited", status=429, headers={"Retry-After": "3600"})
        self.route("/down", status=500, body=b"Internal Server Error")
        self.route("/slow", body=listing(), headers=HTML, delay=2.0)
        self.route("/drip", body=listing(40), headers=HTML, drip=0.05, chunk=16)
        self.route("/oversize", body=b"<html>" + b"x" * OVERSIZE, headers=HTML)
        self.route("/to-private", status=302, headers={"Location": "http://10.0.0.1/reviews"})
        self.route("/to-metadata", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        self.route("/consent-redirect", status=302, headers={"Location": "/consent?continue=/reviews"})
        self.route("/consent", body=wall("consent.html"), headers=HTML)
        self.route("/members", body=wall("login.html"), headers=HTML)
        self.route("/challenge", status=403, body=wall("cloudflare-challenge.html"),
                   headers={**HTML, "cf-mitigated": "challenge", "Server": "cloudflare"})
        self.route("/recaptcha", body=wall("recaptcha.html"), headers=HTML)
        self.route("/datadome", status=403, body=wall("datadome.html"), headers=HTML)
        self.route("/denied", status=403, body=wall("access-denied.html"), headers=HTML)
        self.route("/denied-200", body=wall("access-denied.html"), headers=HTML)
        self.route("/construction", body=wall("construction.html"), headers=HTML)
        return self

    def sources_toml(self) -> str:
        """One selectors source per fault path, named after it."""
        return "".join(f'\n[[sources]]\nname = "{name(path)}"\nkind = "selectors"\nurl = "{self.url(path)}"\n'
                       f"selectors = {SELECTORS}\n" for path in FAULTS)


def name(path: str) -> str:
    """The source name of a fault path ("/to-private" -> "to-private")."""
    return path.strip("/")
