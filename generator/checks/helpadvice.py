"""When to get help is said once, in a topic's `urgent` and `see_clinician` lists.

The "When to get help" box is generated from those lists. This check reports, at the source
line, body text that says it again in other words (a help heading, emergency advice written
into the prose), an emergency symptom next to advice to wait ("call a doctor soon"), and an
emergency symptom in the `see_clinician` list. The symptoms and phrasings are data, with
their source: generator/data/emergency.yml.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from generator.checks.context import CheckContext
from generator.data import data_path
from generator.errors import Reporter
from generator.model import Topic
from generator.sources.mdscan import outside_code

DATA = data_path("emergency.yml")
_LIST_ITEM = re.compile(r"[ ]{0,3}([-*+]|\d{1,9}[.)])[ \t]")
_HEADING = re.compile(r"[ ]{0,3}#{1,6}[ \t]+(.*)")


@dataclass(frozen=True)
class Emergency:
    name: str
    patterns: tuple[re.Pattern[str], ...]

    def found(self, text: str) -> bool:
        return any(p.search(text) for p in self.patterns)


@dataclass(frozen=True)
class HelpRules:
    emergencies: tuple[Emergency, ...]
    non_urgent: tuple[re.Pattern[str], ...]
    help_headings: tuple[re.Pattern[str], ...]
    help_text: tuple[re.Pattern[str], ...]
    sources: tuple[str, ...]  # the addresses the emergency list comes from, named in messages


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@lru_cache(maxsize=1)
def rules() -> HelpRules:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return HelpRules(
        emergencies=tuple(Emergency(e["name"], _compile(e["patterns"])) for e in data["emergencies"]),
        non_urgent=_compile(data["non_urgent"]), help_headings=_compile(data["help_headings"]),
        help_text=_compile(data["help_text"]), sources=tuple(s["url"] for s in data["sources"]))


def blocks(body: str) -> Iterator[tuple[int, str, bool]]:
    """(index of the first line, text, is a heading) of each block of `body` outside fenced code.

    A block is a heading, or a paragraph together with the list it introduces and the list's
    items (loose or tight), so "Call a doctor soon if:" and the symptoms under it are one block.
    """
    lines = body.split("\n")
    start, blank, previous = -1, 0, -1  # blank: empty lines seen since the block's last line
    text: list[str] = []

    def flush() -> Iterator[tuple[int, str, bool]]:
        if text:
            yield start, "\n".join(text), False

    for i, line in outside_code(lines):
        if i != previous + 1:  # a fence was skipped: it ends the block
            yield from flush()
            start, text, blank = -1, [], 0
        previous = i
        heading = _HEADING.match(line)
        if heading:
            yield from flush()
            start, text, blank = -1, [], 0
            yield i, heading.group(1), True
            continue
        if not line.strip():
            blank += 1
            continue
        item = _LIST_ITEM.match(line)
        # A new paragraph starts a new block unless it continues a list, or follows a lead-in ("…:").
        joined = item is not None or (text and (text[-1].rstrip().endswith(":") or line.startswith((" ", "\t"))))
        if text and blank and not joined:
            yield from flush()
            start, text = -1, []
        if not text:
            start = i
        else:
            text.extend([""] * blank)  # kept, so a match's offset maps to its source line
        blank = 0
        text.append(line)
    yield from flush()


def body_problems(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    r = rules()
    for i, text, is_heading in blocks(body):
        line = first_line + i
        if is_heading:
            if any(p.search(text) for p in r.help_headings):
                yield line, (f"heading {text!r} restates when to get help: that advice lives only in the topic's "
                             "'urgent' and 'see_clinician' lists, which make the page's 'When to get help' box")
            continue
        for p in r.help_text:
            if (m := p.search(text)):
                yield line + text.count("\n", 0, m.start()), (
                    f"{m.group(0)!r} gives emergency advice in the body: put the symptom in the front matter's "
                    "'urgent' list, which makes the page's 'When to get help' box")
                break
        wait = next((m for p in r.non_urgent if (m := p.search(text))), None)
        if wait is None:
            continue
        for e in r.emergencies:
            hit = next((m for p in e.patterns if (m := p.search(text))), None)
            if hit is not None:
                yield line + text.count("\n", 0, hit.start()), (
                    f"{e.name} ({hit.group(0)!r}) appears next to advice to wait ({wait.group(0)!r}): it is an "
                    "emergency; list it under 'urgent' in the front matter and do not give other advice for it "
                    f"(emergency list: generator/data/emergency.yml, from {r.sources[0]})")


def _item_line(path: Path, key_line: int, item: str) -> int:
    """The line of a front-matter list item, found by its first words after the list's key."""
    needle = " ".join(item.split()[:4])
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return key_line
    for n in range(max(key_line - 1, 0), len(lines)):
        if needle and needle in " ".join(lines[n].split()):
            return n + 1
    return key_line


def check_topic(topic: Topic, rep: Reporter) -> None:
    sections = [*topic.sections.values(), *([topic.reflection] if topic.reflection else [])]
    for section in sections:
        # Body line k (0-based) is file line heading + 1 + k (load.py keeps the body's leading lines).
        for line, message in body_problems(section.body, section.line + 1):
            rep.error(topic.loc.path, line, message)
    key_line = topic.key_lines.get("see_clinician", 1)
    for item in topic.see_clinician:
        for e in rules().emergencies:
            if e.found(item):
                rep.error(topic.loc.path, _item_line(topic.loc.path, key_line, item),
                          f"'see_clinician' lists {e.name} ({item!r}), which is an emergency: move it to 'urgent'")
                break


def check_help(ctx: CheckContext, rep: Reporter) -> None:
    for topic in ctx.site.topics.values():
        missing = [k for k, v in (("urgent", topic.urgent), ("see_clinician", topic.see_clinician)) if not v]
        if missing:
            rep.error(topic.loc.path, 1, f"front matter lacks {' and '.join(repr(k) for k in missing)}: every topic "
                      "says when to get emergency care ('urgent') and when to contact a clinician soon "
                      "('see_clinician')")
        check_topic(topic, rep)
