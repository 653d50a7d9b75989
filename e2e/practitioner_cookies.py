"""Run as `python -m e2e.practitioner_cookies` with the server's environment (LiveServer.run_module).

Signed-in cookies for the practitioners whose pages only a few tests open (the police agency
partner, the admin), without their password and passkey steps: the password form takes five
tries a minute from one address, and Sam's sign-ins already use most of a run's. The session is
a real server-side one, made as sign-in makes it (tests/support/server.py). Prints one line of
JSON: for each email, the cookie's name and value.
"""

from __future__ import annotations

import json

from sqlmodel import select

from app import create_app
from app.auth.models import AccountKind
from app.config import load_settings
from app.people.models import Practitioner
from tests.support.server import sign_in

EMAILS = ("rhys.hughes@example.org", "dana.whitfield@example.org", "alex.morgan@example.org")


def main() -> None:
    settings = load_settings()
    application = create_app(settings)
    cookies: dict[str, dict[str, str]] = {}
    with application.database.session() as session:
        for email in EMAILS:
            person = session.exec(select(Practitioner).where(Practitioner.email == email)).one()
            signed_in = sign_in(
                session=session,
                door=settings.practitioner,
                account_kind=AccountKind.PRACTITIONER,
                account_id=person.id or 0,
            )
            name, _equals, value = signed_in.cookie.partition("=")
            cookies[email] = {"name": name, "value": value}
        session.commit()
    application.database.engine.dispose()
    print(json.dumps(cookies), flush=True)


if __name__ == "__main__":
    main()
