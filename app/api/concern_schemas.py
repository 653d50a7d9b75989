"""The API's shapes for concerns, Safer Me Assessments, route decisions and Hub enquiries (issue 12).

Each model is filled from the object the web page renders (`ConcernPage`, the Hub's `QueueRow`),
never from a hand-built dict, and the OpenAPI document is generated from these models. Codes
(`grade`, `pathway`, `level`) are the stable values of app.concerns and app.hub; `name` and `steps`
are the words the page shows, in the caller's language.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.concerns.models import Grade, Subject
from app.concerns.queries import AssessmentView, ConcernPage, DecisionView
from app.concerns.routing import PATHWAY_NAMES, PATHWAY_STEPS, Pathway
from app.hub.models import Level
from app.hub.queries import EnquiryPage, Queue, QueueRow
from app.inputs import MAX_ID


class ConcernPath(BaseModel):
    concern_id: int = Field(ge=0, le=MAX_ID, description="The concern's record number.")


class PathwayOut(BaseModel):
    """A pathway of the flowchart (seed 002): its code, its name and its steps in order."""

    pathway: Pathway
    name: str
    steps: list[str]

    @classmethod
    def of(cls, pathway: Pathway) -> PathwayOut:
        return cls(pathway=pathway, name=str(PATHWAY_NAMES[pathway]), steps=[str(s) for s in PATHWAY_STEPS[pathway]])


class AreaOut(BaseModel):
    """What the assessor saw in one area of the Safer Me Assessment."""

    risks: str
    protective: str


class AssessmentOut(BaseModel):
    """One Safer Me Assessment (never edited: a re-assessment is a new one)."""

    id: int
    grade: Grade
    areas: dict[str, AreaOut] = Field(description="By area code (harm, impact, patterns, network, places, needs).")
    nature: str
    severity: str
    frequency: str
    impact: str = Field(description="The impact of the harm on the young person.")
    reasons: str = Field(description="Why the assessor gave this grade.")
    assessed_by: str
    assessed_at: datetime

    @classmethod
    def of(cls, view: AssessmentView) -> AssessmentOut:
        row = view.assessment
        return cls(
            id=row.id or 0,
            grade=Grade(row.grade),
            areas={
                key: AreaOut(risks=area.get("risks", ""), protective=area.get("protective", ""))
                for key, area in view.areas.items()
            },
            nature=row.nature,
            severity=row.severity,
            frequency=row.frequency,
            impact=row.impact,
            reasons=row.reasons,
            assessed_by=view.assessor,
            assessed_at=row.assessed_at,
        )


class DecisionOut(BaseModel):
    """A route decision: the pathway proposed, the one chosen, who chose it, when and why."""

    id: int
    assessment_id: int | None = Field(description="The assessment the proposal came from; null for a context.")
    proposed: Pathway
    chosen: Pathway
    reason: str | None = Field(description="Why another pathway than the proposed one was chosen; null if none.")
    decided_by: str
    decided_at: datetime

    @classmethod
    def of(cls, view: DecisionView) -> DecisionOut:
        row = view.decision
        return cls(
            id=row.id or 0,
            assessment_id=row.assessment_id,
            proposed=Pathway(row.proposed),
            chosen=Pathway(row.chosen),
            reason=row.reason,
            decided_by=view.decider,
            decided_at=row.decided_at,
        )


class _ConcernBase(BaseModel):
    id: int
    subject: Subject
    child_id: int | None = Field(description="The young person, for a concern about one; null otherwise.")
    recorded_by: str
    recorded_at: datetime
    decisions: list[DecisionOut] = Field(description="Route decisions, newest first.")


class ConcernSummary(_ConcernBase):
    """One concern in a young person's list."""

    latest_grade: Grade | None = Field(description="The newest assessment's risk grade; null before one.")
    proposed_pathway: Pathway | None = Field(description="What the flowchart proposes now; null before a grade.")

    @classmethod
    def of(cls, page: ConcernPage) -> ConcernSummary:
        latest = page.assessments[0].assessment.grade if page.assessments else None
        return cls(
            **_base(page),
            latest_grade=Grade(latest) if latest is not None else None,
            proposed_pathway=page.proposed,
        )


class ChildConcerns(BaseModel):
    """The concerns about one young person, newest first."""

    child_id: int
    items: list[ConcernSummary]


class ConcernOut(_ConcernBase):
    """One concern: what was recorded, every assessment, the pathway proposed now, the decisions."""

    name: str | None = Field(description="The peer group's or place's name; null for other subjects.")
    description: str
    assessments: list[AssessmentOut] = Field(description="Newest first; the first is the current one.")
    proposed: PathwayOut | None = Field(description="The pathway the flowchart proposes now; null before a grade.")
    based_on: int | None = Field(description="The assessment the proposal comes from.")
    decided: bool = Field(description="Whether the route has been decided for the current proposal.")

    @classmethod
    def of(cls, page: ConcernPage) -> ConcernOut:
        return cls(
            **_base(page),
            name=page.concern.name,
            description=page.concern.description,
            assessments=[AssessmentOut.of(view) for view in page.assessments],
            proposed=PathwayOut.of(page.proposed) if page.proposed is not None else None,
            based_on=page.based_on,
            decided=page.decided,
        )


def _base(page: ConcernPage) -> dict[str, Any]:
    concern = page.concern
    return {
        "id": concern.id or 0,
        "subject": Subject(concern.subject),
        "child_id": concern.child_id,
        "recorded_by": page.recorder,
        "recorded_at": concern.created_at,
        "decisions": [DecisionOut.of(view) for view in page.decisions],
    }


class EnquiryPath(BaseModel):
    enquiry_id: int = Field(ge=0, le=MAX_ID, description="The Hub enquiry's record number.")


class HubDecisionOut(BaseModel):
    """The Hub's decision on an enquiry; MACE is notified with it."""

    level: Level
    action: str | None
    decided_at: datetime
    mace_notified_at: datetime | None


class HubEnquiryOut(BaseModel):
    """One enquiry to the Adolescent Safety Hub, with its deadline counted in England's working days."""

    id: int
    concern_id: int
    child_id: int | None = Field(description="The young person; null for an enquiry about people of concern.")
    opened: date = Field(description="The day the enquiry was received.")
    due: date = Field(description="Within one working day of `opened` (weekends and bank holidays skipped).")
    state: Literal["late", "today", "later"] = Field(
        description="Against today while open; against the day of the decision once decided."
    )
    late: bool
    working_days_late: int = Field(ge=0, description="Working days after `due`; 0 when not late.")
    decision: HubDecisionOut | None = Field(description="Null while the enquiry waits for the Hub.")

    @classmethod
    def of(cls, row: QueueRow) -> HubEnquiryOut:
        enquiry = row.enquiry
        decision = None
        if enquiry.decided_at is not None and enquiry.level is not None:
            decision = HubDecisionOut(
                level=Level(enquiry.level),
                action=enquiry.action,
                decided_at=enquiry.decided_at,
                mace_notified_at=enquiry.mace_notified_at,
            )
        return cls(
            id=enquiry.id or 0,
            concern_id=enquiry.concern_id,
            child_id=enquiry.child_id,
            opened=enquiry.received_on,
            due=enquiry.due_on,
            state="late" if row.state == "late" else "today" if row.state == "today" else "later",
            late=row.state == "late",
            working_days_late=row.late_by,
            decision=decision,
        )


class HubQueueOut(BaseModel):
    """The Hub's queue: open enquiries (late first, then due today, then later) and the latest decided."""

    open: list[HubEnquiryOut]
    decided: list[HubEnquiryOut] = Field(description="The most recently decided, newest first.")

    @classmethod
    def of(cls, queue: Queue) -> HubQueueOut:
        return cls(open=[HubEnquiryOut.of(r) for r in queue.open], decided=[HubEnquiryOut.of(r) for r in queue.decided])


class HubEnquiryDetail(HubEnquiryOut):
    """One enquiry with what the Hub needs to decide it: the concern, the route decided, the assessment."""

    subject: Subject
    description: str = Field(description="The concern, as recorded.")
    referred_by: str = Field(description="Who decided the route that made the enquiry.")
    route: Pathway = Field(description="The pathway decided (a Hub enquiry, or the Hub and MACE).")
    route_reason: str | None
    open_to_csw: bool | None = Field(description="Whether the young person is open to Children's Social Work.")
    grade: Grade | None = Field(description="The risk grade of the assessment the route came from.")
    areas: dict[str, AreaOut]
    reasons: str | None = Field(description="The assessor's reasons for the grade.")
    decided_by: str | None = Field(description="Who in the Hub decided; null while open.")

    @classmethod
    def of_page(cls, page: EnquiryPage) -> HubEnquiryDetail:
        assessment, child = page.assessment, page.row.child
        return cls(
            **HubEnquiryOut.of(page.row).model_dump(),
            subject=Subject(page.row.concern.subject),
            description=page.row.concern.description,
            referred_by=page.referrer,
            route=Pathway(page.decision.chosen),
            route_reason=page.decision.reason,
            open_to_csw=child.open_to_csw if child is not None else None,
            grade=Grade(assessment.grade) if assessment is not None else None,
            areas={
                key: AreaOut(risks=area.get("risks", ""), protective=area.get("protective", ""))
                for key, area in page.areas.items()
            },
            reasons=assessment.reasons if assessment is not None else None,
            decided_by=page.decider or None,
        )
