"""Easy read (issue 4: reading): a family member switches their plan pages to easy-read words.

Two kinds of check. The words: every easy-read sentence written in the family templates is read
out of the templates' syntax trees and held to easy-read practice (short sentences, everyday
words, no brackets or shortened words), so a later change cannot quietly make them hard again.
The switch: through the Flask test client with CSRF on, the choice is kept with the person (it
follows them to a new sign-in), changes the words and the look, and can be switched back.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from jinja2 import nodes
from sqlmodel import Session

from app import SaferPlan
from app.auth.models import AccountKind
from app.people.models import FamilyMember
from app.plans.inputs import ContactInput
from app.plans.models import Moment
from tests.factories import commitments, plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient, make_client
from tests.support.signin import sign_in_as

TEMPLATES = Path(__file__).resolve().parents[3] / "app" / "templates"

# Easy-read guidance (Mencap; the Department of Health's "Making written information easier to
# understand"): about 15 words a sentence at most, one idea each, everyday words, no brackets.
MAX_WORDS_PER_SENTENCE = 15
# Words from meetings and services that easy read replaces with everyday ones.
HARD_WORDS = {
    "access",
    "agencies",
    "agency",
    "check-in",
    "commitment",
    "commitments",
    "contingency",
    "decision",
    "decisions",
    "device",
    "devices",
    "disrupt",
    "ensure",
    "exploitation",
    "located",
    "offline",
    "parental",
    "practitioner",
    "responsibility",
    "revoke",
    "safeguarding",
}
APOSTROPHE = "['\u2019]"  # a typewriter or a curly one
SHORTENED = re.compile(
    rf"n{APOSTROPHE}t\b|{APOSTROPHE}(m|ll|re|ve|d)\b|\b(it|that|there|what|who|let){APOSTROPHE}s\b", re.IGNORECASE
)


@dataclass(frozen=True)
class EasyWords:
    template: str
    line: int
    easy: str
    usual: str | None  # None for a sentence shown only in easy read


def _gettext_text(node: nodes.Node) -> str | None:
    """The message of a `_("...")` call, or None if `node` is something else."""
    if (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Name)
        and node.node.name == "_"
        and node.args
        and isinstance(node.args[0], nodes.Const)
    ):
        return str(node.args[0].value)
    return None


def _is_call_to(node: nodes.Node, name: str) -> bool:
    return isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == name


def easy_words_in_templates(application: SaferPlan) -> list[EasyWords]:
    """Every `words(_("usual"), _("easy"))` and every `_()` inside `{% if easy_read() %}`."""
    env = application.family.jinja_env
    found: list[EasyWords] = []
    # Every template, whichever feature folder it is in: easy words are for the family side, but a
    # feature's partials (co-writing, commitments, what's new) live beside its other templates.
    for path in sorted(TEMPLATES.glob("**/*.html")):
        name = str(path.relative_to(TEMPLATES))
        tree = env.parse(path.read_text(encoding="utf-8"))
        for call in tree.find_all(nodes.Call):
            if _is_call_to(call, "words"):
                assert len(call.args) == 2, f"{name}:{call.lineno}: words() takes the usual and the easy words"
                usual, easy = (_gettext_text(arg) for arg in call.args)
                assert usual is not None and easy is not None, f'{name}:{call.lineno}: both must be _("...")'
                found.append(EasyWords(name, call.lineno, easy, usual))
        for branch in tree.find_all(nodes.If):
            if _is_call_to(branch.test, "easy_read"):
                for node in branch.body:
                    for call in node.find_all(nodes.Call):
                        text = _gettext_text(call)
                        if text is not None:
                            found.append(EasyWords(name, call.lineno, text, None))
    return found


# The pages where easy read is offered, and everything they include or extend.
EASY_READ_PAGES = (
    "family/plan.html",
    "family/carer_plan.html",
    "family/sharing.html",
    "family/shared_with_me.html",
    "family/history.html",
    "family/devices.html",
    "family/remove_device.html",
    "family/add_device.html",
    "family/choose_child.html",
    "family/no_plan.html",
    "family/locked.html",
    "family/offline.html",
)


def templates_of_easy_read_pages(application: SaferPlan) -> list[str]:
    """EASY_READ_PAGES with every template they include, import or extend, followed all the way down."""
    env = application.family.jinja_env
    seen: list[str] = []
    todo = list(EASY_READ_PAGES)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.append(name)
        tree = env.parse(Path(TEMPLATES, name).read_text(encoding="utf-8"))
        for node in tree.find_all((nodes.Include, nodes.Extends, nodes.FromImport, nodes.Import)):
            if isinstance(node.template, nodes.Const):
                todo.append(str(node.template.value))
    return sorted(seen)


def words_shown_in_both_modes(application: SaferPlan) -> list[EasyWords]:
    """Every `_()` on the easy-read pages that has no easy version: it must be easy as it is."""
    env = application.family.jinja_env
    found: list[EasyWords] = []
    for name in templates_of_easy_read_pages(application):
        tree = env.parse(Path(TEMPLATES, name).read_text(encoding="utf-8"))
        has_easy_version: set[int] = set()
        for call in tree.find_all(nodes.Call):
            if _is_call_to(call, "words"):
                has_easy_version.update(id(arg) for arg in call.args)
        for branch in tree.find_all(nodes.If):
            if _is_call_to(branch.test, "easy_read"):
                for node in branch.body:
                    has_easy_version.update(id(call) for call in node.find_all(nodes.Call))
        for call in tree.find_all(nodes.Call):
            text = _gettext_text(call)
            if text is not None and id(call) not in has_easy_version:
                found.append(EasyWords(name, call.lineno, text, None))
    return found


def _without_placeholders(text: str) -> str:
    return re.sub(r"%\((\w+)\)s", r"\1", text)  # "%(date)s" reads as one word, "date"


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?:])\s+", text.strip()) if part]


def easy_read_problems(found: list[EasyWords]) -> list[str]:
    """Where easy-read words break easy-read practice, one line each."""
    problems: list[str] = []
    for item in found:
        where = f"{item.template}:{item.line} “{item.easy}”"
        plain = _without_placeholders(item.easy)
        if item.usual is not None and item.easy == item.usual:
            problems.append(f"{where}: the same as the usual words")
        for sentence in _sentences(plain):
            count = len(sentence.split())
            if count > MAX_WORDS_PER_SENTENCE:
                problems.append(f"{where}: {count} words in one sentence")
        words = {word.strip('.,:;!?“”"').lower() for word in plain.split()}
        if hard := sorted(words & HARD_WORDS):
            problems.append(f"{where}: uses {', '.join(hard)}")
        if any(mark in plain for mark in "();"):
            problems.append(f"{where}: brackets or semicolons")
        if SHORTENED.search(plain):
            problems.append(f"{where}: shortened words (write them in full)")
    return problems


def test_the_easy_words_are_easy(application: SaferPlan) -> None:
    found = easy_words_in_templates(application)
    # The walk finds the plan pages' easy words; if this number drops, the walk is broken.
    assert len(found) >= 30, found
    assert easy_read_problems(found) == []


def test_every_sentence_on_an_easy_read_page_is_easy(application: SaferPlan) -> None:
    """Words with no easy version are shown to easy-read readers too, so they must be easy already."""
    pages = templates_of_easy_read_pages(application)
    # The walk follows includes: the plan's sections and the co-writing forms are in it.
    assert {"family/_plan_sections.html", "cowriting/_addition_forms.html", "family/_layout.html"} <= set(pages)
    shared = words_shown_in_both_modes(application)
    assert len(shared) >= 40, shared
    assert easy_read_problems(shared) == []


def test_the_easy_read_check_can_fail() -> None:
    """A long, jargon-filled, bracketed, shortened "easy" sentence is caught on every count."""
    bad = EasyWords(
        "bad.html",
        1,
        "The practitioner will ensure the contingency plan is looked at by every agency "
        "at the next meeting (if it's needed).",
        "Usual",
    )
    same = EasyWords("bad.html", 2, "Same words", "Same words")
    problems = "\n".join(easy_read_problems([bad, same]))
    assert "20 words in one sentence" in problems
    assert "uses agency, contingency, ensure, practitioner" in problems
    assert "brackets" in problems and "shortened words" in problems
    assert "the same as the usual words" in problems


# --- The switch ------------------------------------------------------------------------------------


@pytest.fixture
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's agreed plan: what he will do every day, what he will do in danger, someone to call,
    and a commitment of Lisa's."""
    return plans.agreed_plan(
        db,
        case.child,
        plans.statement("text Mum when I leave school and when I get to football", own_words_of=case.young_person),
        plans.statement("call 999 if I'm scared or hurt", moment=Moment.EMERGENCY),
        ContactInput(name="Aunt Dee", relationship="Aunt", phone="07700 900456"),
        commitments.commitment_input(case.parent, "a weekly plan for evenings with Jordan"),
        by=case.worker,
    )


def _page(client: CsrfClient, path: str = "/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _switch(client: CsrfClient, case: Case, choice: str) -> None:
    response = client.post("/reading/easy-read", data={"easy_read": choice, "child": str(case.child_id)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/c/{case.child_id}")


def test_young_person_switches_to_easy_read_and_back(
    as_young_person: CsrfClient, case: Case, jordans_plan: plans.AgreedPlan, db: Session
) -> None:
    before = _page(as_young_person)
    assert "If I'm in danger" in before and "Switch to easy read" in before
    assert "easy_read.css" not in before  # everyone else's first visit stays small

    _switch(as_young_person, case, "on")
    easy = _page(as_young_person)
    assert "If I am not safe" in easy and "If I'm in danger" not in easy
    assert "What I will do every day" in easy
    assert "Tap a name to phone them." in easy
    assert 'class="family easy-read"' in easy and "css/easy_read.css" in easy
    assert "Switch to the usual words" in easy
    member = db.get(FamilyMember, case.young_person_id)
    assert member is not None
    db.refresh(member)
    assert member.easy_read is True

    _switch(as_young_person, case, "off")
    usual = _page(as_young_person)
    assert "If I'm in danger" in usual and "If I am not safe" not in usual
    assert '<body class="family">' in usual and "easy_read.css" not in usual


def test_the_choice_follows_the_person_to_a_new_sign_in(
    application: SaferPlan, as_young_person: CsrfClient, case: Case, jordans_plan: plans.AgreedPlan, db: Session
) -> None:
    _switch(as_young_person, case, "on")
    new_phone = make_client(application.family)
    sign_in_as(new_phone, session=db, account_kind=AccountKind.FAMILY, account_id=case.young_person_id)
    assert "If I am not safe" in _page(new_phone)


def test_easy_read_is_each_persons_own_choice(
    as_young_person: CsrfClient, as_parent: CsrfClient, case: Case, jordans_plan: plans.AgreedPlan
) -> None:
    _switch(as_parent, case, "on")
    carer_page = _page(as_parent)
    assert "This is Jordan's plan. It shows how you can help." in carer_page
    assert "Read this aloud" in carer_page
    # Jordan did not choose it: his pages keep the usual words.
    assert "If I'm in danger" in _page(as_young_person)


def test_a_garbled_choice_changes_nothing(
    as_young_person: CsrfClient, case: Case, jordans_plan: plans.AgreedPlan, db: Session
) -> None:
    response = as_young_person.post("/reading/easy-read", data={"easy_read": "yes please", "child": "²"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
    member = db.get(FamilyMember, case.young_person_id)
    assert member is not None
    db.refresh(member)
    assert member.easy_read is False


def test_switching_needs_the_csrf_token(
    as_young_person: CsrfClient, case: Case, jordans_plan: plans.AgreedPlan, db: Session
) -> None:
    as_young_person.send_csrf = False
    response = as_young_person.post("/reading/easy-read", data={"easy_read": "on", "child": str(case.child_id)})
    assert response.status_code == 400
    member = db.get(FamilyMember, case.young_person_id)
    assert member is not None
    db.refresh(member)
    assert member.easy_read is False
