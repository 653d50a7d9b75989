"""`flask --app app <command>`: the host app carries the project's commands and lists both doors' routes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from flask.cli import routes_command

from app import SaferPlan

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_routes_lists_every_route_of_both_doors(application: SaferPlan) -> None:
    result = application.test_cli_runner().invoke(routes_command)
    assert result.exit_code == 0, result.output
    listed = result.output
    for door in (application.family, application.practitioner):
        prefix = application.settings.practitioner.url_prefix if door is application.practitioner else ""
        for rule in door.url_map.iter_rules():
            assert f"{door.config['DOOR'].name}:{rule.endpoint}" in listed
            assert f"{prefix}{rule.rule}" in listed
    assert "/practitioner/children/<int:child_id>" in listed and "/c/<int:child_id>" in listed


def test_the_project_commands_are_on_the_host(application: SaferPlan) -> None:
    commands = application.cli.list_commands(click.Context(application.cli))
    assert {"setup", "migrate", "demo", "dev-links", "rotate-keys", "purge-closed", "worker"} <= set(commands)


def test_flask_app_finds_the_app(database_url: str) -> None:
    """The real command line, as a newcomer types it: `flask --app app routes`."""
    env = {**os.environ, "SAFER_PLAN_ENV": "test", "DATABASE_URL": database_url}
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    routes = subprocess.run([*flask, "routes"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)  # noqa: S603 - our own fixed command
    assert routes.returncode == 0, routes.stderr
    assert "practitioner:practitioner.caseload" in routes.stdout and "family:family.plan" in routes.stdout


def test_the_host_hands_requests_to_the_doors(application: SaferPlan) -> None:
    """The host serves nothing itself: / is the family door, /practitioner/... the practitioner door."""
    client = application.test_client()
    family = client.get("/sign-in")
    practitioner = client.get("/practitioner/sign-in")
    assert family.status_code == 200 and "daybook" in (family.headers.get("Set-Cookie") or "daybook")
    assert practitioner.status_code == 200
    assert 'name="password"' in practitioner.get_data(as_text=True)
    assert 'name="password"' not in family.get_data(as_text=True)


def test_the_worker_command_on_sqlite_says_jobs_run_in_the_app(application: SaferPlan) -> None:
    if application.settings.database_url.startswith("postgresql"):
        pytest.skip("on PostgreSQL the worker runs jobs (tests/functional/jobs/test_postgres_worker.py)")
    result = application.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code == 0 and "jobs run inside the app's own processes" in result.output
