"""Web Push to family phones through a local push service (R18): a neutral, encrypted, signed notice
when a version is agreed or a worker changes what someone sees; dead phones forgotten, 429 retried later.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from flask import Flask
from pytest_httpserver import HTTPServer
from sqlalchemy import text
from sqlmodel import Session, select

from app import SaferPlan
from app.access.sharing import SectionLock, set_lock
from app.auth.models import AccountKind, Passkey
from app.jobs import queue, registry
from app.jobs.inprocess import InProcessRunner
from app.jobs.registry import JobContext
from app.plans.sections import Section
from app.push.models import PushSubscription
from app.push.sending import TIME_TO_LIVE, TOPIC, Result, send_one
from app.timeutil import utcnow
from tests.factories import plans
from tests.factories.people import Case, actor
from tests.support.clients import CsrfClient, make_client
from tests.support.push_service import Phone, new_phone, vapid_claims
from tests.support.signin import sign_in_as


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    # The only plain-http push service a test setting allows (app.push.sending.endpoint_allowed).
    return ("127.0.0.1", 0)


@pytest.fixture
def jobs(application: SaferPlan, monkeypatch: pytest.MonkeyPatch) -> InProcessRunner:
    """This test's jobs, run when the test says (`jobs.run_pending()`), on the test's own database.

    A committed change defers "push_fan_out" (app/live/changes.py), which defers one "push_send" per
    phone (app/jobs/tasks.py). On PostgreSQL the app's backend is procrastinate, whose worker has its
    own connections and would not see this test's rows (rolled back after it): the jobs run here
    instead, through the same registry and the same tasks. procrastinate itself is tested in
    tests/functional/jobs/."""
    runner = InProcessRunner(JobContext(database=application.database, settings=application.settings))
    monkeypatch.setitem(queue._current, "backend", runner)
    return runner


@pytest.fixture
def family(application: SaferPlan) -> Iterator[Flask]:
    """Work done outside a request (a job, a command) runs in the app's context, as here."""
    with application.family.app_context():
        yield application.family


def _phone_of(db: Session, member_id: int, httpserver: HTTPServer, path: str = "/push/lisa") -> Phone:
    phone = new_phone(httpserver.url_for(path))
    db.add(
        PushSubscription(
            member_id=member_id,
            endpoint=phone.endpoint,
            p256dh=phone.p256dh,
            auth=phone.subscription_json()["keys"]["auth"],
        )
    )
    db.commit()
    return phone


def _only_subscription(db: Session) -> PushSubscription | None:
    db.expire_all()
    return db.exec(select(PushSubscription)).first()


def test_an_agreed_version_tells_the_family_phone_in_neutral_words_signed_and_encrypted(
    application: SaferPlan, jobs: InProcessRunner, db: Session, case: Case, httpserver: HTTPServer
) -> None:
    started = plans.plan(db, case.child, by=case.worker)
    plans.update(db, plans.draft(db, started), by=case.worker, safe_word="pineapple")
    db.commit()
    phone = _phone_of(db, case.parent_id, httpserver)
    httpserver.expect_oneshot_request("/push/lisa", method="POST").respond_with_data("", status=201)

    plans.agree(db, started, by=case.worker)
    assert jobs.run_pending() == 0  # nothing asked for before the commit
    db.commit()
    # One job for the change (who is told), then one for Lisa's phone; none on the request's path.
    assert httpserver.log == []
    assert jobs.run_pending() == 2

    assert len(httpserver.log) == 1
    request, _response = httpserver.log[0]
    assert request.headers["Content-Encoding"] == "aes128gcm"
    assert request.headers["TTL"] == str(TIME_TO_LIVE)
    assert request.headers["Topic"] == TOPIC
    settings = application.settings
    claims = vapid_claims(request, public_key=settings.vapid_public_key)
    assert claims["aud"] == f"http://127.0.0.1:{httpserver.port}"
    assert claims["sub"] == settings.vapid_subject
    body = request.get_data()
    message = phone.read(body)
    assert message == {"title": "Daybook", "body": "Something new for you", "url": f"/c/{case.child_id}"}
    # Nothing of the child or the plan, encrypted or not (R18).
    for secret in ("Jordan", "Ellis", "pineapple", "Lisa"):
        assert secret.encode() not in body
        assert secret not in json.dumps(message)
    sent = _only_subscription(db)
    assert sent is not None and sent.last_sent_at is not None


def test_the_notice_is_in_the_members_language(family: Flask, db: Session, case: Case, httpserver: HTTPServer) -> None:
    case.parent.language = "sq"
    db.add(case.parent)
    phone = _phone_of(db, case.parent_id, httpserver)
    httpserver.expect_oneshot_request("/push/lisa").respond_with_data("", status=201)
    subscription = _only_subscription(db)
    assert subscription is not None

    assert send_one(subscription.id or 0, case.child_id).result == Result.SENT

    message = phone.read(httpserver.log[0][0].get_data())
    assert message["title"] == "Daybook"
    assert message["body"] == "Diçka e re për ju"  # translations/sq: the same words, in Albanian


def test_a_worker_locking_a_section_tells_that_person_only(
    jobs: InProcessRunner, db: Session, case: Case, httpserver: HTTPServer
) -> None:
    plans.agreed_plan(db, case.child, by=case.worker)
    db.commit()
    jobs.run_pending()  # the agreement's own, before any phone had notices on
    _phone_of(db, case.parent_id, httpserver, "/push/lisa")
    _phone_of(db, case.trusted_adult_id, httpserver, "/push/dee")
    httpserver.expect_oneshot_request("/push/lisa").respond_with_data("", status=201)

    lock = SectionLock.parse({"member_id": str(case.parent_id), "section": Section.SAFE_NETWORK.value, "locked": "1"})
    set_lock(session=db, actor=actor(case.worker), child_id=case.child_id, lock=lock)
    db.commit()
    jobs.run_pending()

    assert [request.path for request, _ in httpserver.log] == ["/push/lisa"]


def test_a_lock_made_on_the_workers_page_tells_the_phone_after_the_request_commits(
    as_worker: CsrfClient, jobs: InProcessRunner, db: Session, case: Case, httpserver: HTTPServer
) -> None:
    plans.agreed_plan(db, case.child, by=case.worker)
    db.commit()
    jobs.run_pending()  # the agreement's own, before any phone had notices on
    phone = _phone_of(db, case.parent_id, httpserver)
    httpserver.expect_oneshot_request("/push/lisa").respond_with_data("", status=201)

    locked = as_worker.post(
        f"/children/{case.child_id}/access/lock",
        data={"member_id": str(case.parent_id), "section": "review", "locked": "1"},
    )

    assert locked.status_code == 303
    assert httpserver.log == []  # the request did not wait for the push service
    assert jobs.run_pending() == 2
    assert len(httpserver.log) == 1
    assert phone.read(httpserver.log[0][0].get_data())["url"] == f"/c/{case.child_id}"


def test_the_young_persons_own_sharing_choice_sends_nothing(
    as_young_person: CsrfClient, jobs: InProcessRunner, db: Session, case: Case, httpserver: HTTPServer
) -> None:
    plans.agreed_plan(db, case.child, by=case.worker)
    db.commit()
    jobs.run_pending()  # the agreement's own, before any phone had notices on
    _phone_of(db, case.parent_id, httpserver)
    _phone_of(db, case.young_person_id, httpserver, "/push/jordan")

    answer = as_young_person.post(
        f"/c/{case.child_id}/sharing", data={f"share-{case.parent_id}-{Section.SAFE_NETWORK.value}": "on"}
    )

    assert answer.status_code == 303
    assert jobs.run_pending() == 0  # not even a job asked for
    assert httpserver.log == []


@pytest.mark.parametrize("status", [404, 410])
def test_a_phone_the_push_service_has_forgotten_is_forgotten_here(
    status: int, family: Flask, db: Session, case: Case, httpserver: HTTPServer
) -> None:
    _phone_of(db, case.parent_id, httpserver)
    httpserver.expect_oneshot_request("/push/lisa").respond_with_data("gone", status=status)
    subscription = _only_subscription(db)
    assert subscription is not None

    outcome = send_one(subscription.id or 0, case.child_id)

    assert outcome.result == Result.GONE and outcome.status == status
    assert _only_subscription(db) is None


def test_too_many_is_retried_when_the_push_service_says(
    family: Flask, db: Session, case: Case, httpserver: HTTPServer
) -> None:
    _phone_of(db, case.parent_id, httpserver)
    httpserver.expect_oneshot_request("/push/lisa").respond_with_data("", status=429, headers={"Retry-After": "120"})
    subscription = _only_subscription(db)
    assert subscription is not None

    before = utcnow()
    outcome = send_one(subscription.id or 0, case.child_id)

    assert outcome.result == Result.RETRY
    assert outcome.retry_at is not None
    assert before + timedelta(seconds=119) <= outcome.retry_at <= utcnow() + timedelta(seconds=121)
    kept = _only_subscription(db)
    assert kept is not None and kept.last_sent_at is None


def test_a_push_service_that_says_wait_gets_the_notice_again_when_it_said(
    jobs: InProcessRunner, db: Session, case: Case, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _phone_of(db, case.parent_id, httpserver)
    subscription = _only_subscription(db)
    assert subscription is not None
    httpserver.expect_oneshot_request("/push/lisa").respond_with_data("", status=429, headers={"Retry-After": "120"})
    later: list[tuple[str, dict[str, object], object]] = []
    monkeypatch.setattr(jobs, "send", lambda name, kwargs, not_before=None: later.append((name, kwargs, not_before)))

    arguments = {"subscription_id": subscription.id, "child_id": case.child_id}
    assert registry.run(jobs.context, "push_send", arguments) == "retry"

    [(name, kwargs, not_before)] = later
    assert name == "push_send" and kwargs == arguments
    assert isinstance(not_before, datetime) and not_before >= utcnow() + timedelta(seconds=110)


def test_a_broken_push_service_is_logged_and_the_change_still_stands(
    jobs: InProcessRunner, db: Session, case: Case, httpserver: HTTPServer
) -> None:
    started = plans.plan(db, case.child, by=case.worker)
    db.commit()
    _phone_of(db, case.parent_id, httpserver)
    httpserver.expect_oneshot_request("/push/lisa").respond_with_data("oops", status=500)

    agreed = plans.agree(db, started, by=case.worker)
    db.commit()
    jobs.run_pending()

    assert agreed.agreed_at is not None
    assert len(httpserver.log) == 1
    assert _only_subscription(db) is not None


# The routes a phone uses to turn notices on and off.


def test_turning_notices_on_keeps_the_phone_with_its_keys_encrypted(
    as_parent: CsrfClient, db: Session, case: Case, httpserver: HTTPServer
) -> None:
    phone = new_phone(httpserver.url_for("/push/lisa"))

    first = as_parent.post("/push/subscription", json=phone.subscription_json())
    again = as_parent.post("/push/subscription", json=phone.subscription_json())

    assert (first.status_code, again.status_code) == (201, 201)
    rows = db.exec(select(PushSubscription)).all()
    assert len(rows) == 1
    assert rows[0].member_id == case.parent_id and rows[0].p256dh == phone.p256dh
    raw = db.execute(text("SELECT p256dh, auth FROM push_subscription")).one()
    assert phone.p256dh not in raw[0] and phone.subscription_json()["keys"]["auth"] not in raw[1]


def test_turning_notices_on_needs_the_csrf_token_and_a_sign_in(
    application: SaferPlan, as_parent: CsrfClient, db: Session, httpserver: HTTPServer
) -> None:
    phone = new_phone(httpserver.url_for("/push/lisa"))
    as_parent.send_csrf = False
    assert as_parent.post("/push/subscription", json=phone.subscription_json()).status_code == 400
    anonymous = application.family.test_client()
    assert anonymous.post("/push/subscription", json=phone.subscription_json()).status_code in (302, 401)
    assert db.exec(select(PushSubscription)).all() == []


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ("not json", 400, None),
        ({"keys": {}}, 422, "endpoint"),
        ({"endpoint": "http://push.example/1", "keys": "K"}, 422, "keys"),
        ("plain-http", 422, "endpoint"),
        ("short-key", 422, "keys"),
    ],
)
def test_a_subscription_that_is_not_one_is_refused_clearly(
    body: object, status: int, field: str | None, as_parent: CsrfClient, db: Session, httpserver: HTTPServer
) -> None:
    phone = new_phone(httpserver.url_for("/push/lisa"))
    if body == "not json":
        answer = as_parent.post("/push/subscription", data="endpoint=x", content_type="text/plain")
    elif body == "plain-http":
        answer = as_parent.post(
            "/push/subscription", json={**phone.subscription_json(), "endpoint": "http://push.example/1"}
        )
    elif body == "short-key":
        answer = as_parent.post(
            "/push/subscription", json={**phone.subscription_json(), "keys": {"p256dh": "abc", "auth": "abc"}}
        )
    else:
        answer = as_parent.post("/push/subscription", json=body)
    assert answer.status_code == status
    if field:
        assert answer.json["errors"][field]
    assert db.exec(select(PushSubscription)).all() == []


def test_someone_else_cannot_turn_off_my_phone(
    as_parent: CsrfClient, as_trusted_adult: CsrfClient, db: Session, httpserver: HTTPServer
) -> None:
    phone = new_phone(httpserver.url_for("/push/lisa"))
    assert as_parent.post("/push/subscription", json=phone.subscription_json()).status_code == 201

    refused = as_trusted_adult.post("/push/subscription/remove", json={"endpoint": phone.endpoint})
    assert refused.status_code == 404
    assert len(db.exec(select(PushSubscription)).all()) == 1

    done = as_parent.post("/push/subscription/remove", json={"endpoint": phone.endpoint})
    assert done.status_code == 200
    assert db.exec(select(PushSubscription)).all() == []


def _jordans_phone(application: SaferPlan, db: Session, case: Case, label: str) -> tuple[CsrfClient, int]:
    """A phone of Jordan's with its own key, signed in with it."""
    passkey = Passkey(
        account_kind=AccountKind.FAMILY,
        account_id=case.young_person_id,
        credential_id=label.encode() * 4,
        public_key=b"unused-in-this-test",
        label=label,
    )
    db.add(passkey)
    db.commit()
    client = make_client(application.family)
    sign_in_as(
        client, session=db, account_kind=AccountKind.FAMILY, account_id=case.young_person_id, passkey_id=passkey.id
    )
    return client, passkey.id or 0


@pytest.mark.parametrize("how", ["sign-out", "quick exit"])
def test_signing_out_on_the_phone_stops_its_notices(
    how: str, application: SaferPlan, db: Session, case: Case, httpserver: HTTPServer
) -> None:
    phone_client, _passkey = _jordans_phone(application, db, case, "Jordan phone")
    other_client, _other = _jordans_phone(application, db, case, "Jordan laptop")
    for client, path in ((phone_client, "/push/phone"), (other_client, "/push/laptop")):
        subscription = new_phone(httpserver.url_for(path)).subscription_json()
        assert client.post("/push/subscription", json=subscription).status_code == 201

    left = phone_client.post("/sign-out") if how == "sign-out" else phone_client.get("/exit")

    assert left.status_code in (302, 303)
    db.expire_all()
    assert [row.endpoint for row in db.exec(select(PushSubscription))] == [httpserver.url_for("/push/laptop")]


def test_removing_a_lost_phone_stops_its_notices(
    application: SaferPlan, db: Session, as_trusted_adult: CsrfClient, case: Case, httpserver: HTTPServer
) -> None:
    lost, lost_id = _jordans_phone(application, db, case, "Lost phone")
    assert (
        lost.post(
            "/push/subscription", json=new_phone(httpserver.url_for("/push/lost")).subscription_json()
        ).status_code
        == 201
    )

    assert as_trusted_adult.post(f"/c/{case.child_id}/devices/{lost_id}/remove").status_code == 303

    db.expire_all()
    assert db.exec(select(PushSubscription)).all() == []
