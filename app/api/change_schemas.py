"""The API's shapes for the changes feed (issue 11): a cursor in, a page of changes and the next cursor out."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from app.api.changes import FEED, Change
from app.api.schemas import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

KINDS = sorted({kind.kind for kind in FEED.values()})


class ChangesQuery(BaseModel):
    """Where to go on from: the `next_cursor` of the last page (left out: start from now)."""

    model_config = ConfigDict(extra="forbid")

    cursor: str | None = Field(
        default=None,
        max_length=400,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="The `next_cursor` a previous call gave; opaque. Left out, the feed starts from now.",
    )
    per_page: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Changes a page, at most.")


class ChangeOut(BaseModel):
    """One change: which young person, what kind, when, and where to read it now. Never the content."""

    child_id: int
    kind: str = Field(
        description="One of: " + ", ".join(KINDS) + ".", json_schema_extra={"enum": list[JsonValue](KINDS)}
    )
    at: datetime
    resource: str = Field(description="The API path to read what changed (under /api/v1).")

    @classmethod
    def of(cls, change: Change) -> ChangeOut:
        return cls(child_id=change.child_id, kind=change.kind, at=change.at, resource=change.resource)


class ChangesPage(BaseModel):
    """Changes since the cursor, oldest first, on the young people whose plans you read now."""

    items: list[ChangeOut]
    next_cursor: str = Field(description="Send this as `cursor` next time (keep it: it is where you are).")
    has_more: bool = Field(description="True: call again now with `next_cursor`; false: you are up to date.")
