"""R4 for the contexts map (issue 12 item 7): what the map holds never reaches the family side.

A person of concern's description and a peer group's described member are canaries; every family
page is fetched as each family role and none may hold them. The map itself shows them to the Hub
(so the test is not hollow).
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app import SaferPlan
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from tests.security.test_canaries import _family_get_pages
from tests.support.clients import CsrfClient, make_client
from tests.support.contexts import contexts_world
from tests.support.signin import sign_in_as

PERSON_OF_CONCERN = "canary-person-of-concern-6d2e"
DESCRIBED_MEMBER = "canary-group-member-a71c"


@pytest.mark.usefixtures("streams_say_all_at_once")
@pytest.mark.parametrize("role", ["young_person", "parent", "trusted_adult"])
def test_a_person_of_concern_never_appears_on_any_family_page(
    request: pytest.FixtureRequest, application: SaferPlan, db: Session, demo: DemoPeople, role: str
) -> None:
    world = contexts_world(db, demo, person=PERSON_OF_CONCERN, described=DESCRIBED_MEMBER)
    hub = make_client(application.practitioner)
    sign_in_as(hub, session=db, account_kind=AccountKind.PRACTITIONER, account_id=world.hana_id)
    on_the_map = hub.get("/contexts").get_data(as_text=True)
    assert PERSON_OF_CONCERN in on_the_map and DESCRIBED_MEMBER in on_the_map
    client: CsrfClient = request.getfixturevalue(role)
    pages = _family_get_pages(application.family, demo)
    assert len(pages) >= 4
    leaks = []
    for path in pages:
        response = client.get(path)
        assert response.status_code < 500, path
        body = response.get_data(as_text=True)
        response.close()
        leaks += [f"{canary} on {path}" for canary in (PERSON_OF_CONCERN, DESCRIBED_MEMBER) if canary in body]
    assert leaks == []
