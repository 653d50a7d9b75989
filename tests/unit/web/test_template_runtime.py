"""Templates call through QuickCallContext exactly as through Jinja's own Context.call."""

from __future__ import annotations

from typing import Any

import pytest
from jinja2 import Environment, pass_context, pass_environment, pass_eval_context
from jinja2.runtime import Context

from app import SaferPlan
from app.web.template_runtime import QuickCallContext


@pass_context
def seen(context: Context, name: str) -> str:
    """What a context-asking function sees: loop and block variables included."""
    return f"{name}={context.get(name)}"


@pass_eval_context
def escaping(eval_ctx: Any, text: str) -> str:
    return f"{text}:{eval_ctx.autoescape}"


@pass_environment
def environment_name(environment: Environment) -> str:
    return type(environment).__name__


class ContextAskingCallable:
    """A callable class whose __call__ asks for the context (Jinja looks there first)."""

    @pass_context
    def __call__(self, context: Context, key: str) -> str:
        return f"callable:{context.get(key)}"


def stops() -> None:
    raise StopIteration


TEMPLATE = """
{%- macro box(x) -%}[{{ x }}{% if caller %}|{{ caller() }}{% endif %}]{%- endmacro -%}
{{ seen("top") }} {{ escaping("<b>") }} {{ environment_name() }} {{ asker("top") }}
{% for item in items %}{% set inner = item * 2 %}{{ seen("item") }} {{ seen("inner") }} {{ box(item) }}{% endfor %}
{% call box("c") %}called {{ seen("top") }}{% endcall %}
{{ plain(1, 2, k=3) }} {{ stops() is undefined }} {{ "%s-%s" | format("a", "b") }}
{% block body %}{% set in_block = "b" %}{{ seen("in_block") }}{% endblock %}
"""


def render(context_class: type[Context], autoescape: bool) -> str:
    environment = Environment(autoescape=autoescape)  # noqa: S701 - both ways, compared; nothing is served
    environment.context_class = context_class
    environment.globals.update(
        seen=seen,
        escaping=escaping,
        environment_name=environment_name,
        asker=ContextAskingCallable(),
        plain=lambda *a, **k: f"{a}{sorted(k.items())}",
        stops=stops,
    )
    return environment.from_string(TEMPLATE).render(top="T", items=[1, 2])


@pytest.mark.parametrize("autoescape", [True, False])
def test_every_kind_of_call_renders_as_through_jinjas_own(autoescape: bool) -> None:
    quick, jinjas = render(QuickCallContext, autoescape), render(Context, autoescape)
    assert quick == jinjas
    # and the template did exercise what it names
    escaped = "&lt;b&gt;:True" if autoescape else "<b>:False"
    exercised = ("top=T", escaped, "inner=2", "inner=4", "[1]", "[c|called top=T]", "callable:T", "a-b", "in_block=b")
    for expected in exercised:
        assert expected in quick


def test_the_doors_templates_use_it(application: SaferPlan) -> None:
    for door in (application.family, application.practitioner):
        assert door.jinja_env.context_class is QuickCallContext
        assert type(door.jinja_env.cache) is dict


def test_a_template_sees_every_global_of_its_door_and_keeps_its_own_to_itself(application: SaferPlan) -> None:
    for door in (application.family, application.practitioner):
        environment = door.jinja_env
        with door.test_request_context("/"):
            door.jinja_env.get_template("_base.html")  # a page's templates, loaded as a page loads them
            loaded = environment.get_template("_sentences.html")
            assert isinstance(loaded.globals, dict)
            for name in ("_", "gettext", "url_for", "csrf_token", "holds", "today", "words"):
                if name in environment.globals:
                    assert loaded.globals[name] is environment.globals[name]
            assert set(environment.globals) <= set(loaded.globals)
            own = environment.from_string("{{ only_mine }}", globals={"only_mine": "mine"})
            assert own.render() == "mine"
            assert "only_mine" not in environment.globals
            assert environment.from_string("{{ only_mine }}").render() == ""


def test_the_globals_the_templates_use_are_set_on_both_doors(application: SaferPlan) -> None:
    """The snapshot is only as good as the globals being set before a template loads: they are set
    while the app is built, so the environments hold them already."""
    for door in (application.family, application.practitioner):
        for name in ("_", "gettext", "url_for", "csrf_token", "holds", "today", "FamilyRole"):
            assert name in door.jinja_env.globals, name
