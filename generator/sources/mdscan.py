"""Which lines of Markdown source are code: the one scanner for every reader of source text
(tier headings, Academic sections, citations, help advice, parse limits).

A fence opens with three or more backticks or tildes (indented up to three spaces) and
closes with the same character, at least as long, as CommonMark and Python-Markdown's
fenced_code read it. An indented code block is what Python-Markdown reads as one: a line
indented four spaces (a tab counts four) after a blank line, eight inside a list, where
four is the list item's own continuation. Closing `#`s are stripped in code, not by a
regex, so no pattern backtracks over a long line.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")


OPEN, INSIDE, TEXT = "open", "inside", ""


def _fenced(lines: list[str]) -> Iterator[tuple[int, str, str]]:
    """(index, line, OPEN | INSIDE | TEXT) for every line; a closing fence line is INSIDE."""
    fence = ""
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if m:
            run = m.group(1)
            if not fence:
                fence = run
                yield i, line, OPEN
                continue
            if run[0] == fence[0] and len(run) >= len(fence) and not line[m.end():].strip():
                fence = ""
                yield i, line, INSIDE
                continue
        yield i, line, INSIDE if fence else TEXT


def outside_fences(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(index, line) of every line outside fenced code; the fence lines themselves are left out."""
    return ((i, line) for i, line, where in _fenced(lines) if where == TEXT)


# A line that opens a container whose content is indented one tab: a list item, an admonition
# or collapsible block (`!!!`, `???`), a content tab (`===`), a footnote, a definition.
_OPENER = re.compile(r"(?:[*+-]|[0-9]+[.)])[ \t]|(?:!!!|\?\?\?\+?|===)[ +]|\[\^[^\]\s]+\]:|:[ \t]")
TAB = 4  # Python-Markdown's tab_length


def indent_width(line: str) -> int:
    """Width of the leading whitespace, a tab reaching the next multiple of TAB."""
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += TAB - width % TAB
        else:
            break
    return width


def outside_code(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(index, line) of every line outside fenced and indented code blocks.

    `    [@key]` after a blank line is an example of citation syntax, not a citation, as
    Python-Markdown renders it. Inside a container (list item, admonition, content tab,
    footnote) the container's content is indented one tab and its code two; a line directly
    under another is that paragraph's lazy continuation, never code."""
    content = [0]  # the content indent of each open container, innermost last
    blank_before = True
    code_indent = 0  # while inside an indented code block, the indent that continues it
    for i, line, where in _fenced(lines):
        if where == INSIDE:
            continue
        if not line.strip():
            blank_before = True
            if not code_indent:  # a blank line between code lines is code
                yield i, line
            continue
        indent = indent_width(line)
        if code_indent and indent >= code_indent:
            continue
        code_indent = 0
        if blank_before:  # after a blank line, a line left of a container's content closes it
            while len(content) > 1 and indent < content[-1]:
                content.pop()
        if blank_before and indent >= content[-1] + TAB:
            code_indent = content[-1] + TAB
            continue
        if where == OPEN:  # a fence opens here: it closes containers like any block at its indent
            blank_before = False
            continue
        if _OPENER.match(line, len(line) - len(line.lstrip())):
            while len(content) > 1 and content[-1] > indent:
                content.pop()
            content.append(indent + TAB)
        blank_before = False
        yield i, line


def headings(lines: list[str], level: int) -> Iterator[tuple[int, str]]:
    """(index in `lines`, heading text) for each heading of exactly `level` outside code."""
    marker = "#" * level
    for i, line in outside_code(lines):
        if not line.startswith(marker) or line[level:level + 1] not in (" ", "\t"):
            continue
        text = line[level:].strip()
        bare = text.rstrip("#")
        if bare != text and (not bare or bare[-1] in " \t"):  # "## Title ##" has a closing sequence; "## C#" not
            text = bare.rstrip()
        if text:
            yield i, text


# The section a tier page shows first, in a box under the page head (as NHS and Mayo Clinic pages
# open with their key points): authors write it anywhere in the tier under this heading.
KEY_POINTS = "The main points"


def lift_section(body: str, title: str = KEY_POINTS) -> tuple[str, str]:
    """(the text under the level-2 heading `title`, the body without that section); ("", body)
    when there is no such heading. The section runs to the next level-2 heading."""
    lines = body.split("\n")
    found = list(headings(lines, 2))
    for n, (i, text) in enumerate(found):
        if text == title:
            end = found[n + 1][0] if n + 1 < len(found) else len(lines)
            return "\n".join(lines[i + 1:end]).strip("\n"), "\n".join(lines[:i] + lines[end:])
    return "", body
