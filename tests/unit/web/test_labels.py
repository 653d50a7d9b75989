"""Labels and section names are translated where they are shown, in the request's language."""

from __future__ import annotations

from flask_babel import force_locale

from app import SaferPlan
from app.plans.models import StatementKind
from app.web.labels import label, section_words


def test_a_label_and_a_section_name_follow_the_request_language(application: SaferPlan) -> None:
    door = application.family
    with door.test_request_context("/"):
        assert label("statement_kind", StatementKind.WILL) == "I will"
        assert section_words("safe_word", "Jordan") == "Jordan's safe word"
        with force_locale("sq"):
            assert label("statement_kind", StatementKind.WILL) == "Unë do të"
            assert section_words("safe_word", "Jordan") == "Fjala e sigurisë e Jordan"
            assert section_words("safe_word") != "My safe word"
        # Back in English once the forced language ends (Flask-Babel's refresh resets the catalog).
        assert label("statement_kind", StatementKind.WILL) == "I will"


def test_an_unknown_value_shows_as_itself(application: SaferPlan) -> None:
    with application.family.test_request_context("/"):
        assert label("statement_kind", "whatever") == "whatever"
        assert label("no_such_group", "x") == "x"
        assert section_words("no_such_section", "Jordan") == "no_such_section"
