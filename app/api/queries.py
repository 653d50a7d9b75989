"""What the API reads, through the same services and policy checks as the practitioner pages.

Every function here calls the service the web page calls (the work tray, `practitioner_plan`,
`version_history`) and turns its answer into the API's models (app.api.schemas); none reads a
table the page would not, and each asks the policy the same question the page asks.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from app.access import policy
from app.actors import Actor
from app.api import schemas
from app.drafting.inputs import ListKey
from app.errors import NotFound
from app.people.models import Child
from app.plans.models import PlanItem
from app.plans.read_model import PlanView, practitioner_plan
from app.plans.versions import version_history
from app.worktray.inputs import TrayFilters
from app.worktray.queries import TrayRow, work_tray


def _summary(row: TrayRow) -> schemas.ChildSummary:
    return schemas.ChildSummary(
        id=row.child.id or 0,
        preferred_name=row.child.preferred_name,
        meeting_type=row.meeting_type,
        case_role=row.case_role,
        allocated_worker=row.allocated_worker,
        last_agreed=row.last_agreed,
        review_date=row.next_review,
        overdue=row.review_overdue_by > 0,
    )


def caseload_page(*, session: Session, actor: Actor, page: schemas.CaseloadQuery) -> schemas.CaseloadPage:
    """One page of the caller's caseload (the practitioner home page's work tray), soonest review first,
    narrowed by the same filters as the tray.

    The database chooses, counts and cuts the page (app.worktray), whatever the caseload's size.
    """
    filters = TrayFilters(
        page=page.page,
        overdue_only=page.overdue,
        meeting_type=page.meeting_type.value if page.meeting_type else "",
        role=page.role or "",
    )
    tray = work_tray(session=session, actor=actor, filters=filters, page_size=page.per_page)
    # The tray shows its last page for one past it; a sync paging on until a page is empty must stop.
    rows = tray.rows if tray.page == page.page else []
    return schemas.CaseloadPage(
        items=[_summary(row) for row in rows],
        total=tray.total,
        page=page.page,
        pages=tray.pages,
        per_page=page.per_page,
    )


def child_case(*, session: Session, actor: Actor, child_id: int) -> schemas.ChildCase:
    """The case of one child the caller may read in full; NotFound (audited) for anyone else's (R2)."""
    access = policy.require("plan.read_full", session=session, actor=actor, child_id=child_id)
    child = session.get(Child, child_id)
    if child is None:
        raise NotFound()
    # The caseload row carries the review and who holds the case; a break-glass reader has none.
    tray = work_tray(session=session, actor=actor, filters=TrayFilters(), page_size=1, child_id=child_id)
    summary = _summary(tray.rows[0]) if tray.rows else None
    return schemas.ChildCase(
        id=child_id,
        preferred_name=child.preferred_name,
        first_name=child.first_name,
        last_name=child.last_name,
        date_of_birth=child.date_of_birth,
        open_to_csw=child.open_to_csw,
        is_care_leaver=child.is_care_leaver,
        meeting_type=summary.meeting_type if summary else None,
        case_role=summary.case_role if summary else None,
        allocated_worker=summary.allocated_worker if summary else "",
        last_agreed=summary.last_agreed if summary else None,
        review_date=summary.review_date if summary else None,
        overdue=summary.overdue if summary else False,
        may_edit=access.holds("plan.edit"),
    )


def _version(view: PlanView) -> schemas.Version:
    version = view.version
    statements = [s for by_kind in view.statements.values() for rows in by_kind.values() for s in rows]
    return schemas.Version(
        number=version.number,
        agreed=view.is_agreed,
        agreed_on=version.agreed_on,
        agreed_by=version.agreed_by,
        review_date=version.review_date,
        review_trigger=version.review_trigger,
        safe_word=view.safe_word,
        if_missing_take_to=view.if_missing_take_to,
        statements=[schemas.Statement.model_validate(s) for s in statements],
        actions=[schemas.Action.model_validate(a) for a in view.actions],
        emergency_contacts=[schemas.Contact.model_validate(c) for c in view.contacts],
        parental_responsibility=[
            schemas.ParentalResponsibilityRow.model_validate(p) for p in view.parental_responsibility
        ],
        carer_commitments=[schemas.Commitment.model_validate(c) for c in view.carer_commitments],
        agency_actions=[
            schemas.AgencyActionRow.model_validate(a)
            for a in (*view.agency_safety_actions, *view.agency_disrupt_actions)
        ],
        network=[schemas.NetworkPersonRow.model_validate(p) for p in view.network],
        places=[schemas.PlaceRow.model_validate(p) for p in view.places],
        contingency_steps=version.contingency_steps,
        contingency_cover=version.contingency_cover,
        summary_of_changes=version.summary_of_changes,
    )


def plan(*, session: Session, actor: Actor, child_id: int) -> schemas.PlanOut:
    """The working draft and the agreed versions (the practitioner's plan page, as data)."""
    view = practitioner_plan(session=session, actor=actor, child_id=child_id)
    history = version_history(session=session, actor=actor, child_id=child_id)
    return schemas.PlanOut(
        child_id=child_id,
        meeting_type=view.plan.meeting_type,
        draft=_version(view),
        agreed_versions=[schemas.VersionSummary.model_validate(v) for v in history if v.agreed_at is not None],
    )


def version(*, session: Session, actor: Actor, child_id: int, number: int) -> schemas.Version:
    """One version of the plan by its number (the page's version view, as data)."""
    return _version(practitioner_plan(session=session, actor=actor, child_id=child_id, version_number=number))


def _rows_of(view: PlanView, key: ListKey) -> Iterable[PlanItem]:
    """The rows of one list of the draft, as the plan page shows them (agency actions in two parts)."""
    lists: dict[ListKey, Iterable[PlanItem]] = {
        ListKey.STATEMENTS: (s for by_kind in view.statements.values() for each in by_kind.values() for s in each),
        ListKey.ACTIONS: view.actions,
        ListKey.CONTACTS: view.contacts,
        ListKey.PARENTAL_RESPONSIBILITY: view.parental_responsibility,
        ListKey.COMMITMENTS: view.carer_commitments,
        ListKey.AGENCY_ACTIONS: [*view.agency_safety_actions, *view.agency_disrupt_actions],
        ListKey.NETWORK: view.network,
        ListKey.PLACES: view.places,
    }
    return lists[key]


def draft_item(*, session: Session, actor: Actor, child_id: int, key: ListKey, item_id: int) -> PlanItem:
    """One item of a list of the child's draft, read as the plan is (the same policy question); NotFound otherwise."""
    view = practitioner_plan(session=session, actor=actor, child_id=child_id)
    found = next((row for row in _rows_of(view, key) if getattr(row, "id", None) == item_id), None)
    if found is None:
        raise NotFound()
    return found
