"""Run as `python -m e2e.open_sessions` against the e2e server's database and secrets (LiveServer.
run_module): open full sessions for the demo manager and admin, as if both had signed in with
their password and passkey, and print their cookies as one line of JSON.

For pages only they can open (the audit log): a password sign-in is limited to five a minute per
address and the run already makes four, so these two skip the ceremony the sign-in tests prove.
"""

from __future__ import annotations

import json

from sqlmodel import select

from app import create_app
from app.auth.models import AccountKind
from app.config import load_settings
from app.people.models import Practitioner
from tests.support.server import sign_in

# The demo's manager (Adolescent Safety Team, Jordan's team) and admin (app/demo/seed.py).
PEOPLE = {"manager": "morgan.lee@example.org", "admin": "dana.whitfield@example.org"}


def main() -> None:
    settings = load_settings()
    application = create_app(settings)
    door = settings.practitioner
    cookies: dict[str, dict[str, str]] = {}
    with application.database.session() as session:
        for who, email in PEOPLE.items():
            practitioner = session.exec(select(Practitioner).where(Practitioner.email == email)).one()
            signed_in = sign_in(
                session=session, door=door, account_kind=AccountKind.PRACTITIONER, account_id=practitioner.id or 0
            )
            name, value = signed_in.cookie.split("=", 1)
            cookies[who] = {"name": name, "value": value}
        session.commit()
    application.database.engine.dispose()
    print(json.dumps(cookies), flush=True)


if __name__ == "__main__":
    main()
