"""Practitioner pages about access: sharing locks, removing people and phones, break glass, audit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from app.access import policy, removed, sharing
from app.access.break_glass import (
    GRANT_LIFETIME,
    MAX_MATCHES,
    MAX_REASON_LENGTH,
    MIN_REASON_LENGTH,
    BreakGlassRequest,
    BreakGlassSearch,
    Found,
    find_children,
    found_again,
    may_open,
    open_break_glass,
)
from app.audit import queries as audit_queries
from app.audit import sentences as audit_sentences
from app.audit.inputs import AuditFilters
from app.auth import devices
from app.db import request_session
from app.errors import NotFound, ValidationFailed
from app.inputs import parse_id
from app.people import operations as people_ops
from app.plans.read_model import practitioner_plan
from app.plans.sections import Section

blueprint = Blueprint("practitioner_access", __name__)


def _int(value: str | None, default: int | None = None) -> int | None:
    parsed = parse_id(value)
    return default if parsed is None else parsed


@blueprint.get("/children/<int:child_id>/access")
def overview(child_id: int) -> Any:
    """Who can see what, with safety locks; people and phones that can be removed."""
    return _access_page(child_id)


def _access_page(child_id: int, errors: dict[str, Any] | None = None) -> str:
    db = request_session()
    actor = current_user.actor
    view = practitioner_plan(session=db, actor=actor, child_id=child_id)
    people = sharing.sharing_overview(session=db, actor=actor, child_id=child_id)
    phones = devices.devices_for_child(session=db, actor=actor, child_id=child_id)
    # After a removal the redirect says whose (an id and a kind, never a name: R18): say so by name.
    just_removed = removed.just_removed(
        session=db, actor=actor, child_id=child_id, kind=request.args.get("removed"), who=_int(request.args.get("who"))
    )
    return render_template(
        "practitioner/access.html",
        view=view,
        people=people,
        devices=phones,
        sections=list(Section),
        errors=errors or {},
        removed=just_removed,
    )


@blueprint.post("/children/<int:child_id>/access/lock")
def lock(child_id: int) -> Any:
    """Lock (or unlock) one section for one person; a form that names neither is refused, saying which."""
    db = request_session()
    actor = current_user.actor
    typed = {name: request.form.get(name) for name in ("member_id", "section", "locked")}
    try:
        sharing.set_lock(session=db, actor=actor, child_id=child_id, lock=sharing.SectionLock.parse(typed))
    except ValidationFailed as exc:
        # Input is checked before the service asks the policy: anyone who may not lock here gets
        # "not found" (audited), never the page (R2).
        policy.require("sharing.lock", session=db, actor=actor, child_id=child_id)
        return _access_page(child_id, exc.errors), 422
    return redirect(url_for("practitioner_access.overview", child_id=child_id), code=303)


@blueprint.route("/children/<int:child_id>/access/<int:member_id>/remove", methods=["GET", "POST"])
def remove_person(child_id: int, member_id: int) -> Any:
    """Confirm, then end a family member's access to this plan."""
    db = request_session()
    actor = current_user.actor
    person = next(
        (p for p in sharing.sharing_overview(session=db, actor=actor, child_id=child_id) if p.member_id == member_id),
        None,
    )
    if person is None:
        raise NotFound()
    if request.method == "GET":
        # Asked only of those who may remove someone: a read-only reader is refused here as at the post.
        policy.require("plan.edit", session=db, actor=actor, child_id=child_id)
        view = practitioner_plan(session=db, actor=actor, child_id=child_id)
        return render_template("practitioner/remove_person.html", view=view, person=person)
    people_ops.revoke_family_link(session=db, actor=actor, child_id=child_id, member_id=member_id)
    return redirect(
        url_for("practitioner_access.overview", child_id=child_id, removed="person", who=member_id), code=303
    )


@blueprint.route("/children/<int:child_id>/devices/<int:passkey_id>/remove", methods=["GET", "POST"])
def remove_device(child_id: int, passkey_id: int) -> Any:
    db = request_session()
    actor = current_user.actor
    device = next(
        (
            d
            for d in devices.devices_for_child(session=db, actor=actor, child_id=child_id)
            if d.passkey_id == passkey_id
        ),
        None,
    )
    if device is None:
        raise NotFound()
    if request.method == "GET":
        view = practitioner_plan(session=db, actor=actor, child_id=child_id)
        return render_template("practitioner/remove_device.html", view=view, device=device)
    devices.remove_device(session=db, actor=actor, child_id=child_id, passkey_id=passkey_id)
    return redirect(
        url_for("practitioner_access.overview", child_id=child_id, removed="phone", who=passkey_id), code=303
    )


# What is typed into the break-glass forms, kept to show again (never logged, never in the address).
BREAK_GLASS_FIELDS = ("name", "date_of_birth", "child_id", "reason")


def _break_glass_page(form: dict[str, str], errors: dict[str, Any], found: Found | None = None) -> str:
    # The page says its limits in words: how long access lasts, how many are listed, the reason's length.
    limits = {
        "minutes": int(GRANT_LIFETIME.total_seconds() // 60),
        "max_matches": MAX_MATCHES,
        "min_reason": MIN_REASON_LENGTH,
        "max_reason": MAX_REASON_LENGTH,
    }
    return render_template("practitioner/break_glass.html", form=form, errors=errors, found=found, **limits)


def _break_glass_form() -> dict[str, str]:
    return {name: request.form.get(name, "") for name in BREAK_GLASS_FIELDS}


@blueprint.route("/break-glass", methods=["GET", "POST"])
def break_glass() -> Any:
    """Emergency read-only access to a child you are not linked to: found by name and date of birth,
    chosen, reasoned; an hour, audited. The search posts to break_glass_search, the grant here."""
    db, actor = request_session(), current_user.actor
    form = _break_glass_form()
    if request.method == "GET":
        may_open(session=db, actor=actor)
        return _break_glass_page(form, {})
    try:
        grant = open_break_glass(session=db, actor=actor, request=BreakGlassRequest.parse(form))
    except ValidationFailed as exc:
        may_open(session=db, actor=actor)  # someone who may not break glass learns nothing more
        try:
            found: Found | None = found_again(session=db, actor=actor, search=BreakGlassSearch.parse(form))
        except ValidationFailed:
            found = None
        return _break_glass_page(form, exc.errors, found), 422
    return redirect(url_for("practitioner.child_plan", child_id=grant.child_id), code=303)


@blueprint.post("/break-glass/search")
def break_glass_search() -> Any:
    """Find a young person by name and date of birth (every search audited, never its words)."""
    db, actor = request_session(), current_user.actor
    form = _break_glass_form()
    try:
        search = BreakGlassSearch.parse(form)
    except ValidationFailed as exc:
        may_open(session=db, actor=actor)
        return _break_glass_page(form, exc.errors), 422
    return _break_glass_page(form, {}, find_children(session=db, actor=actor, search=search))


# The audit search's query parameters, kept in its page links.
AUDIT_FILTERS = ("actor", "child_id", "kind", "from", "to", "per_page")


@blueprint.get("/audit")
def audit_search() -> Any:
    """Search the audit log as the policy allows: managers their team's children, by name; admins
    the whole log, by record number. Every parameter is typed; a refused one shows the form again."""
    db = request_session()
    scope = audit_queries.audit_scope(session=db, actor=current_user.actor)
    status, errors = 200, {}
    result: audit_queries.SearchPage | None = None
    try:
        filters = AuditFilters.parse(request.args)
        result = audit_queries.search(session=db, scope=scope, filters=filters)
    except ValidationFailed as refused:
        status, errors = 422, refused.errors
    except NotFound:
        # A child outside the reader's reach answers like their record does: not found (R2).
        status, errors = 404, {"child_id": AuditFilters.message_for("child_id", "not_found", {})}
    choices = audit_queries.search_choices(
        session=db, scope=scope, selected_actor=request.args.get("actor", "") if result is not None else ""
    )
    page = render_template(
        "practitioner/audit.html",
        args=request.args,
        kept={name: request.args[name] for name in AUDIT_FILTERS if request.args.get(name)},
        errors=errors,
        result=result,
        choices=choices,
        scope=scope,
        words=audit_sentences,
    )
    return page, status
