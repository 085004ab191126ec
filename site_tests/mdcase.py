"""Markdown in, HTML out, in the style of Python-Markdown's `assertMarkdownRenders` and
pymdown-extensions' `MdCase`: a failure shows a unified diff of the HTML, not two long strings."""
from __future__ import annotations

import difflib
from textwrap import dedent
from typing import Any

import markdown


def render(source: str, extensions: list[Any], extension_configs: dict[str, Any] | None = None) -> str:
    return markdown.markdown(dedent(source).strip(), extensions=extensions, extension_configs=extension_configs or {})


def assert_renders(actual: str, expected: str) -> None:
    """Compare HTML line by line (tags start new lines) and show the difference."""
    if actual == expected:
        return
    split = lambda html: html.replace("><", ">\n<").splitlines()  # noqa: E731
    diff = "\n".join(difflib.unified_diff(split(expected), split(actual), "expected", "actual", lineterm=""))
    raise AssertionError(f"HTML differs:\n{diff}")


def assert_markdown_renders(source: str, expected: str, extensions: list[Any],
                            extension_configs: dict[str, Any] | None = None) -> None:
    assert_renders(render(source, extensions, extension_configs), dedent(expected).strip())
