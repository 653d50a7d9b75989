"""Run as `python -m e2e.jordans_review` with the server's environment (LiveServer.run_module).

What the latest agreed version of Jordan's plan says counts as a reason to review sooner. Other
browser tests on the same server may agree new versions first (each with its own words), so a test
that checks the words are shown reads them here rather than assuming the demo's.
"""

from __future__ import annotations

import json

from sqlmodel import select

from app import create_app
from app.config import load_settings
from app.people.models import Child
from app.plans import versions


def main() -> None:
    application = create_app(load_settings())
    with application.database.session() as session:
        jordan = next(c for c in session.exec(select(Child)).all() if c.preferred_name == "Jordan")
        plan = versions.open_plan_for_child(session=session, child_id=jordan.id or 0)
        assert plan is not None
        agreed = versions.latest_agreed(session=session, plan_id=plan.id or 0)
        assert agreed is not None
        trigger = agreed.review_trigger
    application.database.engine.dispose()
    print(json.dumps({"review_trigger": trigger}), flush=True)


if __name__ == "__main__":
    main()
