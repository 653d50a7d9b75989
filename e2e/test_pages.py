"""Every page at phone width: a screenshot in e2e/screenshots/, and no axe-core violations."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from app.demo.seed import DEMO_PASSWORD
from e2e.pages import SAM, FamilyPhone, PractitionerDesk

Check = Callable[[Page, str], None]


# --- Family door ---------------------------------------------------------------------------------


def test_family_sign_in(phone: FamilyPhone, check_page: Check) -> None:
    phone.open_sign_in()
    expect(phone.heading).to_have_text("Welcome back")
    expect(phone.page.get_by_role("button", name="Open with my key")).to_be_enabled()
    check_page(phone.page, "family-sign-in")


def test_join_page(phone: FamilyPhone, invitation_link: Callable[..., str], check_page: Check) -> None:
    phone.open_invitation(invitation_link("Young person", "Jordan"))
    expect(phone.heading).to_have_text("Hi Jordan")
    expect(phone.page.get_by_role("button", name="Make my key")).to_be_enabled()
    expect(phone.page.get_by_text("This link works once")).to_be_visible()
    check_page(phone.page, "family-join")


def test_join_page_for_a_link_that_does_not_work(phone: FamilyPhone, base_url: str, check_page: Check) -> None:
    phone.open_invitation(f"{base_url}/join/not-a-real-invitation")
    expect(phone.heading).to_have_text("This link doesn't work any more")
    check_page(phone.page, "family-join-expired")


def test_young_persons_plan(jordans_phone: FamilyPhone, check_page: Check) -> None:
    plan = jordans_phone.plan
    expect(plan.greeting).to_have_text("Hi Jordan")
    expect(plan.call_999).to_be_visible()
    expect(plan.emergency_section).to_contain_text("07700 900456")  # Aunt Dee's (fictional) number
    expect(plan.everyday_section).to_contain_text("go to boxing on Tuesdays and Thursdays")
    # People and places of concern stay with practitioners.
    expect(jordans_phone.page.get_by_text("Dino")).to_have_count(0)
    check_page(jordans_phone.page, "family-plan-young-person")


def test_parents_view(phone: FamilyPhone, invitation_link: Callable[..., str], check_page: Check) -> None:
    phone.open_invitation(invitation_link("Parent or carer", "Lisa", "Mum"))
    expect(phone.heading).to_have_text("Hi Lisa")
    phone.make_my_key()
    expect(phone.heading).to_have_text("Hello Lisa")
    expect(phone.page.get_by_text("Your part in Jordan's plan.")).to_be_visible()
    # A parent does not see the young person's emergency plan or safe word.
    expect(phone.page.get_by_role("link", name="Call 999")).to_have_count(0)
    expect(phone.page.get_by_text("Show my safe word")).to_have_count(0)
    check_page(phone.page, "family-plan-parent")


def test_not_found_page_on_the_family_door(phone: FamilyPhone, check_page: Check) -> None:
    response = phone.page.goto("/no-such-page")
    assert response is not None and response.status == 404
    expect(phone.heading).to_have_text("We can't find that page")
    check_page(phone.page, "family-404")


# --- Practitioner door ---------------------------------------------------------------------------


def test_practitioner_sign_in(signed_out_practitioner: PractitionerDesk, check_page: Check) -> None:
    signed_out_practitioner.open_sign_in()
    expect(signed_out_practitioner.heading).to_have_text("Sign in")
    check_page(signed_out_practitioner.page, "practitioner-sign-in")


def test_practitioner_passkey_step(signed_out_practitioner: PractitionerDesk, base_url: str, check_page: Check) -> None:
    practitioner = signed_out_practitioner
    practitioner.enter_password(SAM, DEMO_PASSWORD)
    # Sam made his passkey when he first signed in (practitioner_state): now he confirms with it.
    expect(practitioner.heading).to_have_text("Confirm it's you")
    check_page(practitioner.page, "practitioner-passkey-step")
    # A password alone opens nothing: asking for the caseload leads back to the passkey step.
    practitioner.open_caseload()
    expect(practitioner.page).to_have_url(f"{base_url}/practitioner/sign-in/passkey")
    expect(practitioner.heading).to_have_text("Confirm it's you")
    practitioner.confirm_with_my_passkey()
    expect(practitioner.heading).to_have_text("My caseload")


def test_caseload(practitioner: PractitionerDesk, check_page: Check) -> None:
    practitioner.open_caseload()
    expect(practitioner.heading).to_have_text("My caseload")
    expect(practitioner.page.get_by_role("link", name="Jordan Ellis")).to_be_visible()
    # Kayla is on another worker's caseload: Sam must never see her.
    expect(practitioner.page.get_by_text("Kayla")).to_have_count(0)
    check_page(practitioner.page, "practitioner-caseload")


def test_child_plan(practitioner: PractitionerDesk, check_page: Check) -> None:
    practitioner.open_child("Jordan Ellis")
    expect(practitioner.heading).to_have_text("Jordan Ellis")
    expect(practitioner.page.get_by_text("Working draft (version 2)")).to_be_visible()
    expect(practitioner.page.get_by_text("ask Aunt Dee to pick me up from boxing")).to_be_visible()
    check_page(practitioner.page, "practitioner-child-plan")


def test_agreed_version(practitioner: PractitionerDesk, jordan_id: int, check_page: Check) -> None:
    practitioner.open_child_by_id(jordan_id)
    practitioner.open_version(1)
    expect(practitioner.page).to_have_url(re.compile(rf"/practitioner/children/{jordan_id}/versions/1$"))
    expect(practitioner.page.get_by_text("Version 1, agreed 26 Oct 2026").first).to_be_visible()
    expect(practitioner.page.get_by_text("Agreed versions never change.")).to_be_visible()
    # Jordan's idea since the meeting is in the draft, not in what was agreed.
    expect(practitioner.page.get_by_text("ask Aunt Dee to pick me up from boxing")).to_have_count(0)
    check_page(practitioner.page, "practitioner-agreed-version")


def test_invite_form(practitioner: PractitionerDesk, jordan_id: int, check_page: Check) -> None:
    practitioner.open_child_by_id(jordan_id)
    practitioner.open_invite_form()
    expect(practitioner.heading).to_have_text("Invite someone to see the plan on their phone")
    check_page(practitioner.page, "practitioner-invite")


def test_invite_form_with_errors(practitioner: PractitionerDesk, jordan_id: int, check_page: Check) -> None:
    practitioner.open_child_by_id(jordan_id)
    practitioner.open_invite_form()
    with practitioner.page.expect_response(re.compile(r"/invitations$")) as answer:
        practitioner.submit_invitation()
    assert answer.value.status == 422
    expect(practitioner.error_summary).to_contain_text("There is a problem")
    expect(practitioner.error_summary).to_contain_text("Choose who you are inviting.")
    expect(practitioner.error_summary).to_contain_text("Enter the name they like to be called.")
    expect(practitioner.page.get_by_label("Name they like to be called")).to_have_attribute("aria-invalid", "true")
    check_page(practitioner.page, "practitioner-invite-errors")


def test_invitation_created(practitioner: PractitionerDesk, jordan_id: int, base_url: str, check_page: Check) -> None:
    practitioner.open_child_by_id(jordan_id)
    link = practitioner.invite("Trusted adult", "Dee", "Aunt")
    assert re.fullmatch(rf"{re.escape(base_url)}/join/[A-Za-z0-9_-]{{20,}}", link)
    expect(practitioner.page.get_by_role("img", name="QR code for the invitation link")).to_be_visible()
    check_page(practitioner.page, "practitioner-invitation-created")


def test_not_found_page_on_the_practitioner_door(practitioner: PractitionerDesk, check_page: Check) -> None:
    # A child who does not exist looks the same as one Sam may not see (SECURITY.md R2).
    response = practitioner.page.goto("/practitioner/children/999999")
    assert response is not None and response.status == 404
    expect(practitioner.heading).to_have_text("We can't find that page")
    check_page(practitioner.page, "practitioner-404")
