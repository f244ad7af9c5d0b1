"""`plaudit serve staff` and `plaudit serve public`: the web apps on uvicorn, bound to 127.0.0.1 unless told otherwise.

The public app runs with uvloop and httptools and without an access log of its own (the reverse proxy keeps
one; a log line per request would cost it a large share of its throughput).
"""

from __future__ import annotations

import ipaddress
import sys
from typing import TextIO

from pipeline.settings import Settings

EXIT_OK, EXIT_USAGE = 0, 2
PUBLIC_PORT = 8100


def is_loopback(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# What each app says when asked to listen beyond this machine: refused without --allow-remote, warned with it.
_REMOTE = {
    "staff": ("plaudit: refusing to serve the staff app on {host}: it shows patient text. Add --allow-remote if "
              "other machines must reach it, behind HTTPS.",
              "WARNING: the staff app will accept connections on {host}. Put it behind an HTTPS reverse proxy "
              "(session cookies are only marked Secure over HTTPS) and set staff_origin to its https:// address."),
    "public": ("plaudit: refusing to listen on {host}: that accepts connections from other machines. Put the public "
               "app behind a reverse proxy with HTTPS on 127.0.0.1, or add --allow-remote if you mean it.",
               "WARNING: the public app will listen on {host} over plain HTTP. Visitors' browsers need HTTPS: run a "
               "reverse proxy (Caddy or nginx) with a certificate in front of it."),
}


def check_bind(host: str, allow_remote: bool, err: TextIO, app: str = "staff") -> bool:
    """Refuse a non-loopback address without --allow-remote; warn to use HTTPS when it is allowed."""
    if is_loopback(host):
        return True
    refusal, warning = _REMOTE[app]
    print((warning if allow_remote else refusal).format(host=host), file=err)
    return allow_remote


def serve_staff(settings: Settings, host: str, port: int, allow_remote: bool, err: TextIO | None = None) -> int:
    """Run the staff app until interrupted."""
    err = err or sys.stderr
    if not check_bind(host, allow_remote, err):
        return EXIT_USAGE
    import uvicorn

    from web.staff.app import create_app

    print(f"staff app: http://{host}:{port}/ (store {settings.internal_db})", file=err)
    # proxy headers only from a proxy on this machine, so a client cannot claim to be HTTPS or another address
    uvicorn.run(create_app(settings), host=host, port=port, proxy_headers=True, forwarded_allow_ips="127.0.0.1",
                server_header=False, log_level="info")
    return EXIT_OK


def serve_public(settings: Settings, host: str, port: int, allow_remote: bool, err: TextIO | None = None) -> int:
    """Run the public app (API, widget, review form) until interrupted."""
    err = err or sys.stderr
    if not check_bind(host, allow_remote, err, app="public"):
        return EXIT_USAGE
    import uvicorn

    from web.public.app import create_app

    print(f"public app: http://{host}:{port}/ (widget /widget.js, sample page /example.html, review form /review; "
          f"reading {settings.public_db})", file=err, flush=True)
    uvicorn.run(create_app(settings), host=host, port=port, loop="uvloop", http="httptools", server_header=False,
                proxy_headers=True, forwarded_allow_ips="127.0.0.1", log_level=settings.log_level.lower(),
                access_log=False)
    return EXIT_OK
