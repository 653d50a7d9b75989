"""Issue 15: the family side in Arabic, Albanian and Vietnamese; the practitioner side stays English.

Through the Flask test client with CSRF on: the browser's Accept-Language decides until a family
member chooses; the choice is kept with the person (a new sign-in keeps it, Lisa's is her own);
Arabic pages are right to left; plan content stays in the words people wrote.
"""

from __future__ import annotations

import html
import json

import pytest
from sqlmodel import Session

from app import SaferPlan
from app.auth.models import AccountKind
from app.people.models import FamilyLink, FamilyMember, FamilyRole
from app.plans.models import Moment
from tests.factories import people, plans
from tests.factories.people import Case
from tests.support.clients import CsrfClient, make_client
from tests.support.signin import sign_in_as

QUICK_EXIT = {"en": "Quick exit", "ar": "خروج سريع", "sq": "Dalje e shpejtë", "vi": "Thoát nhanh"}
IN_DANGER = {
    "en": "If I'm in danger",
    "ar": "إذا كنتُ في خطر",
    "sq": "Nëse jam në rrezik",
    "vi": "Nếu mình gặp nguy hiểm",
}
JORDANS_WORDS = "text Mum when I leave school and when I get to football"


@pytest.fixture
def jordans_plan(db: Session, case: Case) -> plans.AgreedPlan:
    return plans.agreed_plan(
        db,
        case.child,
        plans.statement(JORDANS_WORDS, own_words_of=case.young_person),
        plans.statement("call 999 if I'm scared or hurt", moment=Moment.EMERGENCY),
        by=case.worker,
    )


def _page(client: CsrfClient, path: str = "/", language: str = "") -> str:
    response = client.get(path, headers={"Accept-Language": language} if language else {})
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _choose(client: CsrfClient, case: Case, language: str) -> None:
    response = client.post("/reading/language", data={"language": language, "child": str(case.child_id)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/c/{case.child_id}")


def _chosen(db: Session, member_id: int) -> str | None:
    member = db.get(FamilyMember, member_id)
    assert member is not None
    db.refresh(member)
    return member.language


@pytest.mark.parametrize("language", ["ar", "sq", "vi"])
def test_before_choosing_the_browser_language_decides(application: SaferPlan, language: str) -> None:
    page = _page(make_client(application.family), "/sign-in", language=f"{language},en;q=0.5")
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in page
    assert QUICK_EXIT[language] in page and QUICK_EXIT["en"] not in page


def test_the_installed_app_follows_the_browser_language(application: SaferPlan) -> None:
    client = make_client(application.family)
    response = client.get("/manifest.webmanifest", headers={"Accept-Language": "ar"})
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["lang"] == "ar" and manifest["dir"] == "rtl" and manifest["name"] == "Daybook"


def test_a_language_we_do_not_have_falls_back_to_english(application: SaferPlan) -> None:
    page = _page(make_client(application.family), "/sign-in", language="de-DE,fr;q=0.8")
    assert '<html lang="en" dir="ltr">' in page and QUICK_EXIT["en"] in page


def test_the_practitioner_side_is_never_switched(application: SaferPlan, as_worker: CsrfClient) -> None:
    page = _page(make_client(application.practitioner), "/sign-in", language="ar")
    assert '<html lang="en" dir="ltr">' in page
    assert '<html lang="en" dir="ltr">' in _page(as_worker, "/", language="ar")


def test_young_person_chooses_arabic_and_the_page_words_change_but_not_his_own(
    as_young_person: CsrfClient, case: Case, jordans_plan: plans.AgreedPlan, db: Session
) -> None:
    english = _page(as_young_person)
    assert IN_DANGER["en"] in english and 'aria-current="true">English<' in english

    _choose(as_young_person, case, "ar")
    arabic = _page(as_young_person)
    assert '<html lang="ar" dir="rtl">' in arabic
    assert IN_DANGER["ar"] in arabic and IN_DANGER["en"] not in arabic
    assert JORDANS_WORDS in arabic  # what people wrote stays in their words
    assert 'lang="ar" dir="rtl" aria-current="true">العربية<' in arabic
    assert _chosen(db, case.young_person_id) == "ar"

    _choose(as_young_person, case, "")  # back to following the browser
    assert _chosen(db, case.young_person_id) is None
    assert IN_DANGER["vi"] in _page(as_young_person, language="vi")


def test_the_choice_follows_the_person_to_a_new_sign_in(
    application: SaferPlan, as_young_person: CsrfClient, case: Case, jordans_plan: plans.AgreedPlan, db: Session
) -> None:
    _choose(as_young_person, case, "sq")
    new_phone = make_client(application.family)
    sign_in_as(new_phone, session=db, account_kind=AccountKind.FAMILY, account_id=case.young_person_id)
    # The person's choice wins over the new phone's browser language.
    assert IN_DANGER["sq"] in _page(new_phone, language="en-GB")


def test_each_person_chooses_for_themselves(
    as_young_person: CsrfClient, as_parent: CsrfClient, case: Case, jordans_plan: plans.AgreedPlan, db: Session
) -> None:
    _choose(as_parent, case, "vi")
    assert QUICK_EXIT["vi"] in _page(as_parent)
    assert QUICK_EXIT["en"] in _page(as_young_person)
    assert _chosen(db, case.parent_id) == "vi" and _chosen(db, case.young_person_id) is None


def test_a_garbled_choice_changes_nothing(
    as_young_person: CsrfClient, case: Case, jordans_plan: plans.AgreedPlan, db: Session
) -> None:
    _choose(as_young_person, case, "ar")
    for garbled in ("klingon", "AR", "ar-x-" + "a" * 300, "../en"):
        response = as_young_person.post("/reading/language", data={"language": garbled, "child": "²"})
        assert response.status_code == 303 and response.headers["Location"].endswith("/")
    assert _chosen(db, case.young_person_id) == "ar"


def test_choosing_needs_the_csrf_token(
    as_young_person: CsrfClient, case: Case, jordans_plan: plans.AgreedPlan, db: Session
) -> None:
    as_young_person.send_csrf = False
    response = as_young_person.post("/reading/language", data={"language": "ar", "child": str(case.child_id)})
    assert response.status_code == 400
    assert _chosen(db, case.young_person_id) is None


def test_a_parent_of_two_chooses_on_the_first_screen(
    as_parent: CsrfClient, case: Case, jordans_plan: plans.AgreedPlan, db: Session
) -> None:
    """Lisa is Jordan's mum and his sister's: her first screen asks which plan, and offers the languages."""
    sister = people.child(db, first_name="Mia", preferred_name="Mia")
    db.add(FamilyLink(child_id=sister.id or 0, member_id=case.parent_id, role=FamilyRole.PARENT_CARER))
    db.commit()
    first = _page(as_parent)
    assert "Choose a plan" in first and 'name="language" value="ar"' in first
    response = as_parent.post("/reading/language", data={"language": "sq"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
    assert _chosen(db, case.parent_id) == "sq"
    assert "Dalje e shpejtë" in _page(as_parent)


def test_the_privacy_page_says_the_translation_is_not_yet_checked(
    as_young_person: CsrfClient, case: Case, jordans_plan: plans.AgreedPlan
) -> None:
    sharing = f"/c/{case.child_id}/sharing"
    assert "About this translation" not in _page(as_young_person, sharing)
    _choose(as_young_person, case, "vi")
    page = _page(as_young_person, sharing)
    assert "Về bản dịch này" in page and "Chưa có người nói tiếng Việt là tiếng mẹ đẻ kiểm tra" in page
