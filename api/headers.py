"""Security headers, as ASGI middleware: every response says ``nosniff``; every HTML page gets a
Content-Security-Policy and may not be framed.

The policy fits the pages as they are built: scripts and style sheets only from this server
(``web/static``, the vendored YASGUI, Swagger UI, ReDoc and Cytoscape.js — no inline script),
``fetch`` only to this server. Inline *styles* stay allowed: Cytoscape.js, YASGUI and ReDoc set
them at run time. A response that brings its own policy keeps it (the self-contained HTML
export, whose scripts are inline and which may connect nowhere).

>>> policy = dict(d.split(" ", 1) for d in PAGE_POLICY.split("; "))
>>> policy["script-src"], policy["frame-ancestors"], policy["connect-src"]
("'self'", "'none'", "'self'")
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
# a downloaded interactive HTML export: its own inline code, nothing fetched, nothing sent
STANDALONE_POLICY = "; ".join((
    "default-src 'none'",
    "script-src 'unsafe-inline'",
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
))
ALWAYS = ((b"x-content-type-options", b"nosniff"),)
HTML_ONLY = (
    (b"content-security-policy", PAGE_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)


class SecurityHeaders:
    """Add the headers to each response start, without touching its body (streams stay streams)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                extra = ALWAYS + (HTML_ONLY if content_type.startswith(b"text/html") else ())
                headers += [(name, value) for name, value in extra if name not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
