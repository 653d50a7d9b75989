"""Run as `python -m e2e.practitioner_cookies` with the server's environment (LiveServer.run_module).

Signed-in cookies for the practitioners whose pages only a few tests open (the police agency
partner, the admin, Alex writing Kay's plan or adding a young person, Sam on the two-server test, Morgan
running the MACE panel),
without their password and passkey steps: the password form takes five
tries a minute from one address, and Sam's sign-ins already use most of a run's. The session is
a real server-side one, made as sign-in makes it (tests/support/server.py). The demo family's
young person and parent get one too, for tests that drive two servers at once (the passkey
ceremony is bound to one origin). Prints one line of JSON: for each email (or "young_person",
"parent_carer"), the cookie's name and value.
"""

from __future__ import annotations

import json

from sqlmodel import Session, select

from app import create_app
from app.auth.models import AccountKind
from app.config import DoorSettings, load_settings
from app.people.models import FamilyLink, FamilyRole, Practitioner
from tests.support.server import sign_in

EMAILS = (
    "rhys.hughes@example.org",
    "dana.whitfield@example.org",
    "sam.okafor@example.org",
    "alex.morgan@example.org",
    "morgan.lee@example.org",
)
FAMILY_ROLES = (FamilyRole.YOUNG_PERSON, FamilyRole.PARENT_CARER)


def _cookie(session: Session, door: DoorSettings, kind: AccountKind, account_id: int) -> dict[str, str]:
    signed_in = sign_in(session=session, door=door, account_kind=kind, account_id=account_id)
    name, _equals, value = signed_in.cookie.partition("=")
    return {"name": name, "value": value}


def main() -> None:
    settings = load_settings()
    application = create_app(settings)
    cookies: dict[str, dict[str, str]] = {}
    with application.database.session() as session:
        for email in EMAILS:
            person = session.exec(select(Practitioner).where(Practitioner.email == email)).one()
            cookies[email] = _cookie(session, settings.practitioner, AccountKind.PRACTITIONER, person.id or 0)
        for role in FAMILY_ROLES:
            # The demo's first link of each role: Jordan, and Lisa (his mum).
            link = session.exec(select(FamilyLink).where(FamilyLink.role == role).order_by(FamilyLink.id)).first()
            if link is not None:
                cookies[role.value] = _cookie(session, settings.family, AccountKind.FAMILY, link.member_id)
        session.commit()
    application.database.engine.dispose()
    print(json.dumps(cookies), flush=True)


if __name__ == "__main__":
    main()
