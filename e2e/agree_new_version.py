"""Run as `python -m e2e.agree_new_version` with the server's environment (LiveServer.run_module).

Jordan's social worker changes the draft and agrees it as a new version, through the service layer,
as the practitioner side will once it has a page for agreeing: two new "I can" statements, a new person
to call, a new safe word and a later review date. There is no such page yet, so the browser test
for "what's new" makes the change this way. Prints the new review date as one line of JSON.
"""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from app import create_app
from app.actors import Actor
from app.auth.models import AccountKind
from app.config import load_settings
from app.people.models import Child, Practitioner
from app.plans import edits, versions
from app.plans.inputs import ContactInput, StatementInput
from app.timeutil import utcnow

SAM = "sam.okafor@example.org"


def main() -> None:
    application = create_app(load_settings())
    with application.database.session() as session:
        sam = session.exec(select(Practitioner).where(Practitioner.email == SAM)).one()
        actor = Actor(kind=AccountKind.PRACTITIONER, account_id=sam.id or 0)
        jordan = next(c for c in session.exec(select(Child)).all() if c.preferred_name == "Jordan")
        plan = versions.open_plan_for_child(session=session, child_id=jordan.id or 0)
        assert plan is not None
        draft = versions.draft_of(session=session, plan_id=plan.id or 0)
        vid = draft.id or 0
        edits.add_item(
            session=session,
            actor=actor,
            version_id=vid,
            item=StatementInput(moment="everyday", kind="can", text="go to youth club on Tuesdays"),
        )
        # Two: "what's new" counts them ("2 new things"), whatever else earlier tests left in the draft.
        edits.add_item(
            session=session,
            actor=actor,
            version_id=vid,
            item=StatementInput(moment="everyday", kind="can", text="ask Coach Ray about Saturday training"),
        )
        edits.add_item(
            session=session,
            actor=actor,
            version_id=vid,
            item=ContactInput(name="Coach Ray", relationship="Boxing coach", phone="07700 900111"),
        )
        edits.update_draft(
            session=session,
            actor=actor,
            version_id=vid,
            update=edits.DraftUpdate(expected_revision=draft.revision, **{"safe_word": "mango"}),
        )
        today = utcnow().date()
        review = today + timedelta(days=28)
        versions.agree_draft(
            session=session,
            actor=actor,
            plan_id=plan.id or 0,
            agreement=versions.Agreement(
                agreed_by="Jordan, Lisa Ellis, Sam Okafor",
                agreed_on=today,
                shared_with="Jordan, Lisa Ellis",
                review_date=review,
                expected_revision=draft.revision,
            ),
        )
        session.commit()
    application.database.engine.dispose()
    print(json.dumps({"review_date": review.isoformat()}), flush=True)


if __name__ == "__main__":
    main()
