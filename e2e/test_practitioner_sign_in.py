"""Practitioners sign in with email and password; a wrong password is refused in plain words."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.pages import SAM, PractitionerDesk


def test_wrong_password_shows_the_error_and_stays_on_sign_in(
    signed_out_practitioner: PractitionerDesk, base_url: str, check_page: Callable[[Page, str], None]
) -> None:
    practitioner = signed_out_practitioner
    status = practitioner.try_to_sign_in(SAM, "not-the-password")
    assert status == 401
    expect(practitioner.page).to_have_url(f"{base_url}/practitioner/sign-in")
    expect(practitioner.error_summary).to_contain_text(
        "That email and password did not match an account. Check them and try again."
    )
    # The email is kept so it need not be typed again; the password is not.
    expect(practitioner.page.get_by_label("Work email")).to_have_value(SAM)
    expect(practitioner.page.get_by_label("Password")).to_have_value("")
    check_page(practitioner.page, "practitioner-sign-in-error")
    # Still signed out: the caseload sends us back to sign in.
    practitioner.open_caseload()
    expect(practitioner.page).to_have_url(f"{base_url}/practitioner/sign-in")
