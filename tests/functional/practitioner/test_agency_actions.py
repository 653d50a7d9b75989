"""An agency partner's page keeps what was typed on every refusal (R29) and never overwrites (R24)."""

from __future__ import annotations

from sqlmodel import Session

from app import SaferPlan
from app.demo.seed import DemoPeople
from tests.support import bad_input as bad
from tests.support.clients import CsrfClient


def _rhys(application: SaferPlan, db: Session, demo: DemoPeople) -> CsrfClient:
    return bad.practitioner_client(application, db, demo.agency_partner_email)


def _post(client: CsrfClient, demo: DemoPeople, **form: str) -> tuple[int, str]:
    response = client.post(f"/children/{demo.jordan_id}/agency-actions", data=form)
    return response.status_code, response.get_data(as_text=True)


def test_after_a_conflict_saving_again_keeps_my_words_on_purpose(
    application: SaferPlan, db: Session, demo: DemoPeople
) -> None:
    """The 409 shows what is saved now, keeps my words in the boxes, and the form carries the
    saved revision: pressing Save again replaces it, knowingly."""
    rhys = _rhys(application, db, demo)
    action = bad.agency_action_forms(rhys.get(f"/children/{demo.jordan_id}/agency-actions").get_data(as_text=True))[0]
    ids = {"action_id": str(action.action_id), "revision": str(action.revision)}
    status, _page = _post(rhys, demo, **ids, action="their words", due_on="2026-12-07", repeats="every Monday")
    assert status == 303
    status, page = _post(rhys, demo, **ids, action="my words", due_on="2026-12-11", repeats="every Friday")
    assert status == 409
    assert any("their words" in alert for alert in bad.alerts(page)), "the alert does not show what is saved now"
    mine = next(f for f in bad.agency_action_forms(page) if f.action_id == action.action_id)
    assert (mine.action, mine.due_on, mine.repeats) == ("my words", "2026-12-11", "every Friday")
    assert mine.revision == action.revision + 1
    status, _page = _post(
        rhys, demo, action_id=str(action.action_id), revision=str(mine.revision), action="my words", due_on="2026-12-11"
    )
    assert status == 303
    saved = bad.agency_action_forms(rhys.get(f"/children/{demo.jordan_id}/agency-actions").get_data(as_text=True))
    assert next(f for f in saved if f.action_id == action.action_id).action == "my words"


def test_a_refusal_for_an_action_that_is_not_mine_is_not_found(
    application: SaferPlan, db: Session, demo: DemoPeople
) -> None:
    """Text is checked before the service looks the action up: an action id that is not this
    agency's still answers "not found", never the form with someone else's action (R2)."""
    rhys = _rhys(application, db, demo)
    for action_id in (bad.MISSING_ID, "0", "\u0661", bad.BEYOND_64_BITS):
        status, _page = _post(rhys, demo, action_id=action_id, revision="1", action="\u200b", due_on="x")
        assert status == 404, action_id


def test_someone_who_may_not_edit_never_sees_the_forms_refusal(
    application: SaferPlan, db: Session, demo: DemoPeople, allocated_worker: CsrfClient
) -> None:
    status, page = _post(allocated_worker, demo, action_id="1", revision="1", action="x" * 1001)
    assert status == 404
    assert "There is a problem" not in page
