"""Run as `python -m e2e.prepare_database` with DATABASE_URL set: migrate, load the demo people.

A separate process, so Alembic's logging setup and the app's engine never live in the pytest
process. Prints the demo people's ids as one line of JSON for the test session to read.
"""

from __future__ import annotations

import dataclasses
import json

from app import create_app
from app.config import load_settings
from app.demo.seed import load_demo
from tests.support.database import migrate


def main() -> None:
    settings = load_settings()
    migrate(settings.database_url)
    # Same FIELD_ENCRYPTION_KEYS as the server (both read them from the environment), so the
    # server can read the names and phone numbers encrypted here.
    application = create_app(settings)
    with application.database.session() as session:
        people = load_demo(session)
    application.database.engine.dispose()
    print(json.dumps(dataclasses.asdict(people)), flush=True)


if __name__ == "__main__":
    main()
