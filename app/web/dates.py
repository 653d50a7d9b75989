"""The templates' `dateformat` filter: Flask-Babel's, with a date's words kept once worked out.

A plan page shows a dozen dates (agreed on, next check-in, each action's due date), and Flask-Babel
works each one out afresh: the locale, the pattern's name, then Babel's field-by-field formatting,
about 7 µs a date. The words of a date in a language and pattern never change, so they are kept
(bounded): a date is not a secret of the plan it came from, and nothing else is kept with it.

Only plain dates in an explicit pattern take the short way. A datetime is moved into the reader's
time zone first and a named format ("short", "long"...) may be configured, so both still go
through Flask-Babel as before.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date as babel_format_date
from flask import Flask
from flask_babel import format_date as flask_babel_format_date
from flask_babel import get_locale

# Babel's named formats: their pattern may come from the app's configuration, so they are not kept.
NAMED_FORMATS = frozenset({"short", "medium", "long", "full"})
# Days a few years either side of today, in the patterns and languages the templates use, fit.
KEPT_DATES = 4096


@lru_cache(maxsize=KEPT_DATES)
def _date_words(day: date, pattern: str, locale: Locale) -> str:
    return babel_format_date(day, pattern, locale=locale)


def dateformat(value: Any, pattern: str | None = None) -> str:
    """`{{ day | dateformat("d MMMM yyyy") }}`: the date in the request's language."""
    if type(value) is date and pattern is not None and pattern not in NAMED_FORMATS:
        locale = get_locale()
        if locale is not None:
            return _date_words(value, pattern, locale)
    return str(flask_babel_format_date(value, pattern))


def install(app: Flask) -> None:
    """After `Babel(app)`, which installed its own `dateformat`."""
    app.jinja_env.filters["dateformat"] = dateformat

