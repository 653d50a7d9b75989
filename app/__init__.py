"""Safer Plan: one process, front doors on one service layer.

`create_app()` builds the host: a Flask app that serves nothing itself but hands each request to
a door (werkzeug's DispatcherMiddleware): the family door at /, the practitioner door at
/practitioner, the practitioner API at /api/v1. Each cookie door is a Flask app with its own
cookie, secret and sign-in; the API door takes personal access tokens and no cookie at all. The host carries
the project's commands, so `flask --app app <command>` works (see app.commands).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.routing import Rule

from app.config import PROJECT_ROOT, Settings, load_settings
from app.crypto import FieldCipher
from app.db import Database, make_engine


class SaferPlan(Flask):
    """The host app: its WSGI callable dispatches to the doors, which it keeps as attributes."""

    settings: Settings
    database: Database
    family: Flask
    practitioner: Flask
    api: Flask

    def doors(self) -> dict[str, Flask]:
        """Each door by the path it is mounted at ("" for the root)."""
        from app.api.door import API_PREFIX

        return {"": self.family, self.settings.practitioner.url_prefix: self.practitioner, API_PREFIX: self.api}


def create_app(settings: Settings | None = None, database: Database | None = None) -> SaferPlan:
    """Build the doors from one set of settings (read from the environment when not given)."""
    settings = settings or load_settings()
    FieldCipher.configure(settings.field_encryption_keys)
    # Importing registers every table and the guard that keeps agreed versions frozen.
    import app.models
    import app.plans.immutability  # noqa: F401
    from app.api.door import create_api_app
    from app.commands import register_commands
    from app.family import create_family_app
    from app.jobs.queue import configure as configure_jobs
    from app.languages.catalogs import compile_catalogs
    from app.live.changes import attach as attach_live_updates
    from app.practitioner import create_practitioner_app

    compile_catalogs(settings.translations_dir)  # only the stale ones: usually nothing to do
    host = SaferPlan(__name__, root_path=str(PROJECT_ROOT / "app"), static_folder=None)
    host.settings = settings
    host.database = database or Database(make_engine(settings.database_url))
    attach_live_updates(host.database.engine, settings.redis_url)
    configure_jobs(settings, host.database)
    host.family = create_family_app(settings, host.database)
    host.practitioner = create_practitioner_app(settings, host.database)
    host.api = create_api_app(settings, host.database)
    mounted: dict[str, Any] = {prefix: door.wsgi_app for prefix, door in host.doors().items() if prefix}
    host.wsgi_app = DispatcherMiddleware(host.family.wsgi_app, mounted)  # type: ignore[method-assign]
    _mirror_routes(host)
    register_commands(host)
    return host


def _mirror_routes(host: SaferPlan) -> None:
    """List every door's rules in the host's URL map (prefixed, endpoints named by door), so
    `flask --app app routes` shows all of them. The host never routes a request itself."""
    for prefix, door in host.doors().items():
        host.url_map.converters.update(door.url_map.converters)
        for rule in door.url_map.iter_rules():
            methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
            endpoint = f"{door.config['DOOR'].name}:{rule.endpoint}"
            host.url_map.add(Rule(prefix + rule.rule, endpoint=endpoint, methods=methods))
