"""Tokens for the API tests: Sam (Jordan's allocated worker) and Alex (Kayla's, not Jordan's)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from app import SaferPlan
from app.actors import Actor
from app.api.door import api_limiter
from app.api.inputs import TokenInput
from app.api.models import TokenScope
from app.api.operations import NewToken, create_token
from app.auth.models import AccountKind
from app.demo.seed import DemoPeople
from app.people.models import Practitioner
from app.timeutil import today


@dataclass(frozen=True)
class Tokens:
    sam: NewToken
    sam_read_write: NewToken
    alex: NewToken


def practitioner_actor(db: Session, email: str) -> Actor:
    practitioner = db.exec(select(Practitioner).where(Practitioner.email == email)).one()
    return Actor(kind=AccountKind.PRACTITIONER, account_id=practitioner.id or 0)


def make_token(
    db: Session, actor: Actor, *, name: str = "Mosaic sync", scope: TokenScope = TokenScope.READ
) -> NewToken:
    expires_on = (today() + timedelta(days=30)).isoformat()
    made = create_token(
        session=db, actor=actor, token=TokenInput.parse({"name": name, "scope": scope.value, "expires_on": expires_on})
    )
    db.commit()
    return made


@pytest.fixture
def tokens(db: Session, demo: DemoPeople) -> Tokens:
    sam = practitioner_actor(db, demo.social_worker_email)
    alex = practitioner_actor(db, demo.other_worker_email)
    return Tokens(
        sam=make_token(db, sam),
        sam_read_write=make_token(db, sam, name="Writer", scope=TokenScope.READ_WRITE),
        alex=make_token(db, alex),
    )


@pytest.fixture
def api(application: SaferPlan, db: Session) -> Iterator[FlaskClient]:
    yield application.api.test_client()
    api_limiter.reset()


def bearer(token: NewToken | str) -> dict[str, str]:
    raw = token if isinstance(token, str) else token.raw
    return {"Authorization": f"Bearer {raw}"}
