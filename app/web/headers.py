"""Security headers on every response, errors included (SECURITY.md R13, R14, R15)."""

from __future__ import annotations

from flask import Response, current_app
from werkzeug.datastructures import Headers

# No inline script or style anywhere: htmx runs with allowEval=false and its indicator styles
# come from our stylesheet. The quick-exit destination is a plain link, not a form, so
# form-action can stay 'self'.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)

STATIC_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


# HTTPS only, for two years (what browsers' preload lists recommend; one year is their floor), on
# every answer of an https origin: after one visit, a phone on hostile Wi-Fi never tries plain http
# first, so the Secure cookies are never offered over a connection someone can strip (R13).
# No includeSubDomains or preload: those bind every host under the origin's name, which is the
# operator's decision for their whole domain (README "Production"), not this app's.
STRICT_TRANSPORT_SECURITY = "max-age=63072000"


def _https_only() -> bool:
    """True where the origin is https (always outside development): cookies are Secure there too."""
    settings = current_app.config.get("SAFER_PLAN")
    return bool(settings is not None and settings.cookies_secure)


# The same headers with their names lowered once, for `apply_security_headers`'s one look.
_STATIC_HEADERS_BY_LOWER_NAME = tuple((name.lower(), name, value) for name, value in STATIC_HEADERS.items())
_ALWAYS_VARY = ("HX-Request", "Cookie")


def apply_security_headers(response: Response, *, no_store: bool, is_static: bool) -> Response:
    """The security headers the answer lacks, its caching, and what it varies on.

    A header the view or an extension already set is kept (a page may set its own policy), as
    `setdefault` would. But werkzeug's headers are a list: every `setdefault` or `set` looks through
    the whole list, lowering each name, so the ten headers below cost about 6% of a plan page's
    answered-304 instructions. Here the names present are lowered once, and a header the answer
    lacks is added without a look; Vary is written once (two `vary.add`s parse and rewrite it twice)."""
    headers = response.headers
    present = {name.lower() for name, _value in headers}
    for lower_name, name, value in _STATIC_HEADERS_BY_LOWER_NAME:
        if lower_name not in present:
            headers.add(name, value)
    if _https_only() and "strict-transport-security" not in present:
        headers.add("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if is_static:
        # Static files are versioned by content, so phones on poor signal can keep them.
        if "cache-control" not in present:
            headers.add("Cache-Control", "public, max-age=86400")
    elif no_store:
        _put(headers, present, "Cache-Control", "no-store")
        _put(headers, present, "Pragma", "no-cache")
    if "vary" in present:
        response.vary.update(_ALWAYS_VARY)
    else:
        headers.add("Vary", ", ".join(_ALWAYS_VARY))
    return response


def _put(headers: Headers, present: set[str], name: str, value: str) -> None:
    """Set `name` to `value`, replacing any value it had; added without a look if it had none."""
    if name.lower() in present:
        headers[name] = value
    else:
        headers.add(name, value)


# What a file named by its content hash never needs: it is kept a year and never asked for again,
# so nothing revalidates it (Last-Modified, Expires beside max-age), nothing downloads it by name,
# and it is the same bytes for everyone (no Vary on the cookie or htmx). On a phone's first visit
# that is ~170 bytes of headers for each of ten files (issue 13: the first visit's 45 KB).
IMMUTABLE_NEEDS_NONE_OF = ("Last-Modified", "Expires", "Content-Disposition", "Accept-Ranges")


def trim_immutable(response: Response) -> None:
    """Drop from an immutable static answer the headers it cannot use; the security headers stay."""
    for name in IMMUTABLE_NEEDS_NONE_OF:
        response.headers.pop(name, None)
    encodings = "Accept-Encoding" in response.vary
    response.vary.clear()  # a cleared Vary drops the header
    if encodings:
        response.vary.add("Accept-Encoding")  # a proxy must still keep brotli apart from gzip
