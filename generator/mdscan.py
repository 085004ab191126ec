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


def headings(lines: list[str], level: int) -> Iterator[tuple[int, str]]:
    """(index in `lines`, heading text) for each heading of exactly `level` outside fences."""
    marker = "#" * level
    fence = ""
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if m:
            run = m.group(1)
            if not fence:
                fence = run
            elif run[0] == fence[0] and len(run) >= len(fence) and not line[m.end():].strip():
                fence = ""
            continue
        if fence or not line.startswith(marker) or line[level:level + 1] not in (" ", "\t"):
            continue
        text = line[level:].strip()
        bare = text.rstrip("#")
        if bare != text and (not bare or bare[-1] in " \t"):  # "## Title ##" has a closing sequence; "## C#" not
            text = bare.rstrip()
        if text:
            yield i, text
