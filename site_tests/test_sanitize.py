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


def test_markup_the_pages_remove_is_a_warning_where_it_was_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import check_rules
    from miniproject import make_project

    from generator.checks import markup

    body = ("A hormone is a messenger.\n\n<iframe src=\"https://example.org/\"></iframe>\n\n"
            "<p onclick=\"go()\">Tap</p> and <a href=\"javascript:go()\">this</a>.\n\n"
            "<input type=\"text\" name=\"pw\"> <input type=\"checkbox\" disabled> <b>kept</b>\n\n"
            "`<iframe>` in code, and:\n\n    <iframe src=x></iframe>\n")
    root = make_project(tmp_path)
    topic = root / "content/topics/fixture-topic.md"
    text = topic.read_text(encoding="utf-8").replace("A hormone is a messenger. Read this slowly.\n", body)
    topic.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    at = {name: next(i for i, line in enumerate(lines, 1) if needle in line)
          for name, needle in (("iframe", "<iframe src=\"https"), ("onclick", "onclick"), ("input", 'type="text"'))}
    _, out = check_rules(root, markup.check_markup)
    rel = "content/topics/fixture-topic.md"
    assert f"{rel}:{at['iframe']}: warning: <iframe> is not allowed on pages and is removed" in out
    assert f"{rel}:{at['onclick']}: warning: the attribute onclick=… of <p> is removed" in out
    assert f"{rel}:{at['onclick']}: warning: the link 'javascript:go()' of <a> is removed" in out
    assert f"{rel}:{at['input']}: warning: <input> is removed unless it is a radio button or a checkbox" in out
    assert out.count("warning") == 4, out  # the checkbox, the <b> and the code are fine
