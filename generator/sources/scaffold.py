"""`python -m generator new topic|term|protocol <slug>`: a valid skeleton to start from.

Each skeleton has every required key and is marked `draft: true`, so it is checked but not
built, and what it still lacks is reported as `path:line: warning:` (load.py, drafts) rather
than failing the build. It carries no review date: a new page has not been reviewed. Nothing
is overwritten.
"""
from __future__ import annotations

import json
from pathlib import Path

from generator.model.tiers import HEADINGS, PLAIN
from generator.sources.files import GLOSSARY, PROTOCOLS, TOPICS
from generator.sources.load import SLUG

KINDS = ("topic", "term", "protocol")


class ScaffoldError(Exception):
    pass


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar


def topic(slug: str, title: str) -> str:
    tiers = "\n".join(f"# {h}\n" for h in HEADINGS)
    return f"""---
title: {_q(title)}
summary: ""  # one sentence: what the reader will learn
protocols: []  # slugs of content/protocols/*.yml this topic discusses
tags: []
urgent: []  # when to get emergency help, one sentence per item
see_clinician: []  # when to contact a clinician soon, one sentence per item
draft: true  # remove when the topic is written; until then it is checked but not built
---
{tiers}"""


def term(slug: str, title: str) -> str:
    return f"""term: {_q(title)}
aliases: []
short: ""  # one plain sentence, shown in every tooltip
level: {PLAIN}  # the deepest tier whose readers need it explained
sources: []
draft: true  # remove when the entry is written; until then it is checked but not used
"""


def protocol(slug: str, title: str) -> str:
    return f"""name: {_q(title)}
audience: ""  # who the protocol is for
goal: ""
agents: []  # rows: agent, role, route, indication, population, sources (see README)
monitoring: []
sources: []
draft: true  # remove when the protocol is written; until then it is checked but not built
"""


def new(root: Path, kind: str, slug: str, title: str | None = None) -> Path:
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind {kind!r}: choose {', '.join(KINDS)}")
    if not SLUG.fullmatch(slug):
        raise ScaffoldError(f"{slug!r} is not a slug: use lower-case words joined by '-'")
    where, make = {"topic": (TOPICS, topic), "term": (GLOSSARY, term), "protocol": (PROTOCOLS, protocol)}[kind]
    path = root / where.folder / f"{slug}{where.suffixes[0]}"
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{path}: error: already exists; nothing was written")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(make(slug, title or slug.replace("-", " ")), encoding="utf-8")
    return path
