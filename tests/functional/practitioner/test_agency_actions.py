"""An agency partner's page keeps what was typed on every refusal (R29) and never overwrites (R24)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from app.people.models import Agency
from app.plans.inputs import AgencyActionInput
from app.plans.models import AgencyActionKind
from tests.factories import people, plans
from tests.factories.fixtures import SignIn
from tests.factories.people import Case
from tests.support import bad_input as bad
from tests.support.clients import CsrfClient


@pytest.fixture
def rhys(db: Session, case: Case, sign_in: SignIn) -> CsrfClient:
    """PC Hughes, police partner on Jordan's case, whose agreed plan has one police action."""
    police = people.police_partner(db, case.child)
    plans.agreed_plan(
        db,
        case.child,
        AgencyActionInput(
            agency=Agency.POLICE,
            kind=AgencyActionKind.INCREASE_SAFETY,
            action="set up the Police Trigger Plan",
            due_on=date(2026, 11, 2),
        ),
        by=case.worker,
    )
    return sign_in(police)


def _post(client: CsrfClient, case: Case, **form: str) -> tuple[int, str]:
    response = client.post(f"/children/{case.child.id}/agency-actions", data=form)
    return response.status_code, response.get_data(as_text=True)


def test_after_a_conflict_saving_again_keeps_my_words_on_purpose(rhys: CsrfClient, case: Case) -> None:
    """The 409 shows what is saved now, keeps my words in the boxes, and the form carries the
    saved revision: pressing Save again replaces it, knowingly."""
    action = bad.agency_action_forms(rhys.get(f"/children/{case.child.id}/agency-actions").get_data(as_text=True))[0]
    ids = {"action_id": str(action.action_id), "revision": str(action.revision)}
    status, _page = _post(rhys, case, **ids, action="their words", due_on="2026-12-07", repeats="every Monday")
    assert status == 303
    status, page = _post(rhys, case, **ids, action="my words", due_on="2026-12-11", repeats="every Friday")
    assert status == 409
    assert any("their words" in alert for alert in bad.alerts(page)), "the alert does not show what is saved now"
    mine = next(f for f in bad.agency_action_forms(page) if f.action_id == action.action_id)
    assert (mine.action, mine.due_on, mine.repeats) == ("my words", "2026-12-11", "every Friday")
    assert mine.revision == action.revision + 1
    status, _page = _post(
        rhys, case, action_id=str(action.action_id), revision=str(mine.revision), action="my words", due_on="2026-12-11"
    )
    assert status == 303
    saved = bad.agency_action_forms(rhys.get(f"/children/{case.child.id}/agency-actions").get_data(as_text=True))
    assert next(f for f in saved if f.action_id == action.action_id).action == "my words"


def test_a_refusal_for_an_action_that_is_not_mine_is_not_found(rhys: CsrfClient, case: Case) -> None:
    """Text is checked before the service looks the action up: an action id that is not this
    agency's still answers "not found", never the form with someone else's action (R2)."""
    for action_id in (bad.MISSING_ID, "0", "\u0661", bad.BEYOND_64_BITS):
        status, _page = _post(rhys, case, action_id=action_id, revision="1", action="\u200b", due_on="x")
        assert status == 404, action_id


def test_someone_who_may_not_edit_never_sees_the_forms_refusal(
    rhys: CsrfClient, as_worker: CsrfClient, case: Case
) -> None:
    # The police action is real (Rhys's to edit), but Sam may not edit agency actions.
    action = bad.agency_action_forms(rhys.get(f"/children/{case.child.id}/agency-actions").get_data(as_text=True))[0]
    status, page = _post(as_worker, case, action_id=str(action.action_id), revision="1", action="x" * 1001)
    assert status == 404
    assert "There is a problem" not in page
