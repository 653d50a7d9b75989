"""`make run` (flask setup / dev-links) prints one API token for Sam and one for Alex."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlmodel import Session

from app.demo.dev_links import make_dev_api_tokens
from app.demo.seed import DemoPeople
from tests.functional.api.conftest import bearer

EMAILS = ("sam.okafor@example.org", "alex.morgan@example.org")


def test_dev_tokens_for_sam_and_alex_reach_their_own_cases_only(
    api: FlaskClient, db: Session, demo: DemoPeople
) -> None:
    made = make_dev_api_tokens(session=db, emails=EMAILS)
    db.commit()
    assert [p.email for p, _raw in made] == [demo.social_worker_email, demo.other_worker_email]
    (_sam, sam_raw), (_alex, alex_raw) = made
    assert api.get(f"/children/{demo.jordan_id}", headers=bearer(sam_raw)).status_code == 200
    assert api.get(f"/children/{demo.jordan_id}", headers=bearer(alex_raw)).status_code == 404
    assert api.get(f"/children/{demo.kayla_id}", headers=bearer(alex_raw)).status_code == 200
    # Each run's tokens replace the last run's.
    again = make_dev_api_tokens(session=db, emails=EMAILS)
    db.commit()
    assert api.get("/children", headers=bearer(sam_raw)).status_code == 401
    assert api.get("/children", headers=bearer(again[0][1])).status_code == 200
