"""R24: concurrent edits lose nothing. Eight phones race one item from one revision, on the real server.

The real server (gunicorn, two threaded workers, `-k gthread --threads 8`) runs once for this
module on a scratch database of the kind the suite runs on (SQLite, or PostgreSQL when
DATABASE_URL says so), with Jordan's case built by tests/factories. For each row a person can edit over HTTP, every
round loads the page once (the starting state every phone has), then 8 threads post 8 different
texts from that same form, released together by a barrier. Each round must end with:

- exactly one acknowledgement (303, or 200 for an htmx request),
- every other writer answered 409, with its own words on the page (html-escaped as shown), so
  nothing anyone typed is lost,
- no 5xx (and no request left unanswered),
- the database holding the acknowledged writer's words.

A writer's words are lost when they were acknowledged but are not what is saved, or were refused
without being shown back. Figures for `make security-report`: rounds raced, writers raced,
acknowledgements (must equal rounds) and words lost (must be 0).

Each writer sends from its own loopback address (127.0.0.11 to .18), as eight phones would, so the
rate limiter (300 a minute per address and worker, in-memory; it cannot be turned off from outside
app/) never answers for the app: a round costs each address 1 request, the page loads 127.0.0.1.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TypeVar
from urllib.parse import urlencode

import pytest
from markupsafe import escape
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app import SaferPlan
from app.access.models import SectionShare
from app.auth.models import AccountKind
from app.commitments.queries import current_progress
from app.config import load_settings
from app.db import make_engine
from app.people.models import Agency
from app.plans.inputs import AgencyActionInput
from app.plans.models import AgencyAction, AgencyActionKind, ChildStatement
from tests.factories import commitments, people, plans
from tests.factories.cowriting import idea
from tests.factories.people import Case
from tests.support.database import migrate, scratch_database
from tests.support.figures import Figures
from tests.support.server import Gunicorn, SignedIn, free_port, request, server_env, sign_in

WRITERS = 8
ROUNDS = 10  # per kind of row
# SQLite serialises the eight writers (BEGIN IMMEDIATE, busy_timeout 15 s): give the last one time.
RACE_TIMEOUT = 20.0
ACKNOWLEDGED = frozenset({200, 303})
CONFLICT = 409
# Jordan's own idea, added to the draft after the meeting (jordans_case below): his to change.
JORDANS_IDEA = "ask Aunt Dee to pick me up from boxing if it's dark"

T = TypeVar("T")


@dataclass(frozen=True)
class RaceServer:
    """The running server, its database, and the people signed in to it."""

    port: int
    engine: Engine = field(repr=False)  # the database the server writes
    case: Case
    # Session cookies are kept out of failure reports.
    jordan: SignedIn = field(repr=False)  # the young person (family door)
    lisa: SignedIn = field(repr=False)  # his mum, a parent/carer (family door)
    rhys: SignedIn = field(repr=False)  # PC Rhys Hughes, the police agency partner (practitioner door)
    server: Gunicorn = field(repr=False)

    def read(self, query: Callable[[Session], T]) -> T:
        """Read the database the server writes, in a short transaction of our own."""
        with Session(self.engine) as session:
            return query(session)

    def get(self, path: str, who: SignedIn) -> str:
        status, page = request(self.port, "GET", path, headers=who.headers())
        assert status == 200, f"GET {path} answered {status}:\n{self.server.log()}"
        return page.decode()


def jordans_case(session: Session) -> tuple[Case, int]:
    """Jordan's agreed plan with a police action and a commitment of Lisa's, then his own idea in the
    draft; PC Rhys Hughes is the police partner on the case. Returns the case and Rhys's id."""
    case = people.case(session)
    rhys = people.police_partner(session, case.child)
    plans.agreed_plan(
        session,
        case.child,
        AgencyActionInput(
            agency=Agency.POLICE,
            kind=AgencyActionKind.INCREASE_SAFETY,
            action="set up the Police Trigger Plan",
            due_on=plans.AGREED_ON,
        ),
        commitments.commitment_input(case.parent, "a weekly plan for evenings with Jordan", by_when="Sundays"),
        by=case.worker,
    )
    idea(session, case.child, JORDANS_IDEA, by=case.young_person)
    return case, rhys.id or 0


@pytest.fixture(scope="module")
def race_server(application: SaferPlan, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RaceServer]:
    """Start the server once: scratch database, migrations, Jordan's case, three people signed in."""
    with scratch_database(tmp_path_factory.mktemp("races-db"), "races") as url:
        port = free_port()
        env = server_env(url, port, field_keys=application.settings.field_encryption_keys)
        settings = load_settings(env)
        migrate(url)
        engine = make_engine(url)
        server = Gunicorn(workdir=tmp_path_factory.mktemp("races"), env=env, port=port, threads=8)
        try:
            # Rows stay readable after the commit: the tests read the case's ids from them.
            with Session(engine, expire_on_commit=False) as session:
                case, rhys_id = jordans_case(session)
                family, practitioner = settings.family, settings.practitioner
                jordan = sign_in(
                    session=session, door=family, account_kind=AccountKind.FAMILY, account_id=case.young_person_id
                )
                lisa = sign_in(session=session, door=family, account_kind=AccountKind.FAMILY, account_id=case.parent_id)
                rhys = sign_in(
                    session=session, door=practitioner, account_kind=AccountKind.PRACTITIONER, account_id=rhys_id
                )
                session.commit()
            server.start()
            yield RaceServer(port=port, engine=engine, case=case, jordan=jordan, lisa=lisa, rhys=rhys, server=server)
        finally:
            server.stop()
            engine.dispose()


# --- Reading forms as a browser would ----------------------------------------------------------


@dataclass
class Form:
    """One <form> on a page: what a browser would send as it stands, and its checkboxes."""

    action: str
    fields: dict[str, str] = field(default_factory=dict)
    checkboxes: dict[str, bool] = field(default_factory=dict)  # every enabled checkbox: ticked?

    @property
    def ticked(self) -> frozenset[str]:
        return frozenset(name for name, on in self.checkboxes.items() if on)


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, bool] | None = None  # name, an option was marked selected

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""))
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name and a.get("type", "text") not in ("submit", "button", "reset"):
            if a.get("type") in ("checkbox", "radio"):
                self._form.checkboxes[name] = "checked" in a
                if "checked" in a:
                    self._form.fields[name] = a.get("value") or "on"
            else:
                self._form.fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = (name, False)
        elif tag == "option" and self._select is not None:
            select, chosen = self._select
            if "selected" in a and not chosen:
                self._form.fields[select] = a.get("value", "")
                self._select = (select, True)
            elif select not in self._form.fields:
                self._form.fields[select] = a.get("value", "")  # the first option, until one is selected

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            # A browser drops the one newline right after <textarea>.
            self._form.fields[name] = "".join(parts).removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def forms_on(page: str, action: str) -> list[Form]:
    reader = _FormReader()
    reader.feed(page)
    return [form for form in reader.forms if form.action == action]


def the_form(page: str, action: str, **having: str) -> Form:
    """The one form posting to `action` whose fields hold `having` (a page may list several)."""
    found = [f for f in forms_on(page, action) if all(f.fields.get(k) == v for k, v in having.items())]
    assert len(found) == 1, f"expected one form for {action} {having}, found {len(found)}"
    return found[0]


# --- One race ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Writer:
    """One phone: the form it sends, and the words it must not lose (its text, or its choices)."""

    fields: dict[str, str] = field(repr=False)  # holds the CSRF token: kept out of failure reports
    words: str
    htmx: bool = False


@dataclass(frozen=True)
class Round:
    number: int
    writers: list[Writer]
    statuses: list[int]
    shown_back: list[bool]  # per writer: its words are on the page it was answered with
    saved: str  # what the database holds after the round

    @property
    def acknowledged(self) -> list[int]:
        return [i for i, status in enumerate(self.statuses) if status in ACKNOWLEDGED]

    def kept(self, i: int) -> bool:
        """Writer i's words are saved (it was acknowledged) or were shown back with a conflict."""
        if self.statuses[i] in ACKNOWLEDGED:
            return self.writers[i].words == self.saved
        return self.statuses[i] == CONFLICT and self.shown_back[i]

    @property
    def words_lost(self) -> int:
        return sum(not self.kept(i) for i in range(len(self.writers)))

    def problems(self) -> list[str]:
        found = []
        if len(self.acknowledged) != 1:
            found.append(f"{len(self.acknowledged)} acknowledged")
        others = [self.statuses[i] for i in range(len(self.writers)) if i not in self.acknowledged]
        if any(status != CONFLICT for status in others):
            found.append(f"answers other than 409: {sorted(s for s in others if s != CONFLICT)}")
        if not any(self.writers[i].words == self.saved for i in self.acknowledged):
            found.append("the database holds no acknowledged writer's words")
        if self.words_lost:
            found.append(f"{self.words_lost} writers' words lost")
        return [f"round {self.number}: {', '.join(found)}"] if found else []


def race(server: RaceServer, path: str, who: SignedIn, writers: list[Writer]) -> list[tuple[int, str]]:
    """Post every writer's form at once (each from its own address); the answers, in writer order."""
    barrier = threading.Barrier(len(writers), timeout=RACE_TIMEOUT)
    answers: list[tuple[int, str]] = [(0, "")] * len(writers)

    def post(i: int) -> None:
        status, page = request(
            server.port,
            "POST",
            path,
            body=urlencode(writers[i].fields),
            headers=who.headers(form=True, htmx=writers[i].htmx),
            source=f"127.0.0.{11 + i}",
            barrier=barrier,
            timeout=RACE_TIMEOUT,
        )
        answers[i] = (status, page.decode(errors="replace"))

    threads = [threading.Thread(target=post, args=(i,), daemon=True) for i in range(len(writers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=RACE_TIMEOUT + 10)
    assert not any(thread.is_alive() for thread in threads), "a writer never got an answer"
    return answers


def words_shown(writer: Writer, page: str) -> bool:
    """The writer's text is on the page, escaped as the page shows it."""
    return str(escape(writer.words)) in page


@dataclass(frozen=True)
class Kind:
    """One kind of editable row: how to load its form, make 8 writers from it, and read what is saved."""

    name: str
    who: Callable[[RaceServer], SignedIn]
    load: Callable[[RaceServer], Form]  # the form as every phone has it at the start of a round
    writers: Callable[[int, Form], list[Writer]]  # round number, starting form
    saved: Callable[[Session], str]
    shown: Callable[[Writer, str], bool] = words_shown


def run_rounds(server: RaceServer, kind: Kind, figures: Figures) -> list[Round]:
    """ROUNDS races of WRITERS writers; counts the figures, returns the rounds for the verdict."""
    rounds = []
    for number in range(1, ROUNDS + 1):
        form = kind.load(server)
        writers = kind.writers(number, form)
        answers = race(server, form.action, kind.who(server), writers)
        rounds.append(
            Round(
                number=number,
                writers=writers,
                statuses=[status for status, _page in answers],
                shown_back=[kind.shown(w, page) for w, (_status, page) in zip(writers, answers, strict=True)],
                saved=server.read(kind.saved),
            )
        )
    figures.add("r24.rounds_raced", len(rounds))
    figures.add("r24.writers_raced", sum(len(r.writers) for r in rounds))
    figures.add("r24.acknowledged", sum(len(r.acknowledged) for r in rounds))
    figures.add("r24.words_lost", sum(r.words_lost for r in rounds))
    return rounds


def verdict(server: RaceServer, kind: Kind, rounds: list[Round]) -> None:
    acknowledgements = Counter(len(r.acknowledged) for r in rounds)
    statuses = Counter(status for r in rounds for status in r.statuses)
    summary = (
        f"R24 {kind.name}: {len(rounds)} rounds of {WRITERS} writers; rounds with more than one acknowledgement: "
        f"{sum(n for acks, n in acknowledgements.items() if acks > 1)}, with none: {acknowledgements[0]}; "
        f"acknowledgements per round: {dict(sorted(acknowledgements.items()))}; "
        f"answers: {dict(sorted(statuses.items()))}; "
        f"words lost: {sum(r.words_lost for r in rounds)}"
    )
    print(f"\n{summary}")
    problems = [problem for r in rounds for problem in r.problems()]
    server_errors = [status for status in statuses if status >= 500 or status == 0]
    log = f"\n{server.server.log()}" if server_errors else ""
    assert problems == [], "\n".join([summary, *problems]) + log


def typed_into(name: str, label: str, *, htmx_too: bool = False) -> Callable[[int, Form], list[Writer]]:
    """Writers that each type a different text into the form's field `name`, the rest as loaded.

    The texts hold characters the page must escape (& < > ' "). With `htmx_too`, every other phone
    posts as htmx does (200 when saved) and the rest as a plain form (303 when saved).
    """

    def writers(number: int, form: Form) -> list[Writer]:
        found = []
        for i in range(WRITERS):
            tag = uuid.uuid4().hex[:6]
            words = f'{label} {number}.{i} ({tag}): I\'ll ask Aunt Dee & Coach Marcus <first> to "pick me up"'
            found.append(Writer({**form.fields, name: words}, words, htmx=htmx_too and i % 2 == 1))
        return found

    return writers


# --- The kinds of rows ---------------------------------------------------------------------------


def statement_kind(server: RaceServer) -> Kind:
    """Jordan's own idea: POST /c/<child>/statements/<id> with the `revision` his edit form holds."""
    child = server.case.child_id
    statement_id = server.read(
        lambda s: s.exec(
            select(ChildStatement.id).where(
                ChildStatement.text == JORDANS_IDEA,
                ChildStatement.written_by_member_id == server.case.young_person_id,
            )
        ).one()
    )

    def load(server: RaceServer) -> Form:
        page = server.get(f"/c/{child}/statements/{statement_id}/edit", server.jordan)
        return the_form(page, f"/c/{child}/statements/{statement_id}")

    def saved(session: Session) -> str:
        statement = session.get(ChildStatement, statement_id)
        assert statement is not None
        return statement.text

    return Kind("statement", lambda s: s.jordan, load, typed_into("text", "Idea", htmx_too=True), saved)


def agency_action_kind(server: RaceServer) -> Kind:
    """A police action, by PC Hughes: POST /practitioner/children/<child>/agency-actions (action_id, revision)."""
    action = f"/practitioner/children/{server.case.child_id}/agency-actions"
    page = server.get(action, server.rhys)
    action_id = forms_on(page, action)[0].fields["action_id"]

    def load(server: RaceServer) -> Form:
        return the_form(server.get(action, server.rhys), action, action_id=action_id)

    def saved(session: Session) -> str:
        row = session.get(AgencyAction, int(action_id))
        assert row is not None
        return row.action

    # The agency actions page has no htmx: every phone posts a plain form.
    return Kind("agency action", lambda s: s.rhys, load, typed_into("action", "Police action"), saved)


def comment_kind(server: RaceServer) -> Kind:
    """Lisa's comment on her first commitment: POST /c/<child>/commitments/<id>/comment with `latest`."""
    child = server.case.child_id
    page = server.get(f"/c/{child}", server.lisa)
    reader = _FormReader()
    reader.feed(page)
    action = next(f.action for f in reader.forms if f.action.endswith("/comment"))
    commitment_id = int(action.split("/")[-2])

    def load(server: RaceServer) -> Form:
        return the_form(server.get(f"/c/{child}", server.lisa), action)

    def saved(session: Session) -> str:
        progress = current_progress(session=session, commitment_id=commitment_id)
        return (progress.comment or "") if progress is not None else ""

    return Kind("commitment comment", lambda s: s.lisa, load, typed_into("comment", "Comment", htmx_too=True), saved)


def sharing_kind(server: RaceServer) -> Kind:
    """Jordan's choices of who sees what: POST /c/<child>/sharing, from 8 phones at once.

    Each phone ticks or unticks one different box for Aunt Dee on the same page. The "words" here
    are the choices: the boxes ticked for Dee. A conflict must show the phone's own choices ticked
    again (so it can save them on purpose), and what is saved must be the acknowledged phone's.
    """
    child, dee = server.case.child_id, server.case.trusted_adult_id
    action = f"/c/{child}/sharing"
    prefix = f"share-{dee}-"

    def load(server: RaceServer) -> Form:
        return the_form(server.get(action, server.jordan), action)

    def dees(ticked: frozenset[str]) -> str:
        return " ".join(sorted(name for name in ticked if name.startswith(prefix)))

    def writers(_number: int, form: Form) -> list[Writer]:
        boxes = sorted(name for name in form.checkboxes if name.startswith(prefix) and not name.endswith("-cowrite"))
        assert len(boxes) >= WRITERS, boxes
        hidden = {name: value for name, value in form.fields.items() if name not in form.checkboxes}
        choices = [form.ticked ^ {boxes[i]} for i in range(WRITERS)]
        return [Writer({**hidden, **dict.fromkeys(sorted(ticked), "on")}, dees(ticked)) for ticked in choices]

    def shown(writer: Writer, page: str) -> bool:
        again = forms_on(page, action)
        return len(again) == 1 and dees(again[0].ticked) == writer.words

    def saved(session: Session) -> str:
        rows = session.exec(
            select(SectionShare.section).where(
                SectionShare.child_id == child, SectionShare.member_id == dee, col(SectionShare.visible)
            )
        ).all()
        return " ".join(sorted(f"{prefix}{section}" for section in rows))

    return Kind("sharing choices", lambda s: s.jordan, load, writers, saved, shown)


# --- The tests ---------------------------------------------------------------------------------


def test_r24_racing_edits_of_one_statement_acknowledge_one(race_server: RaceServer, figures: Figures) -> None:
    kind = statement_kind(race_server)
    verdict(race_server, kind, run_rounds(race_server, kind, figures))


def test_r24_racing_edits_of_one_agency_action_acknowledge_one(race_server: RaceServer, figures: Figures) -> None:
    kind = agency_action_kind(race_server)
    verdict(race_server, kind, run_rounds(race_server, kind, figures))


def test_r24_racing_comments_on_one_commitment_acknowledge_one(race_server: RaceServer, figures: Figures) -> None:
    kind = comment_kind(race_server)
    verdict(race_server, kind, run_rounds(race_server, kind, figures))


def test_r24_racing_sharing_choices_acknowledge_one(race_server: RaceServer, figures: Figures) -> None:
    """Expects what R24 asks of every editable row, though the sharing form carries no revision today.

    Eight phones load Jordan's sharing page once and each submits a different choice for Aunt Dee:
    exactly one may be acknowledged (303); the seven others must get a 409 page with their own
    choices ticked, and the database must hold the acknowledged choice. Today the form has no
    revision and every post is accepted, the last one silently replacing the others (SQLite), or
    the posts merging into a choice nobody made (PostgreSQL): this test fails on both databases
    until the form states the state it started from (a hidden field this test sends back as it is).
    """
    kind = sharing_kind(race_server)
    verdict(race_server, kind, run_rounds(race_server, kind, figures))
