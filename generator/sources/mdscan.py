"""ATX headings of Markdown source, outside fenced code: the one scanner for topic tiers
(`# Fundamentals`) and Academic sections (`## …`).

A fence opens with three or more backticks or tildes (indented up to three spaces) and
closes with the same character, at least as long, as CommonMark and Python-Markdown's
fenced_code read it. Closing `#`s are stripped in code, not by a regex, so no pattern
backtracks over a long line.
"""
from __future__ import annotations

import re
from typing import Iterator

_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")


def outside_fences(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(index, line) of every line outside fenced code; the fence lines themselves are left out.
    The one fence rule for every scanner of Markdown source (headings, citations, parse limits)."""
    fence = ""
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if m:
            run = m.group(1)
            if not fence:
                fence = run
                continue
            if run[0] == fence[0] and len(run) >= len(fence) and not line[m.end():].strip():
                fence = ""
                continue
        if not fence:
            yield i, line


def headings(lines: list[str], level: int) -> Iterator[tuple[int, str]]:
    """(index in `lines`, heading text) for each heading of exactly `level` outside fences."""
    marker = "#" * level
    for i, line in outside_fences(lines):
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
