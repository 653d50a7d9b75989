"""Command line: `python -m app.cli setup|migrate|demo|dev-links|rotate-keys|purge...`.

`make run` calls `setup`, which migrates, loads the demo data into an empty development
database, and prints the ways in as each demo person.
"""

from __future__ import annotations

import argparse
import sys

from alembic import command
from alembic.config import Config

from app.config import PROJECT_ROOT, Settings, load_settings


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    # Alembic's ini interpolation treats % specially; URLs may contain percent-escapes.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def migrate(settings: Settings) -> None:
    print("• Applying database migrations…", flush=True)
    command.upgrade(alembic_config(settings.database_url), "head")


def load_demo_if_empty(settings: Settings) -> bool:
    from app import create_app
    from app.demo.seed import is_empty, load_demo

    if not settings.is_development:
        print("• Demo data is only loaded in development; skipping.", flush=True)
        return False
    application = create_app(settings)
    with application.database.session() as session:
        if not is_empty(session):
            print("• Database already has data; demo not loaded again.", flush=True)
            return False
        print("• Loading fictional demo data (Jordan's plan)…", flush=True)
        load_demo(session)
    return True


def print_dev_links(settings: Settings) -> None:
    from sqlmodel import col, select

    from app import create_app
    from app.demo.dev_links import make_dev_link_token
    from app.demo.seed import DEMO_PASSWORD
    from app.people.models import FamilyLink, FamilyMember, Practitioner

    if not settings.is_development:
        return
    application = create_app(settings)
    origin = settings.public_origin
    with application.database.session() as session:
        rows = session.exec(select(FamilyMember, FamilyLink).join(FamilyLink)).all()
        print("\nWays in (development only):", flush=True)
        print(f"  Practitioners (password {DEMO_PASSWORD} at {origin}/practitioner/sign-in, then a", flush=True)
        print("  passkey; or these links, which skip the passkey step in development only):", flush=True)
        for practitioner in session.exec(select(Practitioner).order_by(col(Practitioner.id))).all():
            token = make_dev_link_token(
                secret_key=settings.practitioner.secret_key,
                account_kind="practitioner",
                account_id=practitioner.id or 0,
            )
            print(f"    {practitioner.display_name} <{practitioner.email}>: {origin}/practitioner/dev/sign-in/{token}")
        print("  Family side, one link per person (valid 12 hours):", flush=True)
        for member, link in rows:
            token = make_dev_link_token(
                secret_key=settings.family.secret_key, account_kind="family", account_id=member.id or 0
            )
            print(f"    {member.display_name} ({link.role}): {origin}/dev/sign-in/{token}", flush=True)
        print("", flush=True)


def rotate_keys(settings: Settings, *, batch_size: int) -> None:
    """Re-encrypt every sensitive field with the first key, so the others can be dropped (R27)."""
    from app.crypto import FieldCipher
    from app.db import make_engine
    from app.keys import KeyRotationError
    from app.keys import rotate_keys as rotate_all

    keys = settings.field_encryption_keys
    FieldCipher.configure(keys)
    if len(keys) < 2:
        print("• Only one key in FIELD_ENCRYPTION_KEYS: to retire a key, list the new one first.", flush=True)
    print("• Re-encrypting sensitive fields with the first key in FIELD_ENCRYPTION_KEYS…", flush=True)
    engine = make_engine(settings.database_url)
    try:
        # One transaction: a failure part way leaves every value as it was (still readable, since
        # the old keys are still listed), never half the database on each key.
        with engine.begin() as connection:
            results = rotate_all(connection=connection, batch_size=batch_size)
    except KeyRotationError as exc:
        raise SystemExit(f"• Nothing was changed: {exc}") from exc
    finally:
        engine.dispose()
    # Counts only: values (even encrypted ones) never go to the terminal.
    for result in results:
        print(f"  {result.table}: {result.values} values in {result.rows} rows", flush=True)
    total = sum(result.values for result in results)
    print(f"• Re-encrypted {total} values in {len(results)} tables; the other keys can now be removed.", flush=True)


def purge_closed(settings: Settings) -> None:
    from datetime import timedelta

    from app import create_app
    from app.plans.lifecycle import purge_closed_plans

    application = create_app(settings)
    with application.database.transaction() as session:
        result = purge_closed_plans(session=session, retention=timedelta(days=settings.retention_days))
    print(
        f"• Purged {result.plans} closed plans, {result.children} young people's records and "
        f"{result.family_members} family accounts (retention {settings.retention_days} days).",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.cli", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("demo", help="load demo data into an empty development database")
    sub.add_parser("dev-links", help="print development sign-in links for the demo people")
    sub.add_parser("setup", help="migrate, load demo data if empty, print dev links")
    rotate = sub.add_parser(
        "rotate-keys", help="re-encrypt every sensitive field with the first key in FIELD_ENCRYPTION_KEYS"
    )
    rotate.add_argument("--batch-size", type=int, default=500, help="rows read and written at a time")
    sub.add_parser("purge-closed", help="delete plans closed longer ago than RETENTION_DAYS (R28)")
    args = parser.parse_args(argv)
    settings = load_settings()
    if args.command in ("migrate", "setup"):
        migrate(settings)
    if args.command in ("demo", "setup"):
        load_demo_if_empty(settings)
    if args.command in ("dev-links", "setup"):
        print_dev_links(settings)
    if args.command == "rotate-keys":
        rotate_keys(settings, batch_size=args.batch_size)
    if args.command == "purge-closed":
        purge_closed(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
