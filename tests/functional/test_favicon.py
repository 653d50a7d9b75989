"""Small screens and polish (issue 8): /favicon.ico answered on every page of both doors, not a 404.

Browsers ask each site for /favicon.ico unless a page names its icon, and a 404 there is an error
in the console on every page. Both doors now name a neutral icon (the app's plain notebook, R18)
and the root answers /favicon.ico to anyone, signed in or not, like any static file.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session

from tests.factories import plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient

ICON_LINK = re.compile(r'<link rel="icon" href="([^"]+)"')


def test_favicon_ico_is_an_icon_for_anyone(family_client: CsrfClient) -> None:
    response = family_client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.get_data()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "public" in response.headers["Cache-Control"]
    response.close()


@pytest.fixture
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """An agreed plan, so the young person's home page is his plan, not "not found"."""
    return plans.agreed_plan(db, case.child, plans.statement("text Mum when I leave school"), by=case.worker)


def test_pages_of_both_doors_name_an_icon_that_loads(
    family_client: CsrfClient,
    practitioner_client: CsrfClient,
    as_young_person: CsrfClient,
    as_worker: CsrfClient,
    jordans_plan: plans.AgreedPlan,
) -> None:
    assert as_young_person.get("/").status_code == 200
    for client, path in [
        (family_client, "/sign-in"),
        (as_young_person, "/"),
        (practitioner_client, "/sign-in"),
        (as_worker, "/"),
        (practitioner_client, "/no-such-page"),
    ]:
        page = client.get(path).get_data(as_text=True)
        found = ICON_LINK.search(page)
        assert found, f"{path}: no icon named"
        icon = client.get(found.group(1).replace("&amp;", "&"))
        assert icon.status_code == 200 and icon.mimetype.startswith("image/"), (path, found.group(1))
        icon.close()
