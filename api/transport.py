"""The HTTP protocol of `msme-kg serve`: uvicorn's httptools protocol, with TCP_NODELAY set.

httptools (C) rather than uvicorn's pure-Python h11: 0.06–0.1 ms less per request, a fifth of
what a loopback round trip through the app costs with no query (bench/RESULTS.md §5).

TCP_NODELAY: with several workers, uvicorn's parent binds the listening socket itself (protocol number
0) and the workers accept from it; asyncio sets TCP_NODELAY only on sockets whose protocol is
IPPROTO_TCP, so those connections kept Nagle's algorithm and a keep-alive client waited for its
delayed ACK on every response — 44–48 ms per request instead of 3 ms (bench/RESULTS.md §5).
A single-process server binds through asyncio and already had it; it uses the same protocol.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


def set_nodelay(transport: asyncio.BaseTransport) -> None:
    """Send small writes at once on a TCP connection (no-op for other transports)."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_nodelay(transport)
        super().connection_made(transport)


PROTOCOL = f"{__name__}:{NoDelayHttpToolsProtocol.__name__}"  # as uvicorn's `http` setting takes it
