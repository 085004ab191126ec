"""Clean each page's HTML with the site's allow-list, as the last step of Markdown.

    markdown.markdown(text, extensions=["generator.markdown.sanitize"])

An extension rather than a plugin hook, so every engine that runs
Python-Markdown (MkDocs, Zensical) applies it. See `generator.markdown.allowlist`.
"""
from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from generator.markdown.allowlist import clean_html


class SanitizePostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return clean_html(text)


class SanitizeExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Priority 0: after raw HTML is restored (30) and term annotations are spliced in (25).
        md.postprocessors.register(SanitizePostprocessor(md), "tiered_sanitize", 0)


def makeExtension(**kwargs: Any) -> SanitizeExtension:
    return SanitizeExtension(**kwargs)
