"""The project's commands, on the host app: `flask --app app <command>`.

    flask --app app setup          migrate, load the demo into an empty development database, print the ways in
    flask --app app migrate        apply database migrations
    flask --app app demo           load the fictional demo data (development only, empty database only)
    flask --app app dev-links      print development sign-in links for the demo people
    flask --app app rotate-keys    re-encrypt every sensitive field with the first key (R27)
    flask --app app purge-closed   delete plans closed longer ago than RETENTION_DAYS (R28)
    flask --app app routes         every route of every door
    flask --app app worker         run the job worker (PostgreSQL; on SQLite jobs run in the app)

`make run` calls `setup`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import click
from alembic import command
from alembic.config import Config

from app.config import PROJECT_ROOT, Settings

if TYPE_CHECKING:
    from app import SaferPlan


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    # Alembic's ini interpolation treats % specially; URLs may contain percent-escapes.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def migrate(settings: Settings) -> None:
    click.echo("• Applying database migrations…")
    command.upgrade(alembic_config(settings.database_url), "head")


def load_demo_if_empty(host: SaferPlan) -> bool:
    from app.demo.seed import is_empty, load_demo

    if not host.settings.is_development:
        click.echo("• Demo data is only loaded in development; skipping.")
        return False
    with host.database.session() as session:
        if not is_empty(session):
            click.echo("• Database already has data; demo not loaded again.")
            return False
        click.echo("• Loading fictional demo data (Jordan's plan)…")
        load_demo(session)
    return True


def print_dev_links(host: SaferPlan) -> None:
    from sqlmodel import col, select

    from app.demo.dev_links import make_dev_link_token
    from app.demo.seed import DEMO_PASSWORD
    from app.people.models import FamilyLink, FamilyMember, Practitioner

    settings = host.settings
    if not settings.is_development:
        return
    origin = settings.public_origin
    with host.database.session() as session:
        rows = session.exec(select(FamilyMember, FamilyLink).join(FamilyLink)).all()
        click.echo("\nWays in (development only):")
        click.echo(f"  Practitioners (password {DEMO_PASSWORD} at {origin}/practitioner/sign-in, then a")
        click.echo("  passkey; or these links, each good for one sign-in, which skip the passkey step):")
        for practitioner in session.exec(select(Practitioner).order_by(col(Practitioner.id))).all():
            token = make_dev_link_token(
                secret_key=settings.practitioner.secret_key,
                account_kind="practitioner",
                account_id=practitioner.id or 0,
            )
            who = f"{practitioner.display_name} <{practitioner.email}>"
            click.echo(f"    {who}: {origin}/practitioner/dev/sign-in/{token}")
        click.echo("  Family side, one link per person (each good for one sign-in within 12 hours):")
        for member, link in rows:
            token = make_dev_link_token(
                secret_key=settings.family.secret_key, account_kind="family", account_id=member.id or 0
            )
            click.echo(f"    {member.display_name} ({link.role}): {origin}/dev/sign-in/{token}")
    print_dev_api_tokens(host)
    click.echo("")


# The demo's two workers: Sam holds Jordan's case, Alex Kayla's (object-level access, side by side).
DEV_API_TOKEN_EMAILS = ("sam.okafor@example.org", "alex.morgan@example.org")


def print_dev_api_tokens(host: SaferPlan) -> None:
    """One read-only API token for Sam (Jordan's worker) and one for Alex (Kayla's), for a day."""
    from app.api.door import API_PREFIX
    from app.demo.dev_links import make_dev_api_tokens

    if not host.settings.is_development:
        return
    with host.database.transaction() as session:
        made = make_dev_api_tokens(session=session, emails=DEV_API_TOKEN_EMAILS)
        lines = [f"    {p.display_name} <{p.email}>: {raw}" for p, raw in made]
    if not lines:
        return
    origin = host.settings.public_origin
    click.echo("  Practitioner API tokens (read only, for a day; the last run's are revoked):")
    for line in lines:
        click.echo(line)
    click.echo(f'  Try: curl -H "Authorization: Bearer <token>" {origin}{API_PREFIX}/children')


def rotate_keys(settings: Settings, *, batch_size: int) -> None:
    """Re-encrypt every sensitive field with the first key, so the others can be dropped (R27)."""
    from app.crypto import FieldCipher
    from app.db import make_engine
    from app.keys import KeyRotationError
    from app.keys import rotate_keys as rotate_all

    keys = settings.field_encryption_keys
    FieldCipher.configure(keys)
    if len(keys) < 2:
        click.echo("• Only one key in FIELD_ENCRYPTION_KEYS: to retire a key, list the new one first.")
    click.echo("• Re-encrypting sensitive fields with the first key in FIELD_ENCRYPTION_KEYS…")
    engine = make_engine(settings.database_url)
    try:
        # One transaction: a failure part way leaves every value as it was (still readable, since
        # the old keys are still listed), never half the database on each key.
        with engine.begin() as connection:
            results = rotate_all(connection=connection, batch_size=batch_size)
    except KeyRotationError as exc:
        raise click.ClickException(f"Nothing was changed: {exc}") from exc
    finally:
        engine.dispose()
    # Counts only: values (even encrypted ones) never go to the terminal.
    for result in results:
        click.echo(f"  {result.table}: {result.values} values in {result.rows} rows")
    total = sum(result.values for result in results)
    click.echo(f"• Re-encrypted {total} values in {len(results)} tables; the other keys can now be removed.")


def purge_closed(host: SaferPlan) -> None:
    from app.plans.lifecycle import purge_closed_plans

    days = host.settings.retention_days
    with host.database.transaction() as session:
        result = purge_closed_plans(session=session, retention=timedelta(days=days))
    click.echo(
        f"• Purged {result.plans} closed plans, {result.children} young people's records and "
        f"{result.family_members} family accounts (retention {days} days)."
    )


def register_commands(host: SaferPlan) -> None:
    """Add the project's commands to the host's `flask` command line."""

    @host.cli.command("migrate")
    def migrate_command() -> None:
        """Apply database migrations."""
        migrate(host.settings)

    @host.cli.command("demo")
    def demo_command() -> None:
        """Load fictional demo data into an empty development database."""
        load_demo_if_empty(host)

    @host.cli.command("dev-links")
    def dev_links_command() -> None:
        """Print development sign-in links for the demo people."""
        print_dev_links(host)

    @host.cli.command("setup")
    def setup_command() -> None:
        """Migrate, load demo data if the database is empty, print the ways in (development)."""
        migrate(host.settings)
        load_demo_if_empty(host)
        print_dev_links(host)

    @host.cli.command("rotate-keys")
    @click.option("--batch-size", default=500, show_default=True, help="rows read and written at a time")
    def rotate_keys_command(batch_size: int) -> None:
        """Re-encrypt every sensitive field with the first key in FIELD_ENCRYPTION_KEYS."""
        rotate_keys(host.settings, batch_size=batch_size)

    from app.jobs.commands import register as register_worker

    register_worker(host)

    @host.cli.command("purge-closed")
    def purge_closed_command() -> None:
        """Delete plans closed longer ago than RETENTION_DAYS (R28)."""
        purge_closed(host)
