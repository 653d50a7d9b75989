"""Wording (issue 8): plan sentences read naturally for whoever reads them, on both doors.

A carer's commitment is "WHO will ensure / make / do ..." in seed 003; the kind is the sentence's
starter, so "do" takes the verb that follows ("Lisa will report Jordan missing..."), never
"will do report". Lisa reads her own commitments in the first person; everyone else reads her
name. Section names are in the young person's voice ("My safe word") only on the young person's
own pages; parents and workers read them in the third person ("Jordan's safe word").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import nodes
from sqlmodel import Session

from app import SaferPlan
from app.plans.models import CommitmentKind
from app.plans.sections import Section
from app.web.labels import SECTION_WORDS, section_words
from tests.factories import commitments, plans
from tests.factories.people import Case
from tests.support.bad_input import visible_text
from tests.support.clients import CsrfClient

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"

REPORT = "report Jordan missing to the police if he is not home and not answering"
WEEKLY_PLAN = "a weekly plan for evenings with Jordan"
WELCOME = "when Jordan returns home I will welcome him back calmly"


@pytest.fixture
def lisas_commitments(db: Session, case: Case) -> plans.AgreedPlan:
    """Jordan's agreed plan with Lisa's three commitments, one of each kind, as the meeting wrote them."""

    def lisa(kind: CommitmentKind, text: str, by_when: str) -> commitments.CommitmentInput:
        return commitments.commitment_input(case.parent, text, kind=kind, by_when=by_when, who="Lisa (Mum)")

    return plans.agreed_plan(
        db,
        case.child,
        lisa(CommitmentKind.ENSURE, WELCOME + ", and we talk the next morning", "every time"),
        lisa(CommitmentKind.MAKE, WEEKLY_PLAN, "Sundays"),
        lisa(CommitmentKind.DO, REPORT, "by 10pm"),
        by=case.worker,
    )


def _text(client: CsrfClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return visible_text(response.get_data(as_text=True))


def test_lisa_reads_her_own_commitments_in_the_first_person(
    as_parent: CsrfClient, case: Case, lisas_commitments: plans.AgreedPlan
) -> None:
    page = _text(as_parent, f"/c/{case.child.id}")
    assert f"I will {REPORT}" in page
    assert f"I will make {WEEKLY_PLAN}" in page
    assert f"I will make sure: {WELCOME}" in page
    assert "will do report" not in page and "I will ensure when" not in page
    # The by/at words are a time or an occasion, said once ("by 10pm", not "By or at: by 10pm").
    assert "When: by 10pm" in page and "By or at" not in page


def test_jordan_reads_his_mums_commitments_with_her_name(
    as_young_person: CsrfClient, case: Case, lisas_commitments: plans.AgreedPlan
) -> None:
    page = _text(as_young_person, f"/c/{case.child.id}")
    assert f"Lisa (Mum) will {REPORT}" in page
    assert f"Lisa (Mum) will make {WEEKLY_PLAN}" in page
    # "I" in an "ensure" commitment is Lisa's own word: it is quoted, so nobody reads it as Jordan's.
    assert f"Lisa (Mum) will make sure: “{WELCOME}" in page
    assert "will do report" not in page and f"I will {REPORT}" not in page


def test_the_worker_reads_the_commitments_as_sentences(
    as_worker: CsrfClient, case: Case, lisas_commitments: plans.AgreedPlan
) -> None:
    page = _text(as_worker, f"/children/{case.child.id}")
    assert f"Lisa (Mum) will {REPORT}" in page
    assert f"Lisa (Mum) will make {WEEKLY_PLAN}" in page
    assert f"Lisa (Mum) will ensure: “{WELCOME}" in page
    assert "will do report" not in page
    assert "by/at" not in page


def test_section_names_are_the_young_persons_own_only_on_his_pages(
    as_young_person: CsrfClient,
    as_parent: CsrfClient,
    as_worker: CsrfClient,
    case: Case,
    lisas_commitments: plans.AgreedPlan,
) -> None:
    jordans = _text(as_young_person, f"/c/{case.child.id}/sharing")
    assert "My safe word" in jordans and "Who can make decisions for me" in jordans

    lisas = _text(as_parent, f"/c/{case.child.id}/sharing")
    assert "Jordan's safe word" in lisas and "Who can make decisions for Jordan" in lisas
    assert "My safe word" not in lisas and "for me" not in lisas and "My plan" not in lisas

    access = _text(as_worker, f"/children/{case.child.id}/access")
    assert "Jordan's safe word" in access and "Lock Jordan's safe word" in access
    assert "Who can make decisions for Jordan" in access
    assert "My safe word" not in access and "for me" not in access and "My plan" not in access


def test_every_section_has_words_for_the_young_person_and_for_others() -> None:
    for section in Section:
        mine = section_words(section.value)
        theirs = section_words(section.value, about="Robin")
        assert mine == str(SECTION_WORDS[section.value])
        assert not re.search(r"\b(I|I'm|I'd|me|my|My)\b", theirs), theirs


FRAGMENT = re.compile(r"^\s*(I|will|by/at|[Bb]y or at)\s*$")


def test_no_template_builds_a_sentence_from_translated_fragments(application: SaferPlan) -> None:
    """Translators see whole sentences: no `_("will")` or `_("I")` to be glued to other words."""
    env = application.family.jinja_env
    fragments = []
    for path in sorted(TEMPLATES.glob("**/*.html")):
        tree = env.parse(path.read_text(encoding="utf-8"))
        for call in tree.find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name == "_" and call.args:
                first = call.args[0]
                if isinstance(first, nodes.Const) and FRAGMENT.match(str(first.value)):
                    fragments.append(f"{path.relative_to(TEMPLATES)}:{call.lineno} {first.value!r}")
    assert fragments == []
