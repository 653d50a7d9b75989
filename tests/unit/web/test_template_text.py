"""Template text goes straight to the request's catalog (app.web.request_translations)."""

from __future__ import annotations

from app import SaferPlan


def test_template_text_may_name_any_placeholder_and_is_escaped(application: SaferPlan) -> None:
    """`_()` in a template formats like jinja2.ext's: values escaped, and a placeholder may be
    called `context` or `string` (the callable's own arguments are positional only)."""
    door = application.family
    with door.test_request_context("/"):
        page = door.jinja_env.from_string('{{ _("%(context)s and %(string)s", context="<b>", string="x") }}')
        assert page.render() == "&lt;b&gt; and x"


def test_template_text_without_placeholders_reads_as_before(application: SaferPlan) -> None:
    """A string with nothing to put in skips `%`, but says the same: `%%` still reads `%`, and the
    string is still markup (the templates' own words), not escaped again."""
    door = application.family
    with door.test_request_context("/"):
        page = door.jinja_env.from_string('{{ _("100%% yours") }}|{{ _("Plain words") }}|{{ _("<i>ok</i>") }}')
        assert page.render() == "100% yours|Plain words|<i>ok</i>"
