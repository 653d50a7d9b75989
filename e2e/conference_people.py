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
from app.auth.models import AccountKind
from app.config import load_settings
from app.people.models import Practitioner
from e2e.practitioner_cookies import _cookie
from tests.support.hub import HUB_EMAIL, add_hub_worker_beside

CHAIR_EMAIL = "priya.shah@example.org"
SAM_EMAIL = "sam.okafor@example.org"


def main() -> None:
    settings = load_settings()
    application = create_app(settings)
    cookies: dict[str, dict[str, str]] = {}
    with application.database.session() as session:
        if session.exec(select(Practitioner).where(Practitioner.email == HUB_EMAIL)).first() is None:
            add_hub_worker_beside(session, SAM_EMAIL)
            session.commit()
        for email in (HUB_EMAIL, CHAIR_EMAIL):
            person = session.exec(select(Practitioner).where(Practitioner.email == email)).one()
            cookies[email] = _cookie(session, settings.practitioner, AccountKind.PRACTITIONER, person.id or 0)
        session.commit()
    application.database.engine.dispose()
    print(json.dumps(cookies), flush=True)


if __name__ == "__main__":
    main()
