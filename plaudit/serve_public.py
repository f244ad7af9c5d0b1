"""`plaudit serve public`: the public app on uvicorn (uvloop and httptools), bound to 127.0.0.1 by default.

Listening on any other address needs --allow-remote, and then says plainly that the app speaks plain HTTP:
put a reverse proxy with HTTPS in front of it (README, "How a website uses it").
"""

from __future__ import annotations

import ipaddress
import sys
from typing import TextIO

from pipeline.errors import ConfigError
from pipeline.settings import Settings

DEFAULT_PORT = 8100


def is_loopback(host: str) -> bool:
    """Whether a listen address only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, allow_remote: bool, err: TextIO = sys.stderr) -> None:
    """Refuse a non-loopback address without --allow-remote; warn about HTTPS when it is allowed."""
    if is_loopback(host):
        return
    if not allow_remote:
        raise ConfigError(f"refusing to listen on {host}: that accepts connections from other machines. Put the "
                          f"app behind a reverse proxy with HTTPS on 127.0.0.1, or pass --allow-remote if you mean it")
    print(f"warning: listening on {host} over plain HTTP. Visitors' browsers need HTTPS: run a reverse proxy "
          f"(Caddy or nginx) with a certificate in front of this app.", file=err)


def serve_public(settings: Settings, host: str, port: int, allow_remote: bool = False) -> int:
    """Run the public app until interrupted."""
    check_bind(host, allow_remote)
    import uvicorn

    from web.public.app import create_app

    print(f"public app for {settings.practice_name} on http://{host}:{port}/ (widget: /widget.js, sample page: "
          f"/example.html, review form: /review); reading {settings.public_db}", flush=True)
    # No access log of its own: the reverse proxy keeps one, and a log line per request would cost the app a
    # large share of its throughput.
    uvicorn.run(create_app(settings), host=host, port=port, loop="uvloop", http="httptools", server_header=False,
                proxy_headers=True, forwarded_allow_ips="127.0.0.1", log_level=settings.log_level.lower(),
                access_log=False)
    return 0
