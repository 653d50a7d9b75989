"""Typed config: no default secrets outside development, https in production."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from app.config import ConfigError, load_settings, vapid_public_key_of

# A VAPID pair as `web-push generate-vapid-keys` prints it (base64url raw private key).
VAPID_PRIVATE = "vplWfBrSJP3jyc7Dz3eSR_OBSBtnwkLNf2VXZ7QGTXo"

GOOD = {
    "SAFER_PLAN_ENV": "production",
    "PUBLIC_ORIGIN": "https://plans.example.org",
    "DATABASE_URL": "postgresql+psycopg://app@db/app",
    "FAMILY_SECRET_KEY": "f" * 40,
    "PRACTITIONER_SECRET_KEY": "p" * 40,
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
    "REDIS_URL": "redis://127.0.0.1:6379",
    "VAPID_PRIVATE_KEY": VAPID_PRIVATE,
    "VAPID_PUBLIC_KEY": vapid_public_key_of(VAPID_PRIVATE),
    "VAPID_SUBJECT": "mailto:daybook-ops@example.org",
}


def test_production_settings_load_when_complete() -> None:
    settings = load_settings(GOOD)
    assert settings.cookies_secure and settings.rp_id == "plans.example.org"
    assert settings.family.cookie_name != settings.practitioner.cookie_name
    assert settings.family.secret_key != settings.practitioner.secret_key


@pytest.mark.parametrize(
    "missing",
    [
        "FAMILY_SECRET_KEY",
        "PRACTITIONER_SECRET_KEY",
        "FIELD_ENCRYPTION_KEYS",
        "RATELIMIT_STORAGE_URI",
        "REDIS_URL",
        "VAPID_PRIVATE_KEY",
        "VAPID_PUBLIC_KEY",
        "VAPID_SUBJECT",
    ],
)
def test_production_refuses_to_start_without_secrets(missing: str) -> None:
    env = {k: v for k, v in GOOD.items() if k != missing}
    with pytest.raises(ConfigError):
        load_settings(env)


def test_production_refuses_plain_http_and_short_secrets() -> None:
    with pytest.raises(ConfigError):
        load_settings({**GOOD, "PUBLIC_ORIGIN": "http://plans.example.org"})
    with pytest.raises(ConfigError):
        load_settings({**GOOD, "FAMILY_SECRET_KEY": "short"})


def test_settings_are_frozen() -> None:
    settings = load_settings(GOOD)
    with pytest.raises(AttributeError):
        settings.environment = "development"  # type: ignore[misc]


@pytest.mark.parametrize("name", ["LIVE_STREAM_SECONDS", "RETENTION_DAYS"])
@pytest.mark.parametrize("value", ["0", "-5", "1.5", "five", "\uff15"])
def test_counts_of_seconds_or_days_refuse_anything_but_a_whole_number_from_1(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"^{name} must be a whole number, at least 1"):
        load_settings({"SAFER_PLAN_ENV": "test", name: value})
    assert getattr(load_settings({"SAFER_PLAN_ENV": "test", name: "7"}), name.lower()) == 7


def test_rate_limits_are_on_unless_a_test_or_benchmark_turns_them_off() -> None:
    assert load_settings(GOOD).rate_limits is True
    assert load_settings({"SAFER_PLAN_ENV": "test", "RATE_LIMITS": "off"}).rate_limits is False
    # A security control: production refuses to run without it, and a typo is not "off".
    with pytest.raises(ConfigError):
        load_settings({**GOOD, "RATE_LIMITS": "off"})
    with pytest.raises(ConfigError):
        load_settings({"SAFER_PLAN_ENV": "test", "RATE_LIMITS": "no"})


def test_jobs_settings_say_on_or_off_and_tests_schedule_nothing_by_default() -> None:
    assert load_settings(GOOD).jobs_schedule is True and load_settings(GOOD).jobs_listen_notify is True
    assert load_settings({"SAFER_PLAN_ENV": "test"}).jobs_schedule is False
    assert load_settings({"SAFER_PLAN_ENV": "test", "JOBS_SCHEDULE": "on"}).jobs_schedule is True
    assert load_settings({**GOOD, "JOBS_LISTEN_NOTIFY": "off"}).jobs_listen_notify is False
    with pytest.raises(ConfigError, match="JOBS_SCHEDULE must be on or off"):
        load_settings({"SAFER_PLAN_ENV": "test", "JOBS_SCHEDULE": "yes"})


def test_production_without_push_needs_no_vapid_keys() -> None:
    env = {k: v for k, v in GOOD.items() if not k.startswith("VAPID_")}
    settings = load_settings({**env, "WEB_PUSH": "off"})
    assert not settings.web_push and settings.vapid_private_key == ""


def test_a_vapid_public_key_that_is_not_the_private_keys_half_is_refused() -> None:
    other = vapid_public_key_of("A" * 42 + "E")
    with pytest.raises(ConfigError):
        load_settings({**GOOD, "VAPID_PUBLIC_KEY": other})
    with pytest.raises(ConfigError):
        load_settings({**GOOD, "VAPID_PRIVATE_KEY": "not-a-key"})
    with pytest.raises(ConfigError):
        load_settings({**GOOD, "VAPID_SUBJECT": "ops@example.org"})


def test_tests_get_a_fresh_vapid_pair_and_local_http_only_when_asked() -> None:
    first = load_settings({"SAFER_PLAN_ENV": "test", "PUSH_ALLOW_LOCAL_HTTP": "on"})
    second = load_settings({"SAFER_PLAN_ENV": "test"})
    assert first.web_push and first.vapid_private_key != second.vapid_private_key
    assert first.vapid_public_key == vapid_public_key_of(first.vapid_private_key)
    assert first.push_allow_local_http and not second.push_allow_local_http
    production = load_settings({**GOOD, "PUSH_ALLOW_LOCAL_HTTP": "on"})
    assert not production.push_allow_local_http
