"""R23 on the forms: whatever is typed, the answer is a clear page, never a server error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.demo.seed import DemoPeople
from tests.support.clients import CsrfClient

# Any text, including control characters, very long strings and lone surrogates made safe.
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@fuzz
@given(email=text, password=text)
def test_practitioner_sign_in_form_never_errors(practitioner_client: CsrfClient, email: str, password: str) -> None:
    from app.web.limits import practitioner_limiter

    practitioner_limiter.reset()
    response = practitioner_client.post("/sign-in", data={"email": email, "password": password})
    assert response.status_code in (401, 429)


@fuzz
@given(role=text | st.sampled_from(["young_person", "parent_carer", "trusted_adult"]), name=text, relationship=text)
def test_invitation_form_never_errors(
    allocated_worker: CsrfClient, demo: DemoPeople, role: str, name: str, relationship: str
) -> None:
    response = allocated_worker.post(
        f"/children/{demo.jordan_id}/invitations",
        data={"role": role, "display_name": name, "relationship": relationship},
    )
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert "There is a problem" in response.get_data(as_text=True)


@fuzz
@given(body=st.binary(max_size=300))
def test_passkey_endpoints_refuse_garbage_cleanly(family_client: CsrfClient, body: bytes) -> None:
    from app.web.limits import family_limiter

    family_limiter.reset()
    for path in ("/sign-in/verify", "/join/not-a-real-token/verify"):
        response = family_client.post(path, data=body, content_type="application/json")
        assert response.status_code in (400, 404)
