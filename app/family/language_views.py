"""A family member's language: chosen on their plan page (the first screen after joining), kept with them.

The family door's locale selector reads it; signed out, or before choosing, the browser's
Accept-Language decides among the languages we have. The practitioner door is never switched.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.db import request_session
from app.inputs import parse_id
from app.languages import DEFAULT_LANGUAGE, FAMILY_LANGUAGES, text_direction
from app.languages.catalogs import translation_status
from app.people.operations import choose_language
from app.web.users import FamilyUser

blueprint = Blueprint("family_language", __name__)


def family_locale() -> str:
    """The signed-in member's own choice, else the browser's best match, else English."""
    if "family_locale" not in g:
        user = current_user._get_current_object() if current_user else None
        chosen = user.member.language if isinstance(user, FamilyUser) else None
        g.family_locale = (
            chosen
            if chosen in FAMILY_LANGUAGES
            else request.accept_languages.best_match(tuple(FAMILY_LANGUAGES)) or DEFAULT_LANGUAGE
        )
    return str(g.family_locale)


@blueprint.app_context_processor
def language_choices() -> dict[str, Any]:
    language = family_locale()
    return {
        "languages": FAMILY_LANGUAGES,
        "page_language": language,
        "page_direction": text_direction(language),
        "language_direction": text_direction,
        "translation_status": lambda: translation_status(current_app.config["SAFER_PLAN"].translations_dir, language),
    }


@blueprint.post("/reading/language")
def choose() -> Response:
    """Keep the member's choice ("" goes back to following the browser); anything else changes nothing."""
    choice = request.form.get("language", "")
    if choice in FAMILY_LANGUAGES or choice == "":
        choose_language(session=request_session(), member=current_user.member, language=choice or None)
        g.pop("family_locale", None)
    # Back to the plan the choice was made on; anything garbled simply goes home.
    child_id = parse_id(request.form.get("child", ""))
    target = url_for("family.plan", child_id=child_id) if child_id else url_for("family.home")
    return redirect(target, code=303)
