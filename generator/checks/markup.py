"""Raw HTML in topics that the allow-list will remove, reported where the author wrote it.

Pages are cleaned silently by the sanitizer (markdown/allowlist.py); an author who wrote an
`<iframe>`, an `onclick` or a `javascript:` link would otherwise never learn that the page
does not show it. This check reads each topic section's raw HTML with the standard library's
HTML tokenizer (positions kept), outside code, and asks the allow-list's own rules about
every tag and attribute: one rule in one place, so the warning and the cleaning never differ.
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from generator.checks.context import CheckContext
from generator.errors import Reporter
from generator.markdown import allowlist
from generator.sources.citesyntax import masked
from generator.sources.mdscan import outside_code

_URL_ATTRIBUTES = frozenset({"href", "src"})


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((self.getpos()[0], tag, attrs))

    handle_startendtag = handle_starttag


def removed(tag: str, attrs: list[tuple[str, str | None]]) -> list[str]:
    """What the allow-list takes from this start tag, in words; empty when it keeps it whole."""
    if tag not in allowlist.TAGS:
        return [f"<{tag}> is not allowed on pages and is removed"]
    if tag == "input" and not any(n == "type" and (v or "").lower() in allowlist.INPUT_TYPES for n, v in attrs):
        return ["<input> is removed unless it is a radio button or a checkbox"]
    out = []
    allowed = allowlist.GENERIC | allowlist.ATTRIBUTES.get(tag, set())
    for name, value in attrs:
        value = value or ""
        if name not in allowed and not name.startswith(("aria-", "data-")):
            out.append(f"the attribute {name}=… of <{tag}> is removed")
        elif not allowlist.attribute_allowed(tag, name, value):
            out.append(f"the attribute {name}={value!r} of <{tag}> is removed")
        elif name in _URL_ATTRIBUTES and not allowlist.url_allowed(value):
            out.append(f"the link {value!r} of <{tag}> is removed (allowed: http, https, mailto, tel, sms, ftp "
                       "and pages of this site)")
    return out


def check_markup(ctx: CheckContext, rep: Reporter) -> None:
    for topic in ctx.site.topics.values():
        sections = [*topic.sections.values(), *([topic.reflection] if topic.reflection else [])]
        for section in sections:
            _check_text(rep, topic.loc.path, section.line + 1, section.body)


def _check_text(rep: Reporter, path: Path, first_line: int, text: str) -> None:
    if "<" not in text:
        return
    lines = text.split("\n")
    kept = {i for i, _ in outside_code(lines)}
    # Code lines become blank (line numbers kept); inline code is blanked by the citation scanner's rule.
    source = masked("\n".join(line if i in kept else "" for i, line in enumerate(lines)))
    parser = _Tags()
    parser.feed(source)
    parser.close()
    for line, tag, attrs in parser.found:
        for message in removed(tag, attrs):
            rep.warning(path, first_line + line - 1, message)
