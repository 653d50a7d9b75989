"""Concerns pages (practitioner door): the list, "record a concern", and one concern with its
Safer Me Assessment, history, proposed pathway and route decision.

Plain forms (a post, then a 303 back to the page); a refusal (422) gives the page again with
everything typed and a message per field. Who may do what is the service's question
(app.concerns.operations asks the policy); the door commits, or rolls back a refusal.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, make_response, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.access import policy
from app.concerns import operations, queries
from app.concerns.inputs import AREAS, GRADING, AssessmentInput, ConcernInput, DecisionInput
from app.concerns.models import Grade, Subject
from app.concerns.routing import (
    GRADE_DESCRIPTIONS,
    GRADE_NAMES,
    PATHWAY_NAMES,
    PATHWAY_STEPS,
    SUBJECT_HINTS,
    SUBJECT_NAMES,
    Pathway,
)
from app.db import request_session
from app.errors import ValidationFailed
from app.hub.inputs import LEVEL_NAMES
from app.hub.outcomes import concern_outcomes
from app.mace import queries as mace_queries
from app.mace.inputs import OUTCOME_NAMES
from app.mace.operations import MACE_PATHWAYS, runs_panel
from app.mapping import queries as mapping_queries
from app.mapping.inputs import WEIGHTING_NAMES
from app.web.htmx import see_other

blueprint = Blueprint("practitioner_concerns", __name__)

CONCERN_FIELDS = ("subject", "child_id", "name", "description")
ASSESSMENT_FIELDS = (
    *(f"{kind}_{key}" for key, _label in AREAS for kind in ("risks", "protective")),
    "grade",
    *(key for key, _label in GRADING),
    "reasons",
)
DECISION_FIELDS = ("chosen", "reason", "based_on")
# Status codes a plain post is redirected back with (codes, never anyone's words: R18).
DONE = frozenset({"recorded", "assessed", "decided", "referred"})

WORDS = {
    "areas": AREAS,
    "grading": GRADING,
    "grades": list(Grade),
    "grade_names": GRADE_NAMES,
    "grade_descriptions": GRADE_DESCRIPTIONS,
    "pathways": list(Pathway),
    "pathway_names": PATHWAY_NAMES,
    "pathway_steps": PATHWAY_STEPS,
    "subjects": list(Subject),
    "subject_names": SUBJECT_NAMES,
    "subject_hints": SUBJECT_HINTS,
    "outcome_names": OUTCOME_NAMES,
    "weighting_names": WEIGHTING_NAMES,
    "level_names": LEVEL_NAMES,
}


def _typed(names: tuple[str, ...]) -> dict[str, str]:
    """Only the named fields of the form (the request limit bounds them); the rest is ignored (R5)."""
    return {name: request.form.get(name, "") for name in names}


def _page(template: str, status: int = 200, **context: Any) -> Response:
    response = make_response(render_template(template, **WORDS, **context), status)
    response.vary.add("HX-Request")
    return response


@blueprint.route("/concerns")
def concerns() -> Response:
    """Concerns about the young people on one's cases, and the context concerns one recorded."""
    db, actor = request_session(), current_user.actor
    policy.require("concerns.list", session=db, actor=actor)
    done = request.args.get("done", "")
    rows = queries.concerns_list(session=db, actor=actor)
    runs_mace = runs_panel(db, actor)
    return _page("concerns/concerns.html", rows=rows, done=done if done in DONE else "", runs_mace=runs_mace)


@blueprint.route("/concerns/new", methods=["GET", "POST"])
def new_concern() -> Response:
    """Record a concern about a young person, a peer group or location, or people of concern."""
    db, actor = request_session(), current_user.actor
    form = _typed(CONCERN_FIELDS)
    errors: dict[str, Any] = {}
    status = 200
    if request.method == "GET":
        policy.require("concerns.list", session=db, actor=actor)
        # "Record a concern" from a young person's page comes with them chosen.
        form["child_id"] = request.args.get("child_id", "")[:12]
        form["subject"] = Subject.INDIVIDUAL if form["child_id"] else ""
    else:
        try:
            concern = operations.record_concern(session=db, actor=actor, concern=ConcernInput.parse(form))
        except ValidationFailed as exc:
            policy.require("concerns.list", session=db, actor=actor)
            errors, status = exc.errors, 422
        else:
            readable = concern.child_id is None or policy.holds(
                "concern.read", session=db, actor=actor, child_id=concern.child_id
            )
            if readable:
                return see_other(url_for(".concern", concern_id=concern.id, done="recorded"))
            # An agency partner raises a concern about a child of their case but does not read it.
            return see_other(url_for(".concerns", done="recorded"))
    children = queries.recordable_children(session=db, actor=actor)
    return _page("concerns/new.html", status, form=form, errors=errors, children=children)


def concern_answer(concern_id: int, status: int = 200, **forms: Any) -> Response:
    db, actor = request_session(), current_user.actor
    view = queries.concern_page(session=db, actor=actor, concern_id=concern_id)
    done = request.args.get("done", "")
    context: dict[str, Any] = {
        "view": view,
        "done": done if done in DONE and status == 200 else "",
        "assessment_form": dict.fromkeys(ASSESSMENT_FIELDS, ""),
        "assessment_errors": {},
        "decision_form": {"chosen": view.proposed or "", "reason": "", "based_on": view.based_on or ""},
        "decision_errors": {},
        # MACE referrals and mapping meetings (issue 12 parts 4 and 5).
        "mace": mace_queries.concern_referrals(session=db, actor=actor, concern_id=concern_id),
        "mace_pathways": MACE_PATHWAYS,
        "mace_form": {"why": ""},
        "mace_errors": {},
        "mappings": mapping_queries.concern_mappings(session=db, actor=actor, concern_id=concern_id),
        # The Hub's answer to each enquiry a route decision opened (issue 12: on to Safer Me Plus).
        "hub": concern_outcomes(db, view.concern),
    }
    context.update(forms)
    if view.assessments and "assessment_form" not in forms:
        # A re-assessment starts from the latest one: the assessor changes what has changed.
        latest = view.assessments[0]
        form = context["assessment_form"]
        for key, area in latest.areas.items():
            form[f"risks_{key}"], form[f"protective_{key}"] = area.get("risks", ""), area.get("protective", "")
        assessment = latest.assessment
        form.update(
            nature=assessment.nature,
            severity=assessment.severity,
            frequency=assessment.frequency,
            impact_of_harm=assessment.impact,
        )
    return _page("concerns/concern.html", status, **context)


@blueprint.route("/concerns/<int:concern_id>")
def concern(concern_id: int) -> Response:
    """One concern: what was recorded, the assessments, the proposal and the decisions."""
    return concern_answer(concern_id)


@blueprint.route("/concerns/<int:concern_id>/assessments", methods=["POST"])
def assess(concern_id: int) -> Response:
    """Add a Safer Me Assessment (the first, or a re-assessment: the history keeps every one)."""
    db, actor = request_session(), current_user.actor
    form = _typed(ASSESSMENT_FIELDS)
    try:
        operations.assess(session=db, actor=actor, concern_id=concern_id, assessment=AssessmentInput.parse(form))
    except ValidationFailed as exc:
        # The form's rules only for someone who may use it (R2).
        operations.concern_for(session=db, actor=actor, concern_id=concern_id, permission="concern.assess")
        return concern_answer(concern_id, 422, assessment_form=form, assessment_errors=exc.errors)
    return see_other(url_for(".concern", concern_id=concern_id, done="assessed") + "#proposal")


@blueprint.route("/concerns/<int:concern_id>/decision", methods=["POST"])
def decide(concern_id: int) -> Response:
    """Record the route decided: the proposed pathway, or another with the reason why."""
    db, actor = request_session(), current_user.actor
    form = _typed(DECISION_FIELDS)
    try:
        operations.decide_route(session=db, actor=actor, concern_id=concern_id, decision=DecisionInput.parse(form))
    except ValidationFailed as exc:
        operations.concern_for(session=db, actor=actor, concern_id=concern_id, permission="concern.route")
        return concern_answer(concern_id, 422, decision_form=form, decision_errors=exc.errors)
    return see_other(url_for(".concern", concern_id=concern_id, done="decided") + "#decisions")
