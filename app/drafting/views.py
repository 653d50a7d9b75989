"""The worker's "write the plan" page (practitioner door): every section of the child's draft.

Each form posts on its own, as a plain form (then back to the page, 303) or through htmx (then
only its section comes back, swapped in place). A refusal gives back everything typed with what
to change beside each field (422); a stale revision shows what is saved now beside the typed
words (409), and nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from app.access import policy
from app.db import request_session
from app.drafting import operations
from app.drafting.inputs import FIELD_GROUPS, LISTS, DraftFields, IdeaDecision, ItemRef, ListKey, Move
from app.drafting.queries import (
    CHOICES,
    SECTION_BY_KEY,
    SECTIONS,
    PageSection,
    child_without_plan,
    draft_view,
    group_values,
    version_comparison,
)
from app.errors import Conflict, NotFound, ValidationFailed
from app.inputs import parse_id
from app.live.changes import current_version, plan_channel
from app.web.htmx import is_htmx, part_or_page, see_other

blueprint = Blueprint("practitioner_drafting", __name__)

IDEAS = "ideas"  # the family ideas part of the page, answered like a section
NO_SECTION = {"__all__": _l("Choose a section of the plan, then try again.")}


@dataclass(frozen=True)
class Editing:
    """What the last form did, for the section it came from: what was typed, refused or changed meanwhile."""

    section: str = ""
    mode: str = ""  # "add", "change", "remove" (asking first), "move", "fields" or "idea"
    item_id: int | None = None
    typed: Mapping[str, str] = field(default_factory=dict)
    errors: Mapping[str, Any] = field(default_factory=dict)
    revision: int | None = None  # the revision the form states when shown again
    saved: Any = None  # after a conflict: the item (or the draft) as saved now
    conflict: bool = False
    gone: bool = False  # after a conflict: the item was taken out meanwhile
    done: str = ""  # added, saved, removed, moved, brought_in, left
    shown: Mapping[str, str | None] = field(default_factory=dict)  # fields: the words the form showed

    def is_item(self, mode: str, row: Any) -> bool:
        return self.mode == mode and row is not None and self.item_id == row.id

    def typed_for(self, mode: str, row: Any = None) -> Mapping[str, str] | None:
        """What was typed into this form, if it was the one refused (else None: show what is saved)."""
        if self.mode != mode or (row is not None and self.item_id != row.id) or not (self.errors or self.conflict):
            return None
        return self.typed


def _revision() -> int:
    # A missing or garbled revision can never match, so it ends as a conflict, not a guess.
    revision = parse_id(request.form.get("revision", ""))
    return -1 if revision is None else revision


def _section() -> PageSection | None:
    return SECTION_BY_KEY.get(request.form.get("section", ""))


def _typed(section: PageSection) -> dict[str, str]:
    """Only the section's own fields; a checkbox left unticked sends nothing, which means "no"."""
    names = LISTS[section.list_key].fields if section.list_key else FIELD_GROUPS[section.group]
    typed = {name: request.form.get(name, "") for name in names}
    if section.moment:
        typed["moment"] = section.moment  # statements: the section says every day or emergency
    return typed


def _ref() -> dict[str, Any]:
    return {"item_id": request.form.get("item_id", ""), "expected_revision": _revision()}


def _page(child_id: int, editing: Editing, status: int = 200) -> Response:
    """The whole page, or for htmx the part the form came from; decided here, once."""
    db, actor = request_session(), current_user.actor
    child = child_without_plan(session=db, actor=actor, child_id=child_id)
    if child is not None:
        return part_or_page(lambda: "", lambda: render_template("drafting/start.html", child=child), status)
    view = draft_view(session=db, actor=actor, child_id=child_id)

    def part() -> str:
        if editing.section == IDEAS:
            return render_template("drafting/_ideas.html", view=view, editing=editing)
        section = SECTION_BY_KEY.get(editing.section)
        if section is None:
            return render_template(
                "drafting/_page_body.html", view=view, editing=editing, sections=SECTIONS, choices=CHOICES
            )
        return render_template("drafting/_section.html", view=view, editing=editing, section=section, choices=CHOICES)

    def page() -> str:
        live = current_version(db, plan_channel(child_id))
        return render_template(
            "drafting/draft.html", view=view, editing=editing, sections=SECTIONS, choices=CHOICES, live_version=live
        )

    return part_or_page(part, page, status)


def _refused(child_id: int, editing: Editing) -> Response:
    """The form again, with what was typed and what to change, for someone who may write here.

    Input is checked before the service runs, so ask the policy first: anyone else gets "not
    found" (audited) rather than learning what this form would accept (R2).
    """
    policy.require("draft.write", session=request_session(), actor=current_user.actor, child_id=child_id)
    return _page(child_id, editing, 422)


def _done(child_id: int, section: str, done: str) -> Response:
    if is_htmx():
        return _page(child_id, Editing(section=section, done=done))
    return see_other(url_for("practitioner_drafting.page", child_id=child_id, done=done, _anchor=f"sec-{section}"))


def _saved_now(child_id: int, key: ListKey, item_id: int) -> Any:
    """The item as saved now (after a conflict), or None if it was taken out meanwhile."""
    db = request_session()
    draft = operations.writable_draft(session=db, actor=current_user.actor, child_id=child_id)
    try:
        return operations.item_in_draft(db, draft, key, item_id)
    except NotFound:
        return None


def _parse_all(*parsers: Any) -> list[Any]:
    """Every part of the form checked, so each refused field says what to change at once."""
    errors: dict[str, Any] = {}
    parsed = []
    for model, data in parsers:
        try:
            parsed.append(model.parse(data))
        except ValidationFailed as exc:
            errors.update({k: v for k, v in exc.errors.items() if k not in errors})
    if errors:
        raise ValidationFailed(errors)
    return parsed


@blueprint.get("/children/<int:child_id>/draft")
def page(child_id: int) -> Response:
    """Write the plan: the draft section by section, with the family's ideas."""
    return _page(child_id, Editing(done=request.args.get("done", "")[:20]))


@blueprint.post("/children/<int:child_id>/draft/start")
def start(child_id: int) -> Response:
    """Open a plan, with an empty draft, for a child who has none yet."""
    operations.start_draft(session=request_session(), actor=current_user.actor, child_id=child_id)
    return see_other(url_for("practitioner_drafting.page", child_id=child_id))


@blueprint.post("/children/<int:child_id>/draft/items")
def add(child_id: int) -> Response:
    section = _section()
    if section is None or section.list_key is None:
        return _refused(child_id, Editing(errors=NO_SECTION))
    typed = _typed(section)
    try:
        (item,) = _parse_all((LISTS[section.list_key].input, typed))
        operations.add_item(
            session=request_session(), actor=current_user.actor, child_id=child_id, key=section.list_key, item=item
        )
    except ValidationFailed as exc:
        return _refused(child_id, Editing(section=section.key, mode="add", typed=typed, errors=exc.errors))
    return _done(child_id, section.key, "added")


@blueprint.post("/children/<int:child_id>/draft/items/change")
def change(child_id: int) -> Response:
    section = _section()
    if section is None or section.list_key is None:
        return _refused(child_id, Editing(errors=NO_SECTION))
    typed, key = _typed(section), section.list_key
    item_id = parse_id(request.form.get("item_id", ""))
    editing = Editing(section=section.key, mode="change", item_id=item_id, typed=typed, revision=_revision())
    try:
        ref, item = _parse_all((ItemRef, _ref()), (LISTS[key].input, typed))
        operations.change_item(
            session=request_session(), actor=current_user.actor, child_id=child_id, key=key, ref=ref, item=item
        )
    except ValidationFailed as exc:
        return _refused(child_id, _with(editing, errors=exc.errors))
    except Conflict:
        saved = _saved_now(child_id, key, item_id or 0)
        return _page(child_id, _conflict(editing, saved), 409)
    return _done(child_id, section.key, "saved")


@blueprint.post("/children/<int:child_id>/draft/items/remove")
def remove(child_id: int) -> Response:
    """Asks first (the item and "remove it?"); only the confirming post takes it out."""
    section = _section()
    if section is None or section.list_key is None:
        return _refused(child_id, Editing(errors=NO_SECTION))
    key = section.list_key
    item_id = parse_id(request.form.get("item_id", ""))
    editing = Editing(section=section.key, mode="remove", item_id=item_id, revision=_revision())
    db, actor = request_session(), current_user.actor
    try:
        (ref,) = _parse_all((ItemRef, _ref()))
        if request.form.get("confirmed") != "yes":
            draft = operations.writable_draft(session=db, actor=actor, child_id=child_id)
            operations.item_in_draft(db, draft, key, ref.item_id)
            return _page(child_id, editing)
        operations.remove_item(session=db, actor=actor, child_id=child_id, key=key, ref=ref)
    except ValidationFailed as exc:
        return _refused(child_id, _with(editing, errors=exc.errors))
    except Conflict:
        return _page(child_id, _conflict(editing, _saved_now(child_id, key, item_id or 0)), 409)
    return _done(child_id, section.key, "removed")


@blueprint.post("/children/<int:child_id>/draft/items/move")
def move(child_id: int) -> Response:
    section = _section()
    if section is None or section.list_key is None:
        return _refused(child_id, Editing(errors=NO_SECTION))
    key = section.list_key
    item_id = parse_id(request.form.get("item_id", ""))
    editing = Editing(section=section.key, mode="move", item_id=item_id)
    try:
        (moving,) = _parse_all((Move, {**_ref(), "direction": request.form.get("direction", "")}))
        operations.move_item(
            session=request_session(), actor=current_user.actor, child_id=child_id, key=key, move=moving
        )
    except ValidationFailed as exc:
        return _refused(child_id, _with(editing, errors=exc.errors))
    except Conflict:
        return _page(child_id, _conflict(editing, _saved_now(child_id, key, item_id or 0)), 409)
    return _done(child_id, section.key, "moved")


@blueprint.post("/children/<int:child_id>/draft/fields")
def fields(child_id: int) -> Response:
    """The draft's own fields, a group at a time (safe word, where to be taken, contingency, review...)."""
    section = _section()
    if section is None or not section.group:
        return _refused(child_id, Editing(errors=NO_SECTION))
    typed = _typed(section)
    shown = {name: request.form.get(f"shown_{name}") for name in FIELD_GROUPS[section.group]}
    editing = Editing(section=section.key, mode="fields", typed=typed, revision=_revision(), shown=shown)
    db, actor = request_session(), current_user.actor
    try:
        (update,) = _parse_all((DraftFields, {**typed, "expected_revision": _revision()}))
        operations.update_fields(session=db, actor=actor, child_id=child_id, fields=update)
    except ValidationFailed as exc:
        return _refused(child_id, _with(editing, errors=exc.errors))
    except Conflict:
        saved = operations.writable_draft(session=db, actor=actor, child_id=child_id)
        if shown != group_values(saved, section.group):
            return _page(child_id, _conflict(editing, saved), 409)
        # The draft's one revision moved on for another section (the safe word saved a moment
        # ago, say); this section still says what the form showed, so saving overwrites no one.
        try:
            (update,) = _parse_all((DraftFields, {**typed, "expected_revision": saved.revision}))
            operations.update_fields(session=db, actor=actor, child_id=child_id, fields=update)
        except Conflict:
            saved = operations.writable_draft(session=db, actor=actor, child_id=child_id)
            return _page(child_id, _conflict(editing, saved), 409)
    return _done(child_id, section.key, "saved")


@blueprint.post("/children/<int:child_id>/draft/ideas")
def idea(child_id: int) -> Response:
    """Bring one of the family's ideas into the plan, or leave it as an idea."""
    item_id = parse_id(request.form.get("item_id", ""))
    editing = Editing(section=IDEAS, mode="idea", item_id=item_id)
    db, actor = request_session(), current_user.actor
    try:
        key = ListKey(request.form.get("list", ""))
    except ValueError:
        policy.require("draft.decide_ideas", session=db, actor=actor, child_id=child_id)
        return _page(child_id, _with(editing, errors={"item_id": _l("Choose one of the family's ideas.")}), 422)
    try:
        (decision,) = _parse_all((IdeaDecision, {**_ref(), "status": request.form.get("status", "")}))
        operations.decide_idea(session=db, actor=actor, child_id=child_id, key=key, decision=decision)
    except ValidationFailed as exc:
        policy.require("draft.decide_ideas", session=db, actor=actor, child_id=child_id)
        return _page(child_id, _with(editing, errors=exc.errors), 422)
    except Conflict:
        return _page(child_id, _conflict(editing, _saved_now(child_id, key, item_id or 0)), 409)
    return _done(child_id, IDEAS, decision.status)


def _with(editing: Editing, **changes: Any) -> Editing:
    return Editing(**{**editing.__dict__, **changes})


def _conflict(editing: Editing, saved: Any) -> Editing:
    """Both texts: what is saved now, and (in the form, stating the revision saved now) what was typed."""
    revision = saved.revision if saved is not None else editing.revision
    return _with(editing, conflict=True, saved=saved, gone=saved is None, revision=revision)


@blueprint.get("/children/<int:child_id>/versions/compare")
def compare(child_id: int) -> Response:
    """Two versions side by side, section by section: what was added, taken out and changed, and by whom."""
    comparison = version_comparison(
        session=request_session(),
        actor=current_user.actor,
        child_id=child_id,
        older=parse_id(request.args.get("from", "")),
        newer=parse_id(request.args.get("to", "")),
    )
    return part_or_page(lambda: "", lambda: render_template("drafting/compare.html", c=comparison))
