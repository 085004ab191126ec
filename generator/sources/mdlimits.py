"""What author Markdown may ask of Python-Markdown, checked in linear time before it is converted.

Python-Markdown's link pattern scans from every `[` (and `![`, and a link's `(`) to its
matching bracket, or to the end of the block when there is none: a line of 200,000 `[`
costs hours. Every engine converts the page, and the reading-level pass converts it again,
so the cost cannot be bounded inside one conversion. Instead the work those scans would do
is summed here, bracket by bracket, in one pass; a block over the budget is a
`path:line` error. Ordinary text costs little: a link's brackets are a few characters
apart, so a long table full of links stays far under the budget.

The same pass measures nesting: `<div markdown="1">` blocks inside each other, and lists
nested by indentation, are converted recursively, and 500 levels exhaust Python's stack.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.sources.mdscan import indent_width, outside_fences

# Characters the link scans of one source may pass over: about a fifth of a second of
# Python-Markdown's time on this machine (bench: 10,000 '[' in a line, 5e7 steps, took 9 s).
BUDGET = 1_000_000
MAX_DEPTH = 50  # Python-Markdown's recursion gives out near 500 levels; nothing readable nests 50
_PAIRS = {"[": "]", "(": ")"}
_OPENER = {v: k for k, v in _PAIRS.items()}  # closer -> its opener
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_MARKDOWN_ATTR = re.compile(r"\bmarkdown\s*=")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})


@dataclass(frozen=True)
class Problem:
    line: int  # index of the line in the text given
    message: str


def _blocks(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(first line index, text) of each run of non-blank lines outside fenced code."""
    start, last = -1, -2
    run: list[str] = []
    for i, line in outside_fences(lines):
        if not line.strip() or i != last + 1:
            if run:
                yield start, "\n".join(run)
            run, start = [], -1
        if line.strip():
            if not run:
                start = i
            run.append(line)
        last = i
    if run:
        yield start, "\n".join(run)


_ANGLES = re.compile(r"[<>]")
_BRACKETS = re.compile(r"[\\\[\]()]")


def scan_cost(text: str) -> int:
    """The characters the link patterns would pass over in one block: for each `[`, `(` and
    `<`, the distance to what closes it, or to the end of the block. Escaped brackets are text.

    Only the bracket characters are visited (a regex finds them), so a block costs time in
    proportion to its brackets, not its length."""
    cost = 0
    # A `<` that could open a tag (a letter, `/`, `!` or `?` follows) is read by the HTML
    # parser up to the next `>`: one backward pass gives each its distance. `a < b` and
    # `<5 mg` are text to it and cost nothing.
    if "<" in text:
        next_gt = len(text)
        for m in reversed(list(_ANGLES.finditer(text))):
            i = m.start()
            if text[i] == ">":
                next_gt = i
            elif i + 1 < len(text) and (text[i + 1].isalpha() or text[i + 1] in "/!?"):
                cost += next_gt - i
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    escaped = -1  # the position a backslash escapes
    for m in _BRACKETS.finditer(text):
        i, c = m.start(), m.group()
        if i == escaped:
            continue
        if c == "\\":
            escaped = i + 1
        elif c in stacks:
            stacks[c].append(i)
        elif stacks[_OPENER[c]]:
            cost += i - stacks[_OPENER[c]].pop()
    for stack in stacks.values():
        cost += sum(len(text) - i for i in stack)
    return cost


def problems(text: str) -> Iterator[Problem]:
    """Blocks too costly to convert, and nesting too deep to convert, in Markdown source."""
    lines = text.split("\n")
    total = 0
    for start, block in _blocks(lines):
        total += scan_cost(block)
        if total > BUDGET:
            yield Problem(start, "this paragraph has so many unmatched or nested brackets ('[', '(', '<') that "
                          "converting it would take minutes; write literal brackets as \\[ \\( or &lt;, or split it")
            break
    yield from _nesting(lines)


def _nesting(lines: list[str]) -> Iterator[Problem]:
    stack: list[tuple[str, bool]] = []  # open HTML elements: (tag, has a markdown attribute)
    open_tags: dict[str, int] = {}  # how many of each tag are on the stack: a close is O(1) to test
    md_depth = 0
    for i, line in outside_fences(lines):
        quotes = line[: len(line) - len(line.lstrip(" >"))].count(">")
        if indent_width(line) > 4 * MAX_DEPTH or quotes > MAX_DEPTH:
            yield Problem(i, f"lists or quotes are nested more than {MAX_DEPTH} levels deep here; "
                          "Markdown cannot convert that")
            return
        if "<" not in line:
            continue
        for m in _TAG.finditer(line):
            closing, tag, attrs = m.group(1), m.group(2).lower(), m.group(3)
            if closing:
                if open_tags.get(tag):
                    while stack:
                        t, md = stack.pop()
                        open_tags[t] -= 1
                        md_depth -= md
                        if t == tag:
                            break
            elif tag not in _VOID and not attrs.rstrip().endswith("/"):
                md = _MARKDOWN_ATTR.search(attrs) is not None
                stack.append((tag, md))
                open_tags[tag] = open_tags.get(tag, 0) + 1
                md_depth += md
                if md_depth > MAX_DEPTH:
                    yield Problem(i, f"HTML blocks with a markdown attribute are nested more than {MAX_DEPTH} "
                                  "levels deep here; Markdown cannot convert that")
                    return
