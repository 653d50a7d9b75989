"""Rate limits, one limiter per door (SECURITY.md R11, R20), one count per limit (R30).

The counts live in RATELIMIT_STORAGE_URI: Redis in production (app.config requires shared
storage there), memory in development, where gunicorn runs one process (gunicorn.conf.py) so
memory is one count too.
"""

from __future__ import annotations

import ipaddress

from flask import current_app, request
from flask_limiter import Limiter


def client_address() -> str:
    """Whom a request counts against: the address that connected, or, when that is a proxy the app
    trusts (TRUSTED_PROXIES), the address the proxy says it served. That is the last entry of
    X-Forwarded-For, the one the proxy added itself; anything before it came from the client and
    may be made up. Without this, behind a proxy every phone would share the proxy's count."""
    peer = request.remote_addr or "unknown"
    settings = current_app.config.get("SAFER_PLAN")
    if settings is None or peer not in settings.trusted_proxies:
        return peer
    forwarded = request.headers.get("X-Forwarded-For", "").rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return peer


# Each door has its own limiter so counts on one never throttle the other.
family_limiter = Limiter(key_func=client_address, default_limits=["300 per minute"])
practitioner_limiter = Limiter(key_func=client_address, default_limits=["300 per minute"])

# Sign-in attempts: five a minute per address, then 429.
SIGN_IN_LIMIT = "5 per minute"
# Passkey ceremonies make two calls each (options, then verify); allow a few retries.
PASSKEY_LIMIT = "20 per minute"
