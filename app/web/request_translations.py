"""The request's translations, looked up once per request rather than at every string.

Flask-Babel looks the translations up at every gettext: through `g` (a context-local proxy) three
times, the locale's name and the domain's cache. A plan page translates about 130 strings in its
templates and some 40 lazy labels, and those lookups cost more than the translating. Here the
door's domain keeps the translations Flask-Babel finds first in Flask-Babel's own per-request
namespace, under the name its `refresh()` and `force_locale()` reset, so a locale changed
mid-request is still followed; and the templates' callables ask that once-found object directly.
The words are the same: the same catalog object, called the same way (the templates' callables
`newstyle`, as Flask-Babel installs them, so autoescaping and `%(name)s` work as before).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from flask.globals import _cv_app
from flask_babel import Domain, get_domain
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

# Flask-Babel's per-request namespace on `g`, and the attribute its refresh() and force_locale() reset.
_BABEL_CONTEXT = "_flask_babel"
_CACHED = "babel_translations"
# Where a catalog keeps the markup it has given the templates (`_kept_words`), and how much at most.
_KEPT_WORDS = "_safer_plan_template_words"
KEPT_WORDS_PER_CATALOG = 4096


class RequestDomain(Domain):
    """Flask-Babel's domain, its translations found once per request (and per domain)."""

    def get_translations(self) -> Any:
        context = g.get(_BABEL_CONTEXT) if g else None
        if context is None:
            return super().get_translations()
        cached = getattr(context, _CACHED, None)
        if cached is not None and cached[0] is self:
            return cached[1]
        translations = super().get_translations()
        setattr(context, _CACHED, (self, translations))
        return translations


def request_translations() -> Any:
    """The translations gettext uses now: the request's own once found.

    `g` is read through Flask's context variable itself rather than its proxy: a page asks this
    some 130 times, and the proxy's two lookups a time cost more than the catalog's dictionary."""
    app_context = _cv_app.get(None)
    context = getattr(app_context.g, _BABEL_CONTEXT, None) if app_context is not None else None
    cached = getattr(context, _CACHED, None) if context is not None else None
    if cached is not None and cached[0] is getattr(context, "babel_domain", None):
        return cached[1]
    return get_domain().get_translations()


@pass_eval_context
def template_gettext(eval_context: EvalContext, string: str, /, **variables: Any) -> str:
    """`_()` and `gettext()` in a template: what jinja2.ext's newstyle gettext does (escaped when
    autoescaping, always a format string), in one call rather than three (its `_` alias resolves
    `gettext` and calls it through the context, which calls the catalog through it again). It asks
    for the evaluation context only (whether to escape), not the template context: inside a loop
    or block Jinja would copy the whole context for each call to hand it over. Its own two
    arguments are positional only, so a string may still name `%(eval_context)s` or `%(string)s`."""
    translations = request_translations()
    if eval_context.autoescape:
        translated = _kept_words(translations).get(string)
        if translated is None:
            # As jinja2.ext does: the catalog's words are the templates' own text (reviewed like the
            # templates); the values put into them by `%` are escaped by Markup's own formatting.
            translated = _keep(translations, string, Markup(translations.ugettext(string)))  # noqa: S704
    else:
        translated = translations.ugettext(string)
    if not variables and "%" not in translated:
        # Most strings have no placeholders: `%` with nothing to put in would give the same words
        # (it only turns "%%" into "%"), at the cost of Markup's formatting machinery.
        return translated
    return translated % variables


def _kept_words(translations: Any) -> dict[str, Markup]:
    """The words a catalog has given the templates so far, as markup, by message id.

    A page asks for some 130 strings, most of them the same on every page; each was looked up in
    the catalog and wrapped in Markup afresh. The templates only ever translate their own literal
    strings (tests/unit/web/test_template_text.py checks every `_()` in them), so what is kept is
    the templates' text in each language, never anything of a plan. It is kept on the catalog
    object itself, which Flask-Babel keeps for the process (one per language), so a catalog loaded
    again starts afresh."""
    kept: dict[str, Markup] | None = getattr(translations, _KEPT_WORDS, None)
    if kept is None:
        kept = {}
        setattr(translations, _KEPT_WORDS, kept)
    return kept


def _keep(translations: Any, string: str, words: Markup) -> Markup:
    kept = _kept_words(translations)
    if len(kept) < KEPT_WORDS_PER_CATALOG:  # a bound, not a size: the templates hold about 1,500 strings
        kept[string] = words
    return words


def install(app: Flask) -> None:
    """After `Babel(app)`: the door's domain finds translations once a request, and the templates
    ask them directly (Flask-Babel's callables, without the lookups)."""
    babel = app.extensions["babel"].instance
    babel.domain_instance = RequestDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined] # added by jinja2.ext.i18n
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
    # The plain form, by far the most used, goes straight to the catalog ({% trans %} blocks and
    # the plural forms keep jinja2.ext's own callables above).
    app.jinja_env.globals["_"] = template_gettext
    app.jinja_env.globals["gettext"] = template_gettext
