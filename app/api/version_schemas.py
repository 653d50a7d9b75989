"""The API's shapes for a plan's agreed versions and the difference between two versions (issue 11).

Filled from what the practitioner pages show: the version history (app.plans.versions) and the
"compare versions" page's `Comparison` (app.drafting.queries, built on app.plans.diff.compare),
never from hand-built dicts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.drafting.queries import Comparison
from app.inputs import MAX_ID
from app.meetings.models import Meeting
from app.plans.diff import Segment
from app.plans.models import PlanVersion


class DiffQuery(BaseModel):
    """Which two versions: `from` (the older) and `to` (the newer), by number.

    Left out, they are what the compare page shows first: the latest agreed version and the draft.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_number: int | None = Field(
        default=None, alias="from", ge=1, le=MAX_ID, description="The older version's number (default: latest agreed)."
    )
    to_number: int | None = Field(
        default=None, alias="to", ge=1, le=MAX_ID, description="The newer version's number (default: the draft)."
    )


class MeetingRef(BaseModel):
    """The meeting that agreed a version."""

    id: int
    starts_at: datetime
    is_review: bool


class AgreedVersion(BaseModel):
    """One agreed version of the plan, as the version history lists it."""

    number: int
    agreed_on: date | None
    agreed_by: str
    review_date: date | None = Field(description="When this version was due for review, as agreed.")
    summary_of_changes: str
    meeting: MeetingRef | None = Field(description="The meeting that agreed it; null when agreed outside one.")

    @classmethod
    def of(cls, version: PlanVersion, meeting: Meeting | None) -> AgreedVersion:
        return cls(
            number=version.number,
            agreed_on=version.agreed_on,
            agreed_by=version.agreed_by,
            review_date=version.review_date,
            summary_of_changes=version.summary_of_changes,
            meeting=MeetingRef(id=meeting.id or 0, starts_at=meeting.starts_at, is_review=meeting.is_review)
            if meeting is not None
            else None,
        )


class AgreedVersions(BaseModel):
    """A child's agreed versions, newest first (the draft is `GET /children/{id}/plan`)."""

    child_id: int
    items: list[AgreedVersion]


class Words(BaseModel):
    """A run of words: the same in both versions, only in the newer (`added`), or only in the older (`removed`)."""

    text: str
    kind: Literal["same", "added", "removed"]


def _words(segments: list[Segment]) -> list[Words]:
    return [Words(text=s.text, kind=s.kind) for s in segments]  # type: ignore[arg-type]


class ItemChangeOut(BaseModel):
    """One item of a list that was added, taken out, or changed (its words compared)."""

    change: Literal["added", "removed", "changed"]
    words: list[Words]
    by: str = Field(description="Who added or last changed it, by name; empty for an item taken out.")
    at: datetime | None = Field(description="When; null for an item taken out.")


class FieldChangeOut(BaseModel):
    """One of the version's own fields (the safe word, the review date ...), its words compared."""

    name: str = Field(description="The field, e.g. `safe_word`, `review_date`.")
    words: list[Words]
    by: str


class SectionDiff(BaseModel):
    """A section of the plan: its lists' items and its own fields that differ."""

    key: str = Field(description="The section, e.g. `actions`, `statements`, `emergency`, `review`.")
    items: list[ItemChangeOut]
    fields: list[FieldChangeOut]


class VersionDiffOut(BaseModel):
    """What changed from version `from` to version `to`, section by section, word by word."""

    child_id: int
    from_number: int = Field(description="The older version's number.")
    to_number: int = Field(description="The newer version's number.")
    to_is_draft: bool
    unchanged: bool = Field(description="True when the two versions say the same.")
    sections: list[SectionDiff]

    @classmethod
    def of(cls, child_id: int, comparison: Comparison) -> VersionDiffOut:
        diff, names = comparison.diff, comparison.authors
        return cls(
            child_id=child_id,
            from_number=diff.older.number,
            to_number=diff.newer.number,
            to_is_draft=diff.newer.agreed_at is None,
            unchanged=diff.is_empty,
            sections=[
                SectionDiff(
                    key=section.key,
                    items=[
                        ItemChangeOut(
                            change=item.kind,  # type: ignore[arg-type]
                            words=_words(item.words),
                            by=names.get(item.by, "") if item.by else "",
                            at=item.at,
                        )
                        for item in section.items
                    ],
                    fields=[
                        FieldChangeOut(name=f.name, words=_words(f.words), by=names.get(f.by, "") if f.by else "")
                        for f in section.fields
                    ],
                )
                for section in diff.sections
            ],
        )
