"""HTTP(S) connections to the exact address that was checked (no DNS rebinding).

The host name is resolved once, per connection; every address it gave is checked, and the
socket connects to one of those very addresses. The Host header, TLS SNI and certificate check
still use the name, so https works as usual.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import urllib.request
from typing import Any

#: Which non-public addresses may be reached: none (False), all (True, tests), or exactly
#: these (IP, port) pairs (the demo's own loopback sites).
Allowance = bool | frozenset[tuple[str, int]]


class AddressRefused(ValueError):
    """The host resolves to an address the prefill may not reach (or to none)."""


def _allowed(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, port: int, allow: Allowance
) -> bool:
    if address.is_global or allow is True:
        return True
    return isinstance(allow, frozenset) and (str(address), port) in allow


def checked_addresses(host: str, port: int, allow_private: Allowance) -> list[tuple[Any, ...]]:
    """getaddrinfo's answers for host:port, once; AddressRefused if any is neither global nor
    allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressRefused(f"Cannot find the host {host}.") from exc
    if not infos:
        raise AddressRefused(f"Cannot find the host {host}.")
    if allow_private is not True:
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            if not _allowed(address, port, allow_private):
                raise AddressRefused("That address is on a private network and cannot be read.")
    return infos


def connect_checked(
    address: tuple[str, int],
    # http.client's own default (typeshed leaves the private sentinel out).
    timeout: Any = socket._GLOBAL_DEFAULT_TIMEOUT,  # type: ignore[attr-defined]  # noqa: SLF001
    source_address: Any = None,
    *,
    allow_private: Allowance = False,
) -> socket.socket:
    """A socket connected to one of the checked addresses of address's host."""
    host, port = address
    last: OSError | None = None
    for family, kind, proto, _, sockaddr in checked_addresses(host, port, allow_private):
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]  # noqa: SLF001
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            last = exc
            sock.close()
    raise last or OSError(f"cannot connect to {host}")


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTPConnection whose socket goes to a checked address of its host."""

    def __init__(self, *args: Any, allow_private: Allowance = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(connect_checked, allow_private=allow_private)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same for https: the socket is pinned, SNI and the certificate check use the name."""

    def __init__(self, *args: Any, allow_private: Allowance = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(connect_checked, allow_private=allow_private)


class PinnedHTTPHandler(urllib.request.HTTPHandler):
    """urllib's http handler on pinned connections."""

    def __init__(self, allow_private: Allowance = False) -> None:
        super().__init__()
        self.allow_private = allow_private

    def http_open(self, req: urllib.request.Request) -> Any:
        """Open with a PinnedHTTPConnection."""
        factory = functools.partial(PinnedHTTPConnection, allow_private=self.allow_private)
        return self.do_open(factory, req)


class PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    """urllib's https handler on pinned connections."""

    def __init__(self, allow_private: Allowance = False) -> None:
        super().__init__()
        self.allow_private = allow_private

    def https_open(self, req: urllib.request.Request) -> Any:
        """Open with a PinnedHTTPSConnection."""
        factory = functools.partial(PinnedHTTPSConnection, allow_private=self.allow_private)
        # HTTPSHandler keeps its SSL context in a private attribute typeshed does not declare.
        return self.do_open(factory, req, context=self._context)  # type: ignore[attr-defined]


def pinned_opener(
    *handlers: Any, allow_private: Allowance = False
) -> urllib.request.OpenerDirector:
    """An opener whose every connection (redirects too) is pinned; no environment proxies."""
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        PinnedHTTPHandler(allow_private),
        PinnedHTTPSHandler(allow_private),
        *handlers,
    )
