"""Typed, frozen settings read from the environment, built once for both front doors.

Both interfaces' settings come from one function (`load_settings`) so they cannot drift apart:
the only differences between the family and practitioner doors are the ones spelled out here.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Development may run without configuration; everything else must be told its secrets.
DEVELOPMENT = "development"
TEST = "test"
PRODUCTION = "production"
ENVIRONMENTS = (DEVELOPMENT, TEST, PRODUCTION)


class ConfigError(RuntimeError):
    """Raised when the environment does not describe a safe configuration."""


@dataclass(frozen=True)
class DoorSettings:
    """What differs between the two front doors: each has its own cookie and secret."""

    name: str
    cookie_name: str
    secret_key: str
    url_prefix: str


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment."""

    environment: str
    database_url: str
    public_origin: str
    field_encryption_keys: tuple[str, ...]
    family: DoorSettings
    practitioner: DoorSettings
    # The neutral name a young person sees on their home screen, in titles and in passkey prompts
    # (SECURITY.md R9, R18): nothing in it may reveal what the app is about.
    neutral_app_name: str = "Daybook"
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    family_session_absolute_days: int = 30
    invitation_valid_hours: int = 72
    webauthn_challenge_seconds: int = 300
    ratelimit_storage_uri: str = "memory://"
    # Off only where a machine, not a person, is the caller: the API fuzzer and the benchmarks send
    # thousands of requests a minute from one address. Production refuses it (_rate_limits).
    rate_limits: bool = True
    # Addresses of the reverse proxies in front of the app, whose X-Forwarded-For is believed when
    # rate limits decide whom a request counts against (app.web.limits.client_address).
    trusted_proxies: tuple[str, ...] = ()
    # Redis for live updates across processes and machines (app/live); "" fans out in this process only.
    redis_url: str = ""
    # How long one live stream stays open before the browser opens a new one (app/live).
    live_stream_seconds: int = 300
    # Closed plans are purged this long after closing (R28). The council's records policy decides
    # the figure; six years is a placeholder, not advice.
    retention_days: int = 2190
    # Jobs (app/jobs). PostgreSQL: procrastinate's workers LISTEN for new jobs; off behind PgBouncer
    # in transaction mode (they then poll every few seconds). SQLite: whether each app process runs
    # the periodic jobs (reminders, overdue notices, purges); off by default in tests.
    jobs_listen_notify: bool = True
    jobs_schedule: bool = True
    # Web Push to family phones (app/push): on unless WEB_PUSH=off. The VAPID key pair identifies this
    # server to the browsers' push services: the private key is base64url of the raw 32-byte P-256
    # scalar, the public key base64url of the uncompressed point (what pushManager.subscribe takes).
    web_push: bool = False
    vapid_private_key: str = ""
    vapid_public_key: str = ""
    vapid_subject: str = ""
    # Tests run a local push service on http://127.0.0.1; everywhere else an endpoint must be https.
    push_allow_local_http: bool = False
    # The string catalogs (translations/<code>/LC_MESSAGES/messages.po, compiled when the app starts).
    translations_dir: Path = PROJECT_ROOT / "translations"

    @property
    def is_development(self) -> bool:
        return self.environment == DEVELOPMENT

    @property
    def cookies_secure(self) -> bool:
        # Browsers refuse Secure cookies over plain http://localhost in some versions; everywhere
        # else the origin is https and the cookie must never travel in clear.
        return urlsplit(self.public_origin).scheme == "https"

    @property
    def rp_id(self) -> str:
        """WebAuthn relying-party id: the host of the public origin, exactly."""
        host = urlsplit(self.public_origin).hostname
        if not host:
            raise ConfigError("PUBLIC_ORIGIN has no host")
        return host


def _default_sqlite_url() -> str:
    instance = PROJECT_ROOT / "instance"
    instance.mkdir(exist_ok=True)
    return f"sqlite:///{instance / 'safer-plan.sqlite3'}"


def _secret(env: dict[str, str], name: str, environment: str) -> str:
    value = env.get(name, "")
    if value:
        if len(value) < 32:
            raise ConfigError(f"{name} must be at least 32 characters")
        return value
    if environment == PRODUCTION:
        raise ConfigError(f"{name} must be set outside development")
    if environment == TEST:
        # Tests get a fresh random secret per process: no default secret exists anywhere.
        return secrets.token_urlsafe(48)
    # Development makes a random secret once and keeps it in instance/, so every server worker
    # (and a restart) agrees on it. There is still no secret in the code.
    return _instance_secret(name.lower(), lambda: secrets.token_urlsafe(48))


def _instance_secret(name: str, make: Callable[[], str]) -> str:
    path = PROJECT_ROOT / "instance" / f"{name}.secret"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _encryption_keys(env: dict[str, str], environment: str) -> tuple[str, ...]:
    raw = env.get("FIELD_ENCRYPTION_KEYS", "")
    keys = tuple(k.strip() for k in raw.split(",") if k.strip())
    if keys:
        return keys
    if environment == PRODUCTION:
        raise ConfigError("FIELD_ENCRYPTION_KEYS must be set outside development")
    from cryptography.fernet import Fernet

    if environment == TEST:
        return (Fernet.generate_key().decode(),)
    # Development keeps its key in instance/ (outside the database) so restarts can still read
    # the data it encrypted.
    return (_instance_secret("field_encryption_key", lambda: Fernet.generate_key().decode()),)


def _positive_int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name, "")
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name} must be a whole number, at least 1")
    return int(raw)


def _ratelimit_storage(env: dict[str, str], environment: str) -> str:
    uri = env.get("RATELIMIT_STORAGE_URI", "memory://")
    if environment == PRODUCTION and uri.startswith("memory://"):
        # In-memory counts are per worker process: several workers (or machines) would each keep
        # their own, and the 6th password attempt would be refused only sometimes (R30). One
        # process counting in memory is what `make run` serves (gunicorn.conf.py); production
        # counts in shared storage whatever its shape.
        raise ConfigError("RATELIMIT_STORAGE_URI must name shared storage (e.g. redis://) outside development")
    return uri


def _rate_limits(env: dict[str, str], environment: str) -> bool:
    on = _on_off(env, "RATE_LIMITS", True)
    if not on and environment == PRODUCTION:
        # The limits are a security control (R30): no setting turns them off in production.
        raise ConfigError("RATE_LIMITS=off is for tests and benchmarks, never production")
    return on


def _addresses(env: dict[str, str], name: str) -> tuple[str, ...]:
    addresses = tuple(part.strip() for part in env.get(name, "").split(",") if part.strip())
    for address in addresses:
        try:
            ipaddress.ip_address(address)
        except ValueError:
            raise ConfigError(f"{name} must list IP addresses, separated by commas") from None
    return addresses


def _redis_url(env: dict[str, str], environment: str) -> str:
    url = env.get("REDIS_URL", "")
    if environment == PRODUCTION and not url.startswith(("redis://", "rediss://")):
        # Several processes each fanning out only to their own pages would miss most changes.
        raise ConfigError("REDIS_URL must name the Redis server that carries live updates in production")
    return url


def _on_off(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "")
    if not raw:
        return default
    if raw not in ("on", "off"):
        raise ConfigError(f"{name} must be on or off")
    return raw == "on"


def _new_vapid_private_key() -> str:
    from base64 import urlsafe_b64encode

    from cryptography.hazmat.primitives.asymmetric import ec

    scalar = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return urlsafe_b64encode(scalar.to_bytes(32, "big")).decode().rstrip("=")


def vapid_public_key_of(private_key: str) -> str:
    """The base64url uncompressed public point of a base64url raw VAPID private key."""
    from base64 import urlsafe_b64decode, urlsafe_b64encode

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    raw = urlsafe_b64decode(private_key + "=" * (-len(private_key) % 4))
    if len(raw) != 32:
        raise ValueError("a VAPID private key is 32 bytes")
    key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return urlsafe_b64encode(point).decode().rstrip("=")


class _PushSettings(TypedDict, total=False):
    web_push: bool
    vapid_private_key: str
    vapid_public_key: str
    vapid_subject: str
    push_allow_local_http: bool


def _web_push(env: dict[str, str], environment: str) -> _PushSettings:
    """Push on or off, and its VAPID keys: required in production only when push is on (the default)."""
    raw = env.get("WEB_PUSH", "on")
    if raw not in ("on", "off"):
        raise ConfigError("WEB_PUSH must be on or off")
    if raw == "off":
        return {"web_push": False}
    private = env.get("VAPID_PRIVATE_KEY", "")
    public = env.get("VAPID_PUBLIC_KEY", "")
    subject = env.get("VAPID_SUBJECT", "")
    if environment == PRODUCTION and not (private and public and subject):
        # A key made up at start would differ per machine and per restart, and every phone's
        # subscription is bound to the key it was made with: production must be told its pair.
        raise ConfigError("VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY and VAPID_SUBJECT must be set (or WEB_PUSH=off)")
    if not private:
        # Tests get a fresh pair per process; development keeps one in instance/ like its secrets.
        private = (
            _new_vapid_private_key()
            if environment == TEST
            else _instance_secret("vapid_private_key", _new_vapid_private_key)
        )
    try:
        derived = vapid_public_key_of(private)
    except ValueError:
        raise ConfigError("VAPID_PRIVATE_KEY must be base64url of a raw 32-byte P-256 key") from None
    if public and public.rstrip("=") != derived:
        raise ConfigError("VAPID_PUBLIC_KEY is not the public half of VAPID_PRIVATE_KEY")
    subject = subject or "mailto:push@localhost"
    if not subject.startswith(("mailto:", "https://")):
        raise ConfigError("VAPID_SUBJECT must be a mailto: (or https:) address the push services can reach")
    return {
        "web_push": True,
        "vapid_private_key": private,
        "vapid_public_key": derived,
        "vapid_subject": subject,
        "push_allow_local_http": environment == TEST and env.get("PUSH_ALLOW_LOCAL_HTTP", "") == "on",
    }


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build the settings for both doors from the environment (os.environ by default)."""
    env = dict(os.environ if env is None else env)
    environment = env.get("SAFER_PLAN_ENV", DEVELOPMENT)
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"SAFER_PLAN_ENV must be one of {', '.join(ENVIRONMENTS)}")
    port = env.get("PORT", "5000")
    public_origin = env.get("PUBLIC_ORIGIN", f"http://localhost:{port}").rstrip("/")
    if environment == PRODUCTION and not public_origin.startswith("https://"):
        raise ConfigError("PUBLIC_ORIGIN must be https outside development")
    secure_prefix = "__Host-" if public_origin.startswith("https://") else ""
    return Settings(
        environment=environment,
        database_url=env.get("DATABASE_URL") or _default_sqlite_url(),
        public_origin=public_origin,
        field_encryption_keys=_encryption_keys(env, environment),
        family=DoorSettings(
            name="family",
            cookie_name=f"{secure_prefix}daybook",
            secret_key=_secret(env, "FAMILY_SECRET_KEY", environment),
            url_prefix="",
        ),
        practitioner=DoorSettings(
            name="practitioner",
            cookie_name=f"{secure_prefix}sp_practitioner",
            secret_key=_secret(env, "PRACTITIONER_SECRET_KEY", environment),
            url_prefix="/practitioner",
        ),
        ratelimit_storage_uri=_ratelimit_storage(env, environment),
        rate_limits=_rate_limits(env, environment),
        trusted_proxies=_addresses(env, "TRUSTED_PROXIES"),
        redis_url=_redis_url(env, environment),
        live_stream_seconds=_positive_int(env, "LIVE_STREAM_SECONDS", 300),
        retention_days=_positive_int(env, "RETENTION_DAYS", 2190),
        jobs_listen_notify=_on_off(env, "JOBS_LISTEN_NOTIFY", True),
        jobs_schedule=_on_off(env, "JOBS_SCHEDULE", environment != TEST),
        **_web_push(env, environment),
    )
