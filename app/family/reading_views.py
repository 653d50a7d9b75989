"""Reading choices: easy-read words on the family side (issue 4: reading).

Easy read is the format many young people and parents with learning disabilities, or who are
still learning English, are used to from school and services: short sentences, everyday words, one
idea at a time, a picture beside each heading. Templates say both versions of a sentence with
`words(_("usual words"), _("easy words"))`; both go through Babel, so both are translated.
tests/test_easy_read.py reads every easy version in the templates and checks it stays easy.

The choice belongs to the person, not the phone, so it follows them to a new phone. It is one
button on the plan page; a plain form post (no JavaScript needed), then back to the plan.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, request, url_for
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from app.db import request_session
from app.inputs import parse_id
from app.people.operations import choose_easy_read
from app.web.users import FamilyUser

blueprint = Blueprint("family_reading", __name__)


def easy_read_on() -> bool:
    """Whether the signed-in family member chose easy read (never for anyone signed out)."""
    user = current_user._get_current_object() if current_user else None
    return isinstance(user, FamilyUser) and bool(user.member.easy_read)


def words(usual: str | Markup, easy: str | Markup) -> str | Markup:
    """The easy-read version of a sentence for people who chose it, the usual one for everyone else."""
    # A page says some 40 sentences this way: `g` itself, found once, not through its proxy each time.
    request_globals = g._get_current_object()
    chosen = getattr(request_globals, "easy_read", None)
    if chosen is None:
        chosen = request_globals.easy_read = easy_read_on()
    return easy if chosen else usual


@blueprint.app_context_processor
def reading_choices() -> dict[str, Any]:
    return {"words": words, "easy_read": easy_read_on}


@blueprint.post("/reading/easy-read")
def easy_read() -> Response:
    choice = request.form.get("easy_read", "")
    if choice in ("on", "off"):
        db = request_session()
        choose_easy_read(session=db, member=current_user.member, easy_read=choice == "on")
        g.pop("easy_read", None)
    # Back to the plan the button was on; anything garbled simply goes home.
    child_id = parse_id(request.form.get("child", ""))
    target = url_for("family.plan", child_id=child_id) if child_id else url_for("family.home")
    return redirect(target, code=303)
