"""Templates' gettext with the request's translations looked up once, not at every string.

Flask-Babel installs template callables that look the translations up at every call: through
`g` (a context-local proxy) three times, the locale's name and the domain's cache. A plan page
translates about 130 strings, and those lookups cost more than the translating. Here the
callables keep the translations Flask-Babel finds first in Flask-Babel's own per-request
namespace, under the name its `refresh()` and `force_locale()` clear, so a locale changed
mid-request is still followed. The words are the same: the same catalog object, called the same
way (`newstyle`, so autoescaping and `%(name)s` work as before).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from flask_babel import get_domain, get_translations

# Flask-Babel's per-request namespace on `g`, and the attribute its refresh() and force_locale() reset.
_BABEL_CONTEXT = "_flask_babel"
_CACHED = "babel_translations"


def request_translations() -> Any:
    """The translations Flask-Babel would use now, found once per request (and per domain)."""
    context = g.get(_BABEL_CONTEXT) if g else None
    if context is None:
        return get_translations()
    cached = getattr(context, _CACHED, None)
    domain = getattr(context, "babel_domain", None)
    if cached is not None and domain is not None and cached[0] is domain:
        return cached[1]
    translations = get_translations()
    setattr(context, _CACHED, (get_domain(), translations))
    return translations


def install(app: Flask) -> None:
    """Replace Flask-Babel's template callables (call after `Babel(app)`)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined] # added by jinja2.ext.i18n
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
