"""The address guard: the polite client never talks to a private, loopback or otherwise non-public address.

Settings that drive it: `allow_private_addresses` (when true, `PoliteClient` neither calls `check_address` nor
mounts `GuardedAdapter`; for tests and the demo only) and `allowed_networks` (networks in CIDR form that pass
even so, e.g. a practice's intranet form server, or 127.0.0.0/8 for tests that must still see every other
private address refused).

A host must not resolve to a private, loopback, link-local, multicast, reserved, CGNAT or
IPv4-mapped/6to4-wrapped private address (`address_refusal`). The check runs twice: on `socket.getaddrinfo`
results before any connection (`check_address`), and again on the peer of every new socket
(`GuardedAdapter`, whose urllib3 connection subclasses vet `getpeername()` in `_new_conn`), so a DNS answer
that changes between the two (DNS rebinding) cannot slip through.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from urllib.parse import SplitResult, urlsplit

import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from pipeline.errors import AddressRefused, FetchError

logger = logging.getLogger(__name__)

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_resolve = socket.getaddrinfo  # module-level so a test can simulate DNS answers (rebinding)


def address_refusal(address: str, allowed: tuple[str, ...] = ()) -> str | None:
    """Why this IP address may not be fetched (e.g. "a loopback address (127.0.0.1)"), or None if public
    or inside one of the `allowed` networks."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        ip = ip.ipv4_mapped or ip.sixtofour or ip
    if any(ip in ipaddress.ip_network(net, strict=False) for net in allowed if _same_version(ip, net)):
        return None
    checks = (("loopback", ip.is_loopback), ("link-local", ip.is_link_local), ("unspecified", ip.is_unspecified),
              ("multicast", ip.is_multicast), ("reserved", ip.is_reserved), ("CGNAT", ip.version == 4 and ip in _CGNAT),
              ("private", ip.is_private), ("non-public", not ip.is_global))
    for label, refused in checks:
        if refused:
            return f"a {label} address ({ip})"
    return None


def _same_version(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, net: str) -> bool:
    return ipaddress.ip_network(net, strict=False).version == ip.version


def check_address(url: str, allowed: tuple[str, ...] = ()) -> None:
    """Raise AddressRefused when the URL's host is or resolves to a non-public address outside `allowed`;
    FetchError if unresolvable."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        addresses = [host] if _is_ip(host) else _resolved(host, parts)
    except (OSError, UnicodeError, ValueError) as exc:
        raise FetchError(url, f"cannot resolve {host!r}: {exc}", transient=True) from exc
    for address in addresses:
        reason = address_refusal(address, allowed)
        if reason:
            logger.warning("refused %s: %s resolves to %s", url, host, reason)
            raise AddressRefused(url, f"{host} resolves to {reason}")


def _resolved(host: str, parts: SplitResult) -> list[str]:
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return [info[4][0] for info in _resolve(host, port, type=socket.SOCK_STREAM)]


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# -- vetting every new socket -----------------------------------------------------------------------------

class _PeerCheck:
    """Refuses a freshly connected socket whose peer address is not public (defeats DNS rebinding)."""

    allowed: tuple[str, ...] = ()

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        reason = address_refusal(sock.getpeername()[0], self.allowed)
        if reason:
            sock.close()
            raise AddressRefused(f"//{self.host}", f"{self.host} connected to {reason}")  # type: ignore[attr-defined]
        return sock


class _GuardedHTTPConnection(_PeerCheck, urllib3.connection.HTTPConnection):
    pass


class _GuardedHTTPSConnection(_PeerCheck, urllib3.connection.HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """An HTTPAdapter whose pools vet the peer of every new connection (networks in `allowed` pass)."""

    def __init__(self, allowed: tuple[str, ...] = ()) -> None:
        self.allowed = tuple(allowed)
        super().__init__()

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        """Set up urllib3's pool manager with the guarded pool classes for http and https."""
        super().init_poolmanager(*args, **kwargs)  # type: ignore[arg-type]
        pools = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}
        if self.allowed:  # pool and connection classes carry the allowed networks of this adapter only
            pools = {scheme: type(pool.__name__, (pool,), {"ConnectionCls": type(
                pool.ConnectionCls.__name__, (pool.ConnectionCls,), {"allowed": self.allowed})})
                for scheme, pool in pools.items()}
        self.poolmanager.pool_classes_by_scheme = pools
