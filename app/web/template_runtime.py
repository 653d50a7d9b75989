"""Three of Jinja's per-render costs made smaller, through settings Jinja offers for it.

A plan page makes some 290 function calls from its templates and builds some 40 template contexts
(the page, each include and import). Three things in Jinja cost more than the work they wrap:

- `Context.call`, which every call in a template goes through, probes each callable four times
  (`hasattr` and `_PassArg.from_obj` on its `__call__`, then on the callable) before calling it:
  about 3.5% of the page's instructions. `QuickCallContext` (set as `Environment.context_class`) is
  the same method with each probe done once, by `getattr` with a default: the same callable is
  called with the same arguments (the active context, evaluation context or environment first for
  a `pass_context`, `pass_eval_context` or `pass_environment` callable, including a callable class
  whose `__call__` asks for one), and a StopIteration still becomes an undefined value.
- A template's globals are a `collections.ChainMap` over the environment's (`make_globals`), and
  each new context copies them, key by key, through ChainMap's Python methods; each import checks
  them the same way. `snapshot_globals` gives a loaded template a plain dict instead: the
  environment's globals as they are when it loads, under its own. Nothing is shared or leaks
  either way (a template's own globals stay its own). What differs is only a global added to the
  environment after a template loaded, which that template would not see; Jinja's documentation
  already says not to do that, and the doors set every global while the app is built
  (tests/unit/web/test_template_runtime.py checks a page sees each one). About 3.8%.
- Jinja keeps loaded templates in an LRUCache that takes a lock and reorders a queue on each of a
  page's some 25 includes and imports; they are kept in a plain dict instead (see `install`).

tests/unit/web/test_template_runtime.py renders the same templates through both and compares.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from flask import Flask
from jinja2 import Environment, pass_context, pass_environment, pass_eval_context
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


def snapshot_globals(
    environment: Environment,
) -> Callable[[MutableMapping[str, Any] | None], MutableMapping[str, Any]]:
    """`Environment.make_globals` giving a plain dict: the environment's globals now, under the
    template's own (see the module's docstring)."""

    def make_globals(own: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**environment.globals, **(own or {})}

    return make_globals


def install(app: Flask) -> None:
    """Templates load on first use, once the app is built, so their snapshot holds every global the
    doors, extensions and blueprints set (tested)."""
    environment = app.jinja_env
    environment.context_class = QuickCallContext
    # Every template of the app, kept as a plain dict rather than Jinja's LRUCache of 400, which
    # takes a lock and reorders a queue on each of a page's some 25 includes and imports. The
    # templates are the app's own files, a fixed set (about 150): nothing else is ever loaded.
    environment.cache = {}
    environment.make_globals = snapshot_globals(environment)  # type: ignore[method-assign,assignment]
