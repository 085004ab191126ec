"""The sanitize extension, Markdown in and HTML out: the allow-list is the last word on every page."""
from __future__ import annotations

import pytest
from mdcase import assert_markdown_renders

EXTENSIONS = ["tables", "attr_list", "md_in_html", "generator.markdown.sanitize"]


@pytest.mark.parametrize("name, source, expected", [
    ("plain text is untouched", "Plain *text* and `code`.", "<p>Plain <em>text</em> and <code>code</code>.</p>"),
    ("script elements are removed with their content", "Before\n\n<script>alert(1)</script>\n\nAfter",
     "<p>Before</p>\n\n\n<p>After</p>"),
    ("event handlers are removed", '<b onclick="x()">bold</b>', "<p><b>bold</b></p>"),
    ("javascript: links lose their href", "[click](javascript:alert(1))", "<p><a>click</a></p>"),
    ("https links stay", "[site](https://example.org/a?b=1)", '<p><a href="https://example.org/a?b=1">site</a></p>'),
    ("a phone link stays", "[Call 999](tel:999)", '<p><a href="tel:999">Call 999</a></p>'),
    ("a text-message link stays", "[Text us](sms:+447700900000)", '<p><a href="sms:+447700900000">Text us</a></p>'),
    ("an ftp link stays", "[archive](ftp://ftp.example.org/a.txt)",
     '<p><a href="ftp://ftp.example.org/a.txt">archive</a></p>'),
    ("data: and vbscript: links lose their href", "[a](data:text/html,x) [b](vbscript:x)", "<p><a>a</a> <a>b</a></p>"),
    ("attribute lists cannot add handlers", "Text\n{: onclick=\"x()\" .ok }", '<p class="ok">Text</p>'),
    ("table alignment survives, other styles do not",
     "| a |\n|:-:|\n| <span style=\"color:red\">b</span> |",
     '<table>\n<thead>\n<tr>\n<th style="text-align:center">a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n'
     '<td style="text-align:center"><span>b</span></td>\n</tr>\n</tbody>\n</table>'),
], ids=lambda v: v if isinstance(v, str) and len(v) < 60 else None)
def test_sanitize(name: str, source: str, expected: str) -> None:
    assert_markdown_renders(source, expected, EXTENSIONS)
