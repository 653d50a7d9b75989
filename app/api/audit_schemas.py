"""The API's shapes for the audit search (issue 11): its filters, and its rows as the page words them.

The filters are the audit search page's (`actor`, `child_id`, `kind`, `from`, `to`, `page`,
`per_page`), stated here with the bounds the page's own input model (app.audit.inputs.AuditFilters)
keeps, so the document says what a value may be; the view then hands them to that model. A row is
what the page's table shows: when, who, whose record (by number), the sentence and the outcome.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.api.schemas import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from app.audit import sentences
from app.audit.models import AuditKind
from app.audit.queries import AuditLine, SearchPage
from app.auth.models import AccountKind
from app.inputs import MAX_ID
from app.plans.inputs import DUE_DAY_PATTERN

# An account as the log names it ("practitioner:3", "family:7"): the search page's choices.
_PERSON = rf"^({'|'.join(kind.value for kind in AccountKind)}):[0-9]{{1,9}}$"


class AuditQuery(BaseModel):
    """The audit search's filters; each left out narrows nothing. Dates are days in England."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    actor: str | None = Field(default=None, pattern=_PERSON, description="Whose actions, e.g. `practitioner:3`.")
    child_id: int | None = Field(default=None, ge=0, le=MAX_ID, description="Whose record (a young person's number).")
    kind: AuditKind | None = Field(default=None, description="read, write (a change) or denied.")
    from_day: str | None = Field(
        default=None,
        alias="from",
        pattern=DUE_DAY_PATTERN,
        json_schema_extra={"format": "date"},
        description="From this day.",
    )
    to_day: str | None = Field(
        default=None,
        alias="to",
        pattern=DUE_DAY_PATTERN,
        json_schema_extra={"format": "date"},
        description="To this day.",
    )
    page: int = Field(default=1, ge=1, le=MAX_ID, description="The page, from 1; past the last, no items.")
    per_page: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Rows a page.")

    def as_filters(self) -> dict[str, Any]:
        """The page's parameter names and values, for its own input model."""
        return {
            name: value
            for name, value in self.model_dump(by_alias=True).items()
            if value is not None and name not in ("page", "per_page")
        } | {"page": self.page, "per_page": self.per_page}


class AuditRow(BaseModel):
    """One event as the audit search page shows it. Children are by number; names only where the page shows them."""

    at: datetime
    who: str = Field(description="The person, by name where the reader may see it (else by account number).")
    child_id: int | None = Field(description="Whose record; null for account-wide events.")
    kind: AuditKind
    sentence: str = Field(description="What happened, in words.")
    outcome: str = Field(description="Allowed, Changed or Refused, in words.")

    @classmethod
    def of(cls, line: AuditLine) -> AuditRow:
        event = line.event
        return cls(
            at=event.at,
            who=sentences.person_name(line.who, named=line.named),
            child_id=event.child_id,
            kind=AuditKind(event.kind),
            sentence=sentences.describe(line),
            outcome=str(sentences.OUTCOME_WORDS.get(event.kind, event.kind)),
        )


class AuditPage(BaseModel):
    """A page of the audit log the reader may see, newest first."""

    items: list[AuditRow]
    total: int = Field(description="Events matching, on every page.")
    page: int
    pages: int
    per_page: int

    @classmethod
    def of(cls, result: SearchPage) -> AuditPage:
        return cls(
            items=[AuditRow.of(line) for line in result.lines],
            total=result.total,
            page=result.page,
            pages=result.pages,
            per_page=result.per_page,
        )
