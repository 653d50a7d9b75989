"""Issue 10 item 4 over the API: a priority action's and a carer commitment's due date (and an
action's done date) go in and come back out, validated as the draft page validates them, and the
OpenAPI document states the range a client may send."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from app.demo.seed import DemoPeople
from app.plans.models import CarerCommitment, PlanAction
from tests.functional.api.conftest import Tokens, bearer

ACTION = {"who": "Jordan", "action": "save the numbers", "aim": "reach help", "success": "saved"}
COMMITMENT = {"who": "Lisa", "kind": "do", "commitment": "phone the school"}
LISTS = {"actions": (ACTION, PlanAction), "commitments": (COMMITMENT, CarerCommitment)}


def _url(demo: DemoPeople, segment: str, item_id: int | None = None) -> str:
    base = f"/children/{demo.jordan_id}/plan/draft/{segment}"
    return base if item_id is None else f"{base}/{item_id}"


@pytest.mark.parametrize("segment", sorted(LISTS))
def test_a_due_date_goes_in_and_comes_back(
    api: FlaskClient, db: Session, tokens: Tokens, demo: DemoPeople, segment: str
) -> None:
    body, model = LISTS[segment]
    writer = bearer(tokens.sam_read_write)
    made = api.post(_url(demo, segment), json={**body, "due_on": "2026-12-12"}, headers=writer)
    assert made.status_code == 201, made.data
    assert made.json["due_on"] == "2026-12-12"
    read = api.get(_url(demo, segment, made.json["id"]), headers=bearer(tokens.sam))
    assert read.json == made.json
    row: Any = db.get(model, made.json["id"])
    assert row is not None and row.due_on == date(2026, 12, 12)
    # Taken away again (null): ongoing, no date.
    changed = api.put(
        _url(demo, segment, made.json["id"]),
        json={**body, "due_on": None},
        headers={**writer, "If-Match": made.json["etag"]},
    )
    assert changed.status_code == 200, changed.data
    assert changed.json["due_on"] is None
    # Left out altogether: no date either.
    plain = api.post(_url(demo, segment), json=body, headers=writer)
    assert plain.status_code == 201 and plain.json["due_on"] is None


def test_an_actions_done_date_goes_in_and_comes_back(api: FlaskClient, tokens: Tokens, demo: DemoPeople) -> None:
    writer = bearer(tokens.sam_read_write)
    made = api.post(
        _url(demo, "actions"), json={**ACTION, "due_on": "2026-11-13", "done_on": "2026-11-12"}, headers=writer
    )
    assert made.status_code == 201, made.data
    assert (made.json["due_on"], made.json["done_on"]) == ("2026-11-13", "2026-11-12")


@pytest.mark.parametrize("bad", ["next Friday", "2026-02-30", "0226-12-12", "20266-12-12", 20261212])
@pytest.mark.parametrize("segment", sorted(LISTS))
def test_a_due_date_that_is_not_a_date_is_422_naming_the_field(
    api: FlaskClient, tokens: Tokens, demo: DemoPeople, segment: str, bad: object
) -> None:
    body, _model = LISTS[segment]
    response = api.post(_url(demo, segment), json={**body, "due_on": bad}, headers=bearer(tokens.sam_read_write))
    assert response.status_code == 422, response.data
    problem = json.loads(response.data)
    assert set(problem["errors"]) == {"due_on"}


def test_the_openapi_document_states_the_dates_a_client_may_send(api: FlaskClient) -> None:
    schemas = api.get("/openapi.json").json["components"]["schemas"]
    for body, names in (("ActionBody", ("due_on", "done_on")), ("CommitmentBody", ("due_on",))):
        for name in names:
            options = schemas[body]["properties"][name]["anyOf"]
            dated = next(o for o in options if o.get("format") == "date")
            assert dated["pattern"].startswith("^(20[0-9]{2}")
            assert {"type": "null"} in options and name not in schemas[body].get("required", [])
    assert "due_on" in schemas["Action"]["properties"] and "due_on" in schemas["Commitment"]["properties"]
