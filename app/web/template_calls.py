"""Jinja's `Context.call`, which every function call in a template goes through, made cheaper.

A plan page makes some 290 calls from its templates (`_()`, `words()`, `url_for`, macros, filters
called as functions), and Jinja's `Context.call` probes each callable four times before calling it
(`hasattr` and `_PassArg.from_obj` on the callable's `__call__`, then on the callable), about 3.5%
of the page's instructions. This is the same method with each probe done once, by `getattr` with a
default: the same callable is called with the same arguments (the active context, evaluation
context or environment first for a `pass_context`, `pass_eval_context` or `pass_environment`
callable, including a callable class whose `__call__` asks for one), and a StopIteration still
becomes an undefined value. `Environment.context_class` is Jinja's own setting for this.
tests/unit/web/test_template_calls.py renders the same templates through both and compares.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from jinja2 import pass_context, pass_environment, pass_eval_context
from jinja2.runtime import Context
from jinja2.utils import internalcode

# The markers Jinja's decorators set (`jinja_pass_arg`), read off the decorators themselves.
_PASS_CONTEXT = pass_context(lambda: None).jinja_pass_arg  # type: ignore[attr-defined]
_PASS_EVAL_CONTEXT = pass_eval_context(lambda: None).jinja_pass_arg  # type: ignore[attr-defined]
_PASS_ENVIRONMENT = pass_environment(lambda: None).jinja_pass_arg  # type: ignore[attr-defined]


class QuickCallContext(Context):
    """A template context whose `call` probes each callable once (see the module's docstring)."""

    @internalcode
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # Jinja's own signature
        method = getattr(__obj, "__call__", None)  # noqa: B004 - as Jinja: a callable class may ask for the context
        pass_arg = getattr(method, "jinja_pass_arg", None)
        if pass_arg is not None:
            __obj = method
        else:
            pass_arg = getattr(__obj, "jinja_pass_arg", None)
        if pass_arg is _PASS_CONTEXT:
            # As Jinja: the context a function is given sees the variables set in loops and blocks.
            context: Context = __self
            if kwargs.get("_loop_vars"):
                context = context.derived(kwargs["_loop_vars"])
            if kwargs.get("_block_vars"):
                context = context.derived(kwargs["_block_vars"])
            args = (context, *args)
        elif pass_arg is _PASS_EVAL_CONTEXT:
            args = (__self.eval_ctx, *args)
        elif pass_arg is _PASS_ENVIRONMENT:
            args = (__self.environment, *args)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


def install(app: Flask) -> None:
    app.jinja_env.context_class = QuickCallContext
