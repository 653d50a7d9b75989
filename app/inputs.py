"""Typed inputs at the service boundary: every service write takes one of these, never a database row.

HTML forms and the JSON API validate with the same models. The rules every typed value obeys live
here, once (SECURITY.md R29): text is NFC-normalised and trimmed, has a length limit, refuses NUL
and other control characters, refuses text made only of invisible characters, and names lose
bidirectional overrides; ids are ASCII digits within the column's range; choices come from an enum;
JSON bodies are bounded in size and depth before they are parsed.
A refusal is a `ValidationFailed` whose messages say what to change, field by field.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar, Self

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, BeforeValidator, ConfigDict, GetCoreSchemaHandler, ValidationError
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from app.errors import ValidationFailed

# PostgreSQL's `integer` holds up to 2**31 - 1; an id beyond it can name no row, on either database.
MAX_ID = 2**31 - 1
_ASCII_DIGITS = re.compile(r"[0-9]+")
# The longest text any one box takes (the plan's free-text fields). Every `Words` limit stays
# within it, so the request limit (app.web.door.MAX_CONTENT_LENGTH) can be explained in
# characters: whatever fits every box's own limit always fits in one request.
LONGEST_TEXT = 2000
# Control characters other than tab and newline: PostgreSQL refuses NUL outright, and none belongs in a plan.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Bidirectional overrides and isolates: in a name they can make text read differently than it is stored.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Characters that take no space: text made only of these (and spaces) looks blank on every page.
_INVISIBLE = re.compile(
    r"[\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0]"
)


# The same rules as JSON Schema patterns (ECMA-262 and Python read these alike): no control
# characters but tab and line breaks, and, where text is required, at least one visible character.
# White space is spelled out because `\s` differs between the two dialects (U+0085).
_SPACES = "\\t\\n\\r\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
_ALLOWED = "[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]"
_VISIBLE = (
    "[^" + _SPACES + "\\u0000-\\u001f\\u007f\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180e"
    "\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u206f\\u3164\\ufeff\\uffa0]"
)
_REQUIRED_TEXT_PATTERN = f"^{_ALLOWED}*{_VISIBLE}{_ALLOWED}*$"
_OPTIONAL_TEXT_PATTERN = f"^([{_SPACES}]*|{_ALLOWED}*{_VISIBLE}{_ALLOWED}*)$"


def _refuse(code: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(code, code, context)


def clean(value: object, *, max_length: int, required: bool, single_line: bool, name: bool) -> str:
    """One typed text value made safe to keep, or a refusal naming what is wrong."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _refuse("not_text")
    text = unicodedata.normalize("NFC", value)
    if _CONTROL.search(text.replace("\r\n", "\n").replace("\r", "\n")):
        raise _refuse("control")
    if name:
        text = _BIDI.sub("", text)
    if single_line:
        text = " ".join(text.split())
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if text and not _INVISIBLE.sub("", text):
        raise _refuse("invisible")
    if required and not text:
        raise _refuse("blank")
    if len(text) > max_length:
        raise _refuse("too_long", max_length=max_length)
    return text


@dataclass(frozen=True)
class Words:
    """Rules for one text field, used as `Annotated[str, Words(120, name=True)]`.

    `required=False` lets the field be empty; `name=True` means one line without bidirectional
    overrides; `single_line=True` folds any run of white space into one space.
    """

    max_length: int
    required: bool = True
    single_line: bool = False
    name: bool = False

    def __post_init__(self) -> None:
        if not 0 < self.max_length <= LONGEST_TEXT:
            raise ValueError(f"a text limit is between 1 and LONGEST_TEXT ({LONGEST_TEXT}), not {self.max_length}")

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self.clean, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: Any) -> dict[str, Any]:
        json_schema: dict[str, Any] = handler(schema)
        json_schema.update(
            maxLength=self.max_length,
            # The published contract says what clean() refuses, so a client (and the API fuzzer)
            # can tell valid text from invalid without a round trip.
            pattern=_REQUIRED_TEXT_PATTERN if self.required else _OPTIONAL_TEXT_PATTERN,
            **({"minLength": 1} if self.required else {}),
        )
        return json_schema

    def clean(self, value: object) -> str:
        return clean(
            value,
            max_length=self.max_length,
            required=self.required,
            single_line=self.single_line or self.name,
            name=self.name,
        )


def parse_id(value: object) -> int | None:
    """A record id from a form, a query string or a path: ASCII digits within range, else None.

    "²".isdigit() and "\u0661".isdigit() (Arabic-Indic one) are True, and int("\u0661") is 1:
    only ASCII digits are ids here.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_ID else None
    if isinstance(value, str) and _ASCII_DIGITS.fullmatch(value):
        # Leading zeros are harmless ("007" is 7); anything longer than MAX_ID's ten digits is not
        # an id, and is never handed to int() (which is slow on, and refuses, very long numbers).
        digits = value.lstrip("0") or "0"
        if len(digits) <= len(str(MAX_ID)) and int(digits) <= MAX_ID:
            return int(digits)
    return None


def _id(value: object) -> int:
    parsed = parse_id(value)
    if parsed is None:
        raise _refuse("bad_id")
    return parsed


def _optional_id(value: object) -> int | None:
    return None if value in (None, "") else _id(value)


Id = Annotated[int, BeforeValidator(_id)]
OptionalId = Annotated[int | None, BeforeValidator(_optional_id)]


def _date(value: object) -> object:
    """A date as text (2026-12-14), or a date already made. Anything else is refused: pydantic would
    read a JSON number as seconds since 1970 (schemathesis sent `"review_date": 0`)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        raise _refuse("bad_date")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise _refuse("bad_date") from None


Day = Annotated[date, BeforeValidator(_date)]
# A date field a form may leave empty (an empty date input sends ""): None, else a Day.
OptionalDay = Annotated[date | None, BeforeValidator(lambda value: None if value in (None, "") else _date(value))]


_TICKED = frozenset({"1", "on", "true", "yes"})
_UNTICKED = frozenset({"", "0", "off", "false", "no"})


def _checkbox(value: object) -> bool:
    """HTML checkboxes send "on" (or a value) when ticked and nothing when not; JSON sends true/false.

    Anything else is refused, not read as "no": `{"own_words": {}}` from an API client is a mistake
    to report, and the schema the API publishes says boolean (schemathesis found this one).
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TICKED | _UNTICKED:
        return value.strip().lower() in _TICKED
    raise _refuse("not_yes_or_no")


Checkbox = Annotated[bool, BeforeValidator(_checkbox)]


# JSON bodies (R29). Python's parser recurses once per level of nesting, so "[" * 1000 is a
# RecursionError (a server error); what we read (a passkey answer, an API object) nests a few
# levels at most. The size bound is below the request limit, which still applies to everything.
MAX_JSON_BYTES = 64 * 1024
MAX_JSON_DEPTH = 16
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deeply `text` nests arrays and objects, counted without parsing (brackets inside strings ignored)."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub('""', text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def read_json(raw: bytes, *, max_bytes: int = MAX_JSON_BYTES, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """A JSON body parsed only once it is known to be small and shallow enough; ValidationFailed if not.

    The body must be UTF-8 (RFC 8259 §8.1): then what was measured is exactly what is parsed.
    """
    refusal = ValidationFailed(
        {"__all__": _l("Send one JSON value, in UTF-8, of at most %(n)s KB.", n=max_bytes // 1024)}
    )
    if len(raw) > max_bytes:
        raise refusal
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise refusal from None
    if json_depth(text) > max_depth:
        raise refusal
    try:
        return json.loads(text)
    except ValueError:  # JSONDecodeError, and numbers too long to convert
        raise refusal from None


# What each refusal says when the model names nothing more particular for the field.
GENERAL_MESSAGES: dict[str, Any] = {
    "blank": _l("Write something here first."),
    "invisible": _l("This looks blank: write it in letters or numbers."),
    "control": _l("Take out the hidden control characters, then try again."),
    "not_text": _l("Write this as text."),
    "bad_id": _l("Choose one of the options."),
    "bad_date": _l("Enter a date, like 2026-12-14."),
    "enum": _l("Choose one of the options."),
    "missing": _l("Fill this in."),
    "not_yes_or_no": _l("Answer yes or no."),
}


class Input(BaseModel):
    """Base of every typed input: frozen, unknown fields ignored (no mass assignment, R5).

    `messages` names what a field's refusal should say where the general words are not enough,
    by field and then by refusal code ("blank", "enum", ...), or by field alone for any refusal.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")
    messages: ClassVar[Mapping[str, Any]] = {}

    @classmethod
    def parse(cls, data: object) -> Self:
        """Validate `data` (a form or a JSON object); ValidationFailed with a message per field."""
        if not isinstance(data, Mapping):  # JSON can be a list, a string, `true`...
            raise ValidationFailed({"__all__": _l("Send the fields as one object.")})
        try:
            return cls.model_validate(dict(data))
        except ValidationError as exc:
            raise ValidationFailed(cls.errors_of(exc)) from None

    @classmethod
    def errors_of(cls, exc: ValidationError) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "__all__"
            if field not in errors:
                errors[field] = cls.message_for(field, error["type"], error.get("ctx") or {})
        return errors

    @classmethod
    def message_for(cls, field: str, code: str, context: Mapping[str, Any]) -> Any:
        specific = cls.messages.get(field)
        if isinstance(specific, Mapping):
            specific = specific.get(code)
        if specific is not None:
            return specific
        if code in ("too_long", "string_too_long"):
            return _l("Keep it under %(n)s characters.", n=context.get("max_length", 0))
        return GENERAL_MESSAGES.get(code, _l("Check this and try again."))
