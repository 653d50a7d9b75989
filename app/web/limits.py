"""Rate limits, one limiter per door (SECURITY.md R11, R20)."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# Each door has its own limiter so counts on one never throttle the other.
family_limiter = Limiter(key_func=get_remote_address, default_limits=["300 per minute"])
practitioner_limiter = Limiter(key_func=get_remote_address, default_limits=["300 per minute"])

# Sign-in attempts: five a minute per address, then 429.
SIGN_IN_LIMIT = "5 per minute"
# Passkey ceremonies make two calls each (options, then verify); allow a few retries.
PASSKEY_LIMIT = "20 per minute"
