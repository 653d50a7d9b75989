"""The API against its own contract, as a careless or hostile client would try it: schemathesis 4.

One run over every operation of /api/v1/openapi.json, on the real server (gunicorn, the suite's kind
of database, the demo's people), with every check schemathesis has (server errors, status codes,
content types, response schemas and headers, negative data rejected, positive data accepted,
missing auth and required headers, unsupported methods and their Allow header, use after free,
object-level authorization) and stateful links on. Two identities are peers: Sam (Jordan's
allocated worker) and Alex (Kayla's, with no link to Jordan); schemathesis replays each one's
successful reads as the other and fails on a leak. Its JSON report must count 0 failures and 0
errors; the operations and generated cases are kept as figures (`make security-report`).

Rate limits are off on this server (RATE_LIMITS=off) because one address sends thousands of
requests a minute; the limits themselves are tested in tests/functional/api/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from app import SaferPlan
from app.actors import Actor
from app.api.inputs import TokenInput
from app.api.models import TokenScope
from app.api.operations import create_token
from app.auth.models import AccountKind
from app.concerns.models import Concern
from app.db import make_engine
from app.demo.seed import load_demo
from app.people.models import Practitioner
from app.timeutil import today
from tests.support.database import migrate, scratch_database
from tests.support.figures import Figures
from tests.support.meetings import sam_of, schedule_for_jordan
from tests.support.server import Gunicorn, free_port, server_env

# Cases per operation and phase: enough for every operation to meet odd input, bounded so the run
# takes about a minute on two cores (it runs once per database in CI).
MAX_EXAMPLES = 12
SEED = 20261130
RUN_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class FuzzTarget:
    port: int
    workdir: Path
    sam_token: str
    alex_token: str
    kays_concern_id: int
    jordan_id: int
    jordans_meeting_id: int
    server: Gunicorn


def _token(session: Session, email: str) -> str:
    practitioner = session.exec(select(Practitioner).where(Practitioner.email == email)).one()
    made = create_token(
        session=session,
        actor=Actor(kind=AccountKind.PRACTITIONER, account_id=practitioner.id or 0),
        token=TokenInput(name="Contract fuzzing", scope=TokenScope.READ_WRITE, expires_on=today() + timedelta(days=1)),
    )
    return made.raw


@pytest.fixture(scope="module")
def fuzz_target(application: SaferPlan, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzTarget]:
    """The demo on a server of its own, with a read-and-change token for Sam and one for Alex."""
    with scratch_database(tmp_path_factory.mktemp("fuzz-db"), "fuzz") as url:
        port = free_port()
        env = {
            **server_env(url, port, field_keys=application.settings.field_encryption_keys),
            "RATE_LIMITS": "off",
        }
        migrate(url)
        engine = make_engine(url)
        workdir = tmp_path_factory.mktemp("fuzz")
        server = Gunicorn(workdir=workdir, env=env, port=port, threads=4)
        try:
            with Session(engine) as session:
                demo = load_demo(session)
                sam, alex = _token(session, demo.social_worker_email), _token(session, demo.other_worker_email)
                # Alex's concern about Kay: no operation creates a concern yet, so the run is told its id.
                concern_id = session.exec(select(Concern.id).where(Concern.child_id == demo.kayla_id)).one()
                # A meeting of Jordan's, scheduled by Sam: scheduling one needs a day to come and a
                # facilitator on the case, which random bodies seldom hit, so the run is told its id.
                meeting_id = schedule_for_jordan(session, demo, sam_of(session, demo)).id or 0
                session.commit()
            server.start()
            yield FuzzTarget(
                port=port,
                workdir=workdir,
                sam_token=sam,
                alex_token=alex,
                kays_concern_id=concern_id or 0,
                jordan_id=demo.jordan_id,
                jordans_meeting_id=meeting_id,
                server=server,
            )
        finally:
            server.stop()
            engine.dispose()


def _write_config(target: FuzzTarget) -> Path:
    """schemathesis.toml naming Sam and Alex as peers, through a Web Fuzzing Commons auth file."""
    auth = {
        "auth": [
            {"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {token}"}]}
            for name, token in (("sam", target.sam_token), ("alex", target.alex_token))
        ]
    }
    auth_path = target.workdir / "auth.json"
    auth_path.write_text(json.dumps(auth))
    config_path = target.workdir / "schemathesis.toml"
    config_path.write_text(
        f'[auth.wfc]\npath = "{auth_path}"\npeers = ["sam", "alex"]\n\n'
        # A schema-valid change with a stale If-Match, or with `*`, is refused by design (R24: 412
        # with the item as it is now, 428 for `*`: never a silent overwrite); schemathesis otherwise
        # expects valid data to succeed.
        "[checks.positive_data_acceptance]\n"
        'expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "412", "428", "429", "5xx"]\n\n'
        # A change sent without If-Match is 428 Precondition Required (RFC 6585 §3), as the contract says;
        # schemathesis's own list for a missing required header is these others.
        "[checks.missing_required_header]\n"
        'expected-statuses = ["400", "401", "403", "406", "415", "422", "428"]\n\n'
        '[[operations]]\ninclude-name = "GET /concerns/{concern_id}"\n'
        f"parameters = {{ concern_id = {target.kays_concern_id} }}\n\n"
        # Every operation on one meeting: on Jordan's (Sam runs it; Alex may not see it).
        '[[operations]]\ninclude-path-regex = "/meetings/.meeting_id."\n'
        f"parameters = {{ child_id = {target.jordan_id}, meeting_id = {target.jordans_meeting_id} }}\n\n"
        # An incident's rules need the clock and the plan, which no static schema states: within the
        # last 12 months, and an answer about the review when the case has one. Every other check
        # (server errors, invalid data refused, authorization, schemas of the answers) still runs.
        '[[operations]]\ninclude-name = "POST /children/{child_id}/incidents"\n'
        "checks.positive_data_acceptance.enabled = false\n\n"
        # Likewise a meeting: a day still to come and a facilitator who may run this kind of meeting
        # (on the case, by job); and agreeing one: a running meeting where everyone present agreed,
        # with a review within 8 weeks. Refusals of schema-valid bodies there are 422s naming why.
        '[[operations]]\ninclude-name = "POST /children/{child_id}/meetings"\n'
        "checks.positive_data_acceptance.enabled = false\n\n"
        '[[operations]]\ninclude-name = "POST /children/{child_id}/meetings/{meeting_id}/agreement"\n'
        "checks.positive_data_acceptance.enabled = false\n"
        # Two versions must be named older first, which no static schema states (from < to: else 422);
        # a cursor is valid only as the API signed it for that practitioner (else 400).
        '[[operations]]\ninclude-name = "GET /children/{child_id}/versions/diff"\n'
        "checks.positive_data_acceptance.enabled = false\n\n"
        '[[operations]]\ninclude-name = "GET /changes"\n'
        "checks.positive_data_acceptance.enabled = false\n"
    )
    return config_path


def _run_schemathesis(target: FuzzTarget) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    report = target.workdir / "report.json"
    command = [
        str(Path(sys.executable).parent / "st"),
        "--config-file",
        str(_write_config(target)),
        "--no-color",
        "run",
        f"http://127.0.0.1:{target.port}/api/v1/openapi.json",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--generation-database",
        "none",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    finished = subprocess.run(  # noqa: S603 - fixed arguments, our own venv's schemathesis
        # In the scratch directory: schemathesis keeps a `.schemathesis/` folder where it runs.
        command,
        cwd=target.workdir,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        check=False,
    )
    return finished, json.loads(report.read_text()) if report.exists() else {}


def test_every_operation_keeps_its_contract_and_its_secrets(fuzz_target: FuzzTarget, figures: Figures) -> None:
    finished, report = _run_schemathesis(fuzz_target)
    output = finished.stdout[-8000:] + finished.stderr[-2000:]
    assert report, f"schemathesis wrote no report:\n{output}\n{fuzz_target.server.log()}"
    operations, cases = report["operations"], report["test_cases"]
    failures = len(report["failures"]) + len(report["errors"]) + cases["with_failures"] + cases["errored"]
    figures.add("api.operations_fuzzed", operations["tested"])
    figures.add("api.cases_generated", cases["generated"])
    figures.add("api.contract_failures", failures)
    assert failures == 0 and finished.returncode == 0, f"schemathesis found problems:\n{output}"
    # Every operation the document lists was run, through every phase asked for.
    assert operations["tested"] == operations["total"] > 0 and not operations["skipped"]
    assert {name: phase["status"] for name, phase in report["phases"].items()} == {
        "examples": "skip",  # the document carries no examples of its own
        "coverage": "success",
        "fuzzing": "success",
        "stateful": "success",
    }
    assert cases["generated"] >= 10 * operations["total"], "too few cases to call the contract tried"
