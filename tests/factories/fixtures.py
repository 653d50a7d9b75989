"""Fixtures built on the factories (registered in tests/conftest.py beside the demo's fixtures):
the smallest whole case, and clients signed in as its people. None of them loads the demo."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from app import SaferPlan
from app.auth.models import AccountKind
from app.people.models import FamilyMember, Practitioner
from tests.factories import people
from tests.support.clients import CsrfClient, make_client
from tests.support.signin import sign_in_as

SignIn = Callable[[FamilyMember | Practitioner], CsrfClient]


@pytest.fixture
def case(db: Session) -> people.Case:
    """Jordan, Lisa (mum), Dee (trusted adult) and Sam (allocated worker); no plan yet."""
    return people.case(db)


@pytest.fixture
def sign_in(application: SaferPlan, db: Session) -> SignIn:
    """sign_in(person): a client at that person's front door, signed in as them."""

    def signed_in(person: FamilyMember | Practitioner) -> CsrfClient:
        family = isinstance(person, FamilyMember)
        client = make_client(application.family if family else application.practitioner)
        kind = AccountKind.FAMILY if family else AccountKind.PRACTITIONER
        sign_in_as(client, session=db, account_kind=kind, account_id=person.id or 0)
        return client

    return signed_in


@pytest.fixture
def as_young_person(case: people.Case, sign_in: SignIn) -> CsrfClient:
    return sign_in(case.young_person)


@pytest.fixture
def as_parent(case: people.Case, sign_in: SignIn) -> CsrfClient:
    return sign_in(case.parent)


@pytest.fixture
def as_trusted_adult(case: people.Case, sign_in: SignIn) -> CsrfClient:
    return sign_in(case.trusted_adult)


@pytest.fixture
def as_worker(case: people.Case, sign_in: SignIn) -> CsrfClient:
    """Sam Okafor, the allocated social worker."""
    return sign_in(case.worker)
