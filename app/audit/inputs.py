"""What the audit search may be asked: every query parameter typed, with the R29 rules (app.inputs)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, ClassVar

from flask_babel import lazy_gettext as _l
from pydantic import BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from app.audit.models import AuditKind
from app.auth.models import AccountKind
from app.inputs import Day, Input, OptionalId, parse_id

# The most rows one page of the audit search shows, whatever is asked (R20).
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50
# An audit label as the log writes it (app.actors.Actor.label): "practitioner:3", "family:7".
_LABEL = re.compile(rf"({'|'.join(kind.value for kind in AccountKind)}):([0-9]{{1,10}})")
# A page size is a count, not an id: any run of digits is capped rather than refused (R20 asks for
# a cap), but a run long enough to be an attack on the parser is refused.
_COUNT = re.compile(r"[0-9]{1,30}")


def _blank_is_none(value: object) -> object:
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def _person(value: object) -> str:
    if value is None or value == "":
        return ""
    found = _LABEL.fullmatch(value) if isinstance(value, str) else None
    if found is None or parse_id(found.group(2)) is None:
        raise PydanticCustomError("not_a_person", "not a person")
    return str(value)


def _page(value: object) -> int:
    if value is None or value == "":
        return 1
    number = parse_id(value)
    if number is None or number < 1:
        raise PydanticCustomError("not_a_page", "not a page")
    return number


def _page_size(value: object) -> int:
    if value is None or value == "":
        return DEFAULT_PAGE_SIZE
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _COUNT.fullmatch(value):
        number = int(value)
    else:
        raise PydanticCustomError("not_a_page_size", "not a page size")
    return max(1, min(number, MAX_PAGE_SIZE))


class AuditFilters(Input):
    """The audit search's filters: one person, one child, what kind of event, a date range, a page.

    The parameter names are the form's (`actor`, `child_id`, `kind`, `from`, `to`, `page`,
    `per_page`); anything else in the query string is ignored.
    """

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    actor: Annotated[str, BeforeValidator(_person)] = ""
    child_id: OptionalId = None
    kind: Annotated[AuditKind | None, BeforeValidator(_blank_is_none)] = None
    from_day: Annotated[Day | None, BeforeValidator(_blank_is_none)] = Field(default=None, alias="from")
    to_day: Annotated[Day | None, BeforeValidator(_blank_is_none)] = Field(default=None, alias="to")
    page: Annotated[int, BeforeValidator(_page)] = 1
    per_page: Annotated[int, BeforeValidator(_page_size)] = DEFAULT_PAGE_SIZE

    messages: ClassVar[dict[str, Any]] = {
        "actor": _l("Choose someone from the list."),
        "child_id": {
            "bad_id": _l("Choose a young person from the list."),
            # The same words whether the record is missing or another team's: no existence oracle (R2).
            "not_found": _l("No young person whose log you can search has that record number."),
        },
        "kind": _l("Choose one of the options."),
        "to": {"before_start": _l("The end date is before the start date: change one of them.")},
        "page": _l("The page number must be a whole number from 1."),
        "per_page": _l("Events a page shows must be a whole number."),
    }

    @field_validator("to_day")
    @classmethod
    def _not_before_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("from_day")
        if value is not None and start is not None and value < start:
            raise PydanticCustomError("before_start", "before the start date")
        return value

    @property
    def is_filtered(self) -> bool:
        """Whether any filter narrows the search (for the words shown when nothing matches)."""
        return bool(self.actor or self.child_id is not None or self.kind or self.from_day or self.to_day)
