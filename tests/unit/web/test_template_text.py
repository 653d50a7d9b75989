"""Template text goes straight to the request's catalog (app.web.request_translations)."""

from __future__ import annotations

from jinja2 import nodes

from app import SaferPlan


def test_template_text_may_name_any_placeholder_and_is_escaped(application: SaferPlan) -> None:
    """`_()` in a template formats like jinja2.ext's: values escaped, and a placeholder may be
    called `context`, `eval_context` or `string` (the callable's own arguments are positional only)."""
    door = application.family
    with door.test_request_context("/"):
        page = door.jinja_env.from_string(
            '{{ _("%(context)s, %(eval_context)s and %(string)s", context="<b>", eval_context="y", string="x") }}'
        )
        assert page.render() == "&lt;b&gt;, y and x"


def test_template_text_without_placeholders_reads_as_before(application: SaferPlan) -> None:
    """A string with nothing to put in skips `%`, but says the same: `%%` still reads `%`, and the
    string is still markup (the templates' own words), not escaped again."""
    door = application.family
    with door.test_request_context("/"):
        page = door.jinja_env.from_string('{{ _("100%% yours") }}|{{ _("Plain words") }}|{{ _("<i>ok</i>") }}')
        assert page.render() == "100% yours|Plain words|<i>ok</i>"


def test_the_templates_translate_only_their_own_literal_strings(application: SaferPlan) -> None:
    """Translated template text is kept once looked up (request_translations._kept_words): safe
    because `_()` and `gettext()` in templates are only ever given a literal string, never a value
    of a plan. Every call in every template is checked here."""
    environment = application.family.jinja_env
    assert environment.loader is not None
    checked = 0
    for name in environment.loader.list_templates():
        if not name.endswith(".html"):
            continue
        source = environment.loader.get_source(environment, name)[0]
        for call in environment.parse(source).find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name in ("_", "gettext"):
                first = call.args[0] if call.args else None
                assert isinstance(first, nodes.Const) and isinstance(first.value, str), (name, call.lineno)
                checked += 1
    assert checked > 500  # the templates' strings were found


def test_kept_template_text_follows_the_language(application: SaferPlan) -> None:
    door = application.family
    page = door.jinja_env.from_string('{{ _("Language") }}')
    said = {}
    for language in ("en", "sq", "en", "vi"):
        with door.test_request_context("/", headers={"Accept-Language": language}):
            said.setdefault(language, set()).add(str(page.render()))
    assert said["en"] == {"Language"}
    assert len(said["sq"]) == 1 and said["sq"] != said["en"]
    assert said["vi"] != said["en"] and said["vi"] != said["sq"]
