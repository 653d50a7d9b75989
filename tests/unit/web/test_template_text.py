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
