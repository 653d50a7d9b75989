"""R24 through the API door: eight callers change one statement from the same ETag at once.

On the real server of tests/security/test_races.py (gunicorn, threaded workers, the suite's kind of
database), with a read-and-change token of Jordan's worker. Each round reads the statement's ETag
once, then 8 threads PUT 8 different texts with that If-Match, released together. Each round must
end with exactly one 200, seven 412s whose `current` is the acknowledged text (so each loser knows
what it would have overwritten, and still holds its own words), no 5xx, and the database holding
the acknowledged words.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter
from datetime import timedelta

from sqlmodel import Session, select

from app.actors import Actor
from app.api.inputs import TokenInput
from app.api.models import TokenScope
from app.api.operations import create_token
from app.auth.models import AccountKind
from app.plans.models import ChildStatement
from app.timeutil import today
from tests.security.test_races import JORDANS_IDEA, RACE_TIMEOUT, ROUNDS, WRITERS, RaceServer, race_server
from tests.support.figures import Figures
from tests.support.server import request

__all__ = ["race_server"]  # the module's server fixture, shared by import


def _token(server: RaceServer) -> str:
    with Session(server.engine) as session:
        made = create_token(
            session=session,
            actor=Actor(kind=AccountKind.PRACTITIONER, account_id=server.case.worker.id or 0),
            token=TokenInput(name="Race", scope=TokenScope.READ_WRITE, expires_on=today() + timedelta(days=1)),
        )
        session.commit()
        return made.raw


def _put_together(server: RaceServer, path: str, headers: dict[str, str], texts: list[str]) -> list[tuple[int, bytes]]:
    barrier = threading.Barrier(len(texts), timeout=RACE_TIMEOUT)
    answers: list[tuple[int, bytes]] = [(0, b"")] * len(texts)

    def put(i: int) -> None:
        body = json.dumps({"moment": "everyday", "kind": "can", "text": texts[i]})
        answers[i] = request(
            server.port,
            "PUT",
            path,
            body=body,
            headers=headers,
            source=f"127.0.0.{21 + i}",
            barrier=barrier,
            timeout=RACE_TIMEOUT,
        )

    threads = [threading.Thread(target=put, args=(i,), daemon=True) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=RACE_TIMEOUT + 10)
    assert not any(thread.is_alive() for thread in threads), "a writer never got an answer"
    return answers


def test_r24_racing_api_changes_of_one_statement_acknowledge_one(race_server: RaceServer, figures: Figures) -> None:
    server = race_server
    auth = {"Authorization": f"Bearer {_token(server)}"}
    statement_id = server.read(
        lambda s: s.exec(
            select(ChildStatement.id).where(
                ChildStatement.text == JORDANS_IDEA, ChildStatement.written_by_member_id == server.case.young_person_id
            )
        ).one()
    )
    path = f"/api/v1/children/{server.case.child_id}/plan/draft/statements/{statement_id}"
    problems: list[str] = []
    statuses: Counter[int] = Counter()
    for number in range(1, ROUNDS + 1):
        status, body = request(server.port, "GET", path, headers=auth)
        assert status == 200, body
        etag = json.loads(body)["etag"]
        texts = [f"API {number}.{i} ({uuid.uuid4().hex[:6]}): ask Aunt Dee & Coach <Marcus>" for i in range(WRITERS)]
        headers = {**auth, "If-Match": etag, "Content-Type": "application/json"}
        answers = _put_together(server, path, headers, texts)
        statuses.update(status for status, _body in answers)
        won = [i for i, (status, _body) in enumerate(answers) if status == 200]
        saved = server.read(lambda s: s.get(ChildStatement, statement_id).text)  # type: ignore[union-attr]
        if len(won) != 1 or texts[won[0]] != saved:
            problems.append(f"round {number}: {len(won)} acknowledged; saved {saved!r}")
            continue
        for i, (status, answer) in enumerate(answers):
            if i == won[0]:
                continue
            current = json.loads(answer).get("current", {}) if status == 412 else {}
            if status != 412 or current.get("text") != saved:
                problems.append(f"round {number}: writer {i} answered {status}, not a 412 showing the saved words")
    figures.add("r24.rounds_raced", ROUNDS)
    figures.add("r24.writers_raced", ROUNDS * WRITERS)
    figures.add("r24.acknowledged", statuses[200])
    print(f"\nR24 API statement: {ROUNDS} rounds of {WRITERS} writers; answers: {dict(sorted(statuses.items()))}")
    server_errors = [status for status in statuses if status >= 500 or status == 0]
    assert not server_errors, server.server.log()
    assert problems == [], "\n".join(problems)
