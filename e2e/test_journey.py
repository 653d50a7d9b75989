"""The headline journey: a worker invites Jordan, his phone makes a passkey, he reads his plan."""

from __future__ import annotations

from playwright.sync_api import expect

from app.demo.seed import DEMO_PASSWORD
from e2e.pages import SAM, FamilyPhone, PractitionerDesk


def test_invited_young_person_makes_a_key_reads_the_plan_and_signs_back_in(
    signed_out_practitioner: PractitionerDesk, phone: FamilyPhone, base_url: str
) -> None:
    practitioner = signed_out_practitioner
    practitioner.sign_in(SAM, DEMO_PASSWORD)
    expect(practitioner.heading).to_have_text("My caseload")
    practitioner.open_child("Jordan Ellis")
    expect(practitioner.heading).to_have_text("Jordan Ellis")
    link = practitioner.invite("Young person", "Jordan")
    # The link names the public origin (localhost, not 127.0.0.1: WebAuthn refuses IP addresses).
    assert link.startswith(f"{base_url}/join/")

    # Jordan's phone is another browser context: no cookie from the practitioner's browser.
    phone.open_invitation(link)
    expect(phone.heading).to_have_text("Hi Jordan")
    assert phone.authenticator.credentials() == []
    plan = phone.make_my_key()

    expect(plan.greeting).to_have_text("Hi Jordan")
    expect(plan.call_999).to_be_visible()
    expect(plan.call_999).to_have_attribute("href", "tel:999")
    expect(plan.everyday_section).to_contain_text("text Mum when I leave school")
    expect(plan.emergency_section).to_contain_text("Aunt Dee")
    # The passkey is discoverable (a resident key), so signing in later needs no name typed.
    [credential] = phone.authenticator.credentials()
    assert credential["isResidentCredential"] is True

    phone.sign_out()
    expect(phone.heading).to_have_text("Welcome back")
    phone.open_my_plan()
    expect(phone.page).to_have_url(f"{base_url}/sign-in")

    plan = phone.open_with_my_key()
    expect(plan.greeting).to_have_text("Hi Jordan")
    expect(plan.everyday_section).to_contain_text("text Mum when I leave school")

    # The invitation worked once; it is spent now.
    spent = phone.open_invitation(link)
    assert spent is not None and spent.status == 404
    expect(phone.heading).to_have_text("This link doesn't work any more")
    expect(phone.page.get_by_role("button", name="Make my key")).to_have_count(0)
