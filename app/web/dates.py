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
from typing import Any

from babel.dates import format_date as babel_format_date
from flask import Flask
from flask_babel import format_date as flask_babel_format_date
from flask_babel import get_locale

# Babel's named formats: their pattern may come from the app's configuration, so they are not kept.
NAMED_FORMATS = frozenset({"short", "medium", "long", "full"})
# Days a few years either side of today, in the patterns and languages the templates use, fit.
KEPT_DATES = 4096


# (day, pattern, language, territory, script, variant, modifier) -> the words. Babel's Locale hashes and
# compares slowly (its identifier is rebuilt each time), so the key names it by its parts.
_kept: dict[tuple[date, str, str, str | None, str | None, str | None, str | None], str] = {}


def dateformat(value: Any, pattern: str | None = None) -> str:
    """`{{ day | dateformat("d MMMM yyyy") }}`: the date in the request's language."""
    if type(value) is date and pattern is not None and pattern not in NAMED_FORMATS:
        locale = get_locale()
        if locale is not None:
            key = (value, pattern, locale.language, locale.territory, locale.script, locale.variant, locale.modifier)
            words = _kept.get(key)
            if words is None:
                words = babel_format_date(value, pattern, locale=locale)
                if len(_kept) < KEPT_DATES:
                    _kept[key] = words
            return words
    return str(flask_babel_format_date(value, pattern))


def install(app: Flask) -> None:
    """After `Babel(app)`, which installed its own `dateformat`."""
    app.jinja_env.filters["dateformat"] = dateformat
