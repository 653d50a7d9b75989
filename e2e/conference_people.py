"""Run as `python -m e2e.conference_people` with the server's environment (LiveServer.run_module).

The people of a context conference the demo lacks or whose pages only the conference test opens:
Hana Okafor, the Adolescent Safety Hub's co-ordinator (added once: the demo has no Hub worker),
and Priya Shah, the demo's independent chair. Prints one line of JSON: for each email, a signed-in
cookie's name and value (a real server-side session, as practitioner_cookies makes them).
"""

from __future__ import annotations

import json

from sqlmodel import select

from app import create_app
from app.auth.inputs import AccountInput
from app.auth.models import AccountKind
from app.auth.practitioner_accounts import create_practitioner
from app.config import load_settings
from app.demo.seed import DEMO_PASSWORD
from app.people.models import Agency, Practitioner, PractitionerRole
from e2e.practitioner_cookies import _cookie
from tests.support.hub import HUB_EMAIL

CHAIR_EMAIL = "priya.shah@example.org"
SAM_EMAIL = "sam.okafor@example.org"


def main() -> None:
    settings = load_settings()
    application = create_app(settings)
    cookies: dict[str, dict[str, str]] = {}
    with application.database.session() as session:
        if session.exec(select(Practitioner).where(Practitioner.email == HUB_EMAIL)).first() is None:
            sam = session.exec(select(Practitioner).where(Practitioner.email == SAM_EMAIL)).one()
            create_practitioner(
                session=session,
                account=AccountInput(
                    email=HUB_EMAIL,
                    display_name="Hana Okafor",
                    role=PractitionerRole.LEAD_PROFESSIONAL,
                    agency=Agency.ADOLESCENT_SAFETY_HUB,
                    team="Adolescent Safety Hub",
                    password=DEMO_PASSWORD,
                ),
                # The demo's hash: argon2 is slow, and this account never signs in with a password.
                password_hash=sam.password_hash,
            )
            session.commit()
        for email in (HUB_EMAIL, CHAIR_EMAIL):
            person = session.exec(select(Practitioner).where(Practitioner.email == email)).one()
            cookies[email] = _cookie(session, settings.practitioner, AccountKind.PRACTITIONER, person.id or 0)
        session.commit()
    application.database.engine.dispose()
    print(json.dumps(cookies), flush=True)


if __name__ == "__main__":
    main()
