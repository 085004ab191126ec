"""Topic bodies as templates: macro calls only, in Jinja's sandbox.

Authors are trusted with Markdown and with calling the site's macros, such as
`{{ protocol_table("male-trt") }}`. They are not trusted with code: a body
may contain nothing but text and calls of a known macro with constant
arguments. This is checked on Jinja's parse tree before anything runs, so
loops, attribute access (`cycler.__init__.__globals__`), arithmetic and
filters never execute; rendering then happens in an
`ImmutableSandboxedEnvironment` whose only globals are the macros.

Jinja comments use `{## … ##}` here, so attr_list's `{#id}` on a heading
stays Markdown.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from generator.errors import SourceSyntaxError

Macro = Callable[..., str]


@dataclass(frozen=True)
class MacroSpec:
    """A macro authors may call: its name and how many text arguments it takes."""

    name: str
    arity: int
    usage: str


def environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
        comment_start_string="{##", comment_end_string="##}",
    )
    env.globals.clear()  # no range, cycler, joiner, lipsum, namespace, dict
    env.filters.clear()
    env.tests.clear()
    return env


def _check_call(node: nodes.Call, specs: dict[str, MacroSpec], first_line: int) -> None:
    name = node.node.name if isinstance(node.node, nodes.Name) else None
    line = first_line + node.lineno - 1
    if name not in specs:
        known = ", ".join(s.usage for s in specs.values())
        raise SourceSyntaxError(line, f"only the site's macros can be called in a topic ({known})")
    spec = specs[name]
    if (node.kwargs or node.dyn_args or node.dyn_kwargs or len(node.args) != spec.arity
            or not all(isinstance(a, nodes.Const) and isinstance(a.value, str) for a in node.args)):
        raise SourceSyntaxError(line, f"{name}() takes {spec.arity} quoted text argument"
                                f"{'s' if spec.arity != 1 else ''}: write {spec.usage}")


def plain(env: jinja2.Environment, source: str) -> bool:
    """True when `source` has no template syntax at all, so rendering it would give it back
    unchanged: most bodies, which then skip Jinja's parse and compile (3 s at 1,000 topics)."""
    return not any(s in source for s in (env.variable_start_string, env.block_start_string,
                                         env.comment_start_string)) and "\r" not in source


def check(env: jinja2.Environment, source: str, specs: dict[str, MacroSpec], first_line: int) -> jinja2.Template:
    """Parse `source` and refuse everything but text and macro calls; `first_line` is the
    file line of the body's first line. Raises SourceSyntaxError at the offending line."""
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise SourceSyntaxError(first_line + (exc.lineno or 1) - 1, f"template syntax error: {exc.message}") from None
    for node in tree.body:
        if not isinstance(node, nodes.Output):
            raise SourceSyntaxError(first_line + node.lineno - 1, "only text and macro calls such as "
                                    f"{next(iter(specs.values())).usage} are allowed in a topic; "
                                    "'{% … %}' statements are not")
        for child in node.nodes:
            if isinstance(child, nodes.TemplateData) or (isinstance(child, nodes.Const)
                                                         and isinstance(child.value, str)):
                continue
            if isinstance(child, nodes.Call):
                _check_call(child, specs, first_line)
                continue
            raise SourceSyntaxError(first_line + child.lineno - 1, "only macro calls such as "
                                    f"{next(iter(specs.values())).usage} can go inside '{{{{ }}}}' in a topic")
    return env.from_string(tree)
