"""Send one neutral notice to one phone through its push service (pywebpush, VAPID, aes128gcm).

The payload is the neutral app name, one fixed sentence in the member's language and the plan's
address (R18): nothing a person wrote, no names, nothing about the child. The push service sees
only that something was sent; the phone decrypts the rest. A `Topic` lets a newer notice replace
an older one still waiting for the phone to come online, so a phone is told once, not ten times.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from babel.support import Translations
from flask import current_app
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush
from requests import RequestException, Response
from sqlmodel import Session

from app.config import Settings
from app.db import Database
from app.languages import DEFAULT_LANGUAGE, FAMILY_LANGUAGES
from app.people.models import FamilyMember
from app.push.models import PushSubscription
from app.timeutil import utcnow

log = logging.getLogger(__name__)


def _(message: str) -> str:
    """Marks a string for the family catalog; it is translated per member when sent (_notice)."""
    return message


NOTICE = _("Something new for you")
# One topic for every notice: a newer one replaces an older one the push service still holds.
TOPIC = "something-new"
# Held by the push service up to a day for a phone that is off; after that the plan says it anyway.
TIME_TO_LIVE = 24 * 60 * 60
# Connect and read limits for one push service call: a slow push service never holds a request long.
TIMEOUT = (3.05, 5.0)
# How long to wait after a 429 that gave no usable Retry-After.
DEFAULT_RETRY = timedelta(minutes=5)


class Result(StrEnum):
    SENT = "sent"
    GONE = "gone"  # 404/410: the phone unsubscribed or the browser was reset; the row is deleted
    RETRY = "retry"  # 429: too many; `retry_at` says when the push service will take it
    FAILED = "failed"  # anything else: logged, nothing else happens
    NO_SUBSCRIPTION = "no_subscription"


@dataclass(frozen=True)
class Outcome:
    """What became of one send; `retry_at` is set only for Result.RETRY (a job queue re-defers to it)."""

    result: Result
    retry_at: datetime | None = None
    status: int | None = None


def runtime() -> tuple[Settings, Database]:
    """The settings and database of the app this runs in (any door, or the host app)."""
    app: Any = current_app
    database = app.extensions.get("safer_plan_db") or app.database
    settings = app.config.get("SAFER_PLAN") or app.settings
    return settings, database


def endpoint_allowed(endpoint: str, settings: Settings) -> bool:
    """Only https push services; tests may allow a local receiver on http://127.0.0.1."""
    parts = urlsplit(endpoint)
    if parts.scheme == "https" and parts.hostname:
        return True
    return settings.push_allow_local_http and parts.scheme == "http" and parts.hostname == "127.0.0.1"


def _notice(language: str | None, settings: Settings) -> str:
    chosen = language if language in FAMILY_LANGUAGES else DEFAULT_LANGUAGE
    translations = Translations.load(str(settings.translations_dir), [chosen])
    return str(translations.gettext(NOTICE))


def payload(*, language: str | None, url: str, settings: Settings | None = None) -> bytes:
    """The whole notice: neutral name, one fixed sentence, where to open (R18)."""
    settings = settings or runtime()[0]
    body = {"title": settings.neutral_app_name, "body": _notice(language, settings), "url": url}
    return json.dumps(body, separators=(",", ":")).encode()


def _claims(endpoint: str, settings: Settings) -> dict[str, str | int]:
    # A fresh dict for every call: pywebpush writes `aud` and `exp` into the one it is given (#130).
    parts = urlsplit(endpoint)
    return {
        "sub": settings.vapid_subject,
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int(time.time()) + 12 * 3600,
    }


def _retry_at(response: Response | None) -> datetime:
    """When the push service said to come back (Retry-After: seconds or an HTTP date)."""
    raw = (response.headers.get("Retry-After", "") if response is not None else "").strip()
    now = utcnow()
    if raw.isascii() and raw.isdigit():
        return now + timedelta(seconds=min(int(raw), 24 * 3600))
    try:
        when = parsedate_to_datetime(raw) if raw else None
    except (TypeError, ValueError):
        when = None
    if when is None or when.tzinfo is None:
        return now + DEFAULT_RETRY
    return max(when, now)


def _deliver(session: Session, subscription: PushSubscription, settings: Settings, url: str) -> Outcome:
    member = session.get(FamilyMember, subscription.member_id)
    if member is None or member.disabled_at is not None:
        session.delete(subscription)
        return Outcome(Result.GONE)
    try:
        response = webpush(
            {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
            data=payload(language=member.language, url=url, settings=settings),
            vapid_private_key=Vapid02.from_raw(settings.vapid_private_key.encode()),
            vapid_claims=_claims(subscription.endpoint, settings),
            timeout=TIMEOUT,
            ttl=TIME_TO_LIVE,
            headers={"Topic": TOPIC, "Urgency": "normal"},
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in (404, 410):
            session.delete(subscription)
            return Outcome(Result.GONE, status=status)
        if status == 429:
            return Outcome(Result.RETRY, retry_at=_retry_at(exc.response), status=status)
        # The endpoint is a capability URL: log only the service's host and the status.
        log.warning("push to %s failed with %s", urlsplit(subscription.endpoint).hostname, status)
        return Outcome(Result.FAILED, status=status)
    except (RequestException, ValueError) as exc:
        log.warning("push to %s failed: %s", urlsplit(subscription.endpoint).hostname, type(exc).__name__)
        return Outcome(Result.FAILED)
    subscription.last_sent_at = utcnow()
    return Outcome(Result.SENT, status=response.status_code)


def send_one(
    subscription_id: int,
    child_id: int | None = None,
    *,
    settings: Settings | None = None,
    database: Database | None = None,
) -> Outcome:
    """Send the neutral notice to one subscription, in its own transaction; never raises for the push
    service's sake. Opens the child's plan when tapped (the family home when no child is given).
    A job passes its own settings and database (app.jobs); a request's app context is used otherwise."""
    if settings is None or database is None:
        settings, database = runtime()
    if not settings.web_push:
        return Outcome(Result.FAILED)
    url = f"/c/{child_id}" if child_id is not None else "/"
    try:
        with database.transaction() as session:
            subscription = session.get(PushSubscription, subscription_id)
            if subscription is None:
                return Outcome(Result.NO_SUBSCRIPTION)
            if not endpoint_allowed(subscription.endpoint, settings):
                session.delete(subscription)
                return Outcome(Result.GONE)
            return _deliver(session, subscription, settings, url)
    except Exception:
        # A database hiccup while sending: the change that caused it is already committed.
        log.exception("could not send a push notice")
        return Outcome(Result.FAILED)
