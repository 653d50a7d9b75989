"""Safer Plan: one process, two front doors (family and practitioner), one service layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from app.config import Settings, load_settings
from app.crypto import FieldCipher
from app.db import Database, make_engine


@dataclass
class SaferPlan:
    """The WSGI application: the family door at /, the practitioner door at /practitioner."""

    settings: Settings
    database: Database
    family: Flask
    practitioner: Flask

    def __post_init__(self) -> None:
        self._dispatcher = DispatcherMiddleware(
            self.family.wsgi_app, {self.settings.practitioner.url_prefix: self.practitioner.wsgi_app}
        )

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self._dispatcher(environ, start_response)


def create_app(settings: Settings | None = None, database: Database | None = None) -> SaferPlan:
    """Build both doors from one set of settings (read from the environment when not given)."""
    settings = settings or load_settings()
    FieldCipher.configure(settings.field_encryption_keys)
    # Importing registers every table and the guard that keeps agreed versions frozen.
    import app.models
    import app.plans.immutability  # noqa: F401
    from app.family import create_family_app
    from app.practitioner import create_practitioner_app

    database = database or Database(make_engine(settings.database_url))
    return SaferPlan(
        settings=settings,
        database=database,
        family=create_family_app(settings, database),
        practitioner=create_practitioner_app(settings, database),
    )
