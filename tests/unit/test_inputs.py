"""R29 at the service boundary: the rules every typed value obeys (app.inputs), and the inputs
of the writes that take people's names (accounts, invitations, people, the plan agreement)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from app.auth.inputs import AccountInput, InvitationInput, normalised_email
from app.errors import ValidationFailed
from app.inputs import LONGEST_TEXT, MAX_ID, MAX_JSON_BYTES, MAX_JSON_DEPTH, Words, json_depth, parse_id, read_json
from app.people.inputs import AssignmentInput, ChildInput, FamilyMemberInput
from app.plans.versions import Agreement, PlanStart

BIDI = "\u202e\u2066"
INVISIBLE = "\u200b\u200d\ufeff"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("007", 7),
        ("0" * 30 + "5", 5),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 5000, None),  # never handed to int(): Python refuses over 4300 digits
        ("\u0661", None),  # Arabic-Indic one
        ("\uff11", None),  # fullwidth one
        ("\u00b2", None),  # superscript two: "²".isdigit() is True
        ("-1", None),
        (" 1", None),
        ("", None),
        (True, None),
        (-1, None),
        (5, 5),
    ],
)
def test_parse_id_takes_ascii_digits_within_the_column(value: object, expected: int | None) -> None:
    assert parse_id(value) == expected


def test_json_depth_ignores_brackets_inside_strings() -> None:
    assert json_depth('{"a": "[[[[[[", "b": [1, {"c": "}}}\\"]]"}]}') == 3
    assert json_depth("[" * 1000 + "]" * 1000) == 1000


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 1000 + b"]" * 1000,
        b'{"a":' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1),
        b'"' + b"x" * MAX_JSON_BYTES + b'"',
        b"\xff\xfe{}",  # not UTF-8
        b"{",
        b"1" * 5000,  # a number too long to convert
    ],
    ids=["nested-1000", "one-too-deep", "too-big", "not-utf8", "truncated", "huge-number"],
)
def test_read_json_refuses_what_is_too_deep_too_big_or_not_json(raw: bytes) -> None:
    with pytest.raises(ValidationFailed):
        read_json(raw)


def test_read_json_reads_what_is_within_bounds() -> None:
    nested = b'{"a":' * MAX_JSON_DEPTH + b"1" + b"}" * MAX_JSON_DEPTH
    assert json_depth(nested.decode()) == MAX_JSON_DEPTH
    assert read_json(nested) is not None
    assert read_json(b'{"id": "AAAA", "response": {"clientDataJSON": "e30"}}')["id"] == "AAAA"


def test_no_text_limit_is_longer_than_the_longest_box() -> None:
    with pytest.raises(ValueError, match="LONGEST_TEXT"):
        Words(LONGEST_TEXT + 1)


def test_parse_refuses_json_that_is_not_an_object() -> None:
    for value in ([], "text", True, 1, None):
        with pytest.raises(ValidationFailed):
            InvitationInput.parse(value)


# --- Names: refused when blank or invisible, one line, without bidirectional overrides ----------

ACCOUNT = {
    "email": "a@example.org",
    "display_name": "Ann",
    "role": "social_worker",
    "agency": "school",
    "password": "a long enough password",
}
NAME_FIELDS: list[tuple[type[Any], dict[str, Any], str]] = [
    (AccountInput, ACCOUNT, "display_name"),
    (AccountInput, ACCOUNT, "team"),
    (InvitationInput, {"role": "trusted_adult", "display_name": "Dee"}, "display_name"),
    (ChildInput, {"first_name": "Jo", "last_name": "Ellis"}, "first_name"),
    (ChildInput, {"first_name": "Jo", "last_name": "Ellis"}, "last_name"),
    (ChildInput, {"first_name": "Jo", "last_name": "Ellis", "preferred_name": "J"}, "preferred_name"),
    (FamilyMemberInput, {"display_name": "Dee", "role": "trusted_adult"}, "display_name"),
    (
        Agreement,
        {"agreed_by": "Jo", "agreed_on": "2026-10-26", "review_date": "2026-12-14", "expected_revision": 1},
        "agreed_by",
    ),
]


@pytest.mark.parametrize(("model", "valid", "field"), NAME_FIELDS, ids=lambda p: getattr(p, "__name__", str(p)))
def test_every_name_loses_bidi_overrides_and_refuses_invisible_or_nul(
    model: type[Any], valid: dict[str, Any], field: str
) -> None:
    kept = model.parse({**valid, field: f"Dee{BIDI} Carter\u2069\u202c"})
    assert getattr(kept, field) == "Dee Carter"
    for bad in (INVISIBLE, "Dee\x00Carter", "D" * 1001):
        with pytest.raises(ValidationFailed) as refused:
            model.parse({**valid, field: bad})
        assert field in refused.value.errors


def test_account_input_lowercases_the_email_and_keeps_the_password_as_typed() -> None:
    account = AccountInput.parse({**ACCOUNT, "email": "  Sam.Okafor@Example.ORG ", "password": "  spaces count too  "})
    assert account.email == "sam.okafor@example.org"
    assert account.password == "  spaces count too  "


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "no-at-sign"),
        ("email", "a@b\x00c"),
        ("email", "\u0130" * 200 + "@x"),  # 202 characters, 402 once lowercased
        ("display_name", "N" * 121),
        ("team", "T" * 121),
        ("role", "superuser"),
        ("agency", ""),
        ("password", "short"),
        ("password", "p" * 1025),
    ],
)
def test_account_input_refuses_each_field_with_a_message(field: str, value: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        AccountInput.parse({**ACCOUNT, field: value})
    assert set(refused.value.errors) == {field}
    assert str(refused.value.errors[field])


def test_a_sign_in_address_that_cannot_be_one_is_no_one() -> None:
    assert normalised_email(" Dana@Example.org") == "dana@example.org"
    for bad in ("dana\x00@example.org", "x" * 300 + "@example.org", "", "no at sign"):
        assert normalised_email(bad) is None


def test_assignment_and_plan_start_take_only_their_enums_and_ids() -> None:
    with pytest.raises(ValidationFailed) as refused:
        AssignmentInput.parse({"practitioner_id": "\u0661", "case_role": "owner"})
    assert set(refused.value.errors) == {"practitioner_id", "case_role"}
    with pytest.raises(ValidationFailed):
        PlanStart.parse({"meeting_type": "strategy_meeting"})
    assert PlanStart().meeting_type == "safer_me"


def test_agreement_dates_are_dates() -> None:
    with pytest.raises(ValidationFailed) as refused:
        Agreement.parse({"agreed_by": "Jo", "agreed_on": "26/10/2026", "review_date": "soon", "expected_revision": 1})
    assert set(refused.value.errors) == {"agreed_on", "review_date"}
    agreed = Agreement.parse(
        {"agreed_by": "Jo", "agreed_on": "2026-10-26", "review_date": "2026-12-14", "expected_revision": 1}
    )
    assert agreed.review_date == date(2026, 12, 14)
    with pytest.raises(ValidationError):
        Agreement(agreed_by="", agreed_on=date(2026, 10, 26), review_date=date(2026, 12, 14), expected_revision=1)
