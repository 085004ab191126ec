"""`python -m generator new topic|term|protocol <slug>`: a valid skeleton to start from; and
`python -m generator init DIR`: a new site, from the starter files shipped in the package.

Each skeleton has every required key and is marked `draft: true`, so it is checked but not
built, and what it still lacks is reported as `path:line: note:` (load.py, drafts) rather
than failing the build. It carries no review date: a new page has not been reviewed. Nothing
is overwritten.
"""
from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from string import Template

from generator.model.tiers import HEADINGS, PLAIN, TIERS
from generator.sources.files import GLOSSARY, PROTOCOLS, TOPICS
from generator.sources.load import SLUG

KINDS = ("topic", "term", "protocol")


class ScaffoldError(Exception):
    pass


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar


def topic(slug: str, title: str) -> str:
    tiers = "\n".join(f"# {h}\n" for h in HEADINGS)
    return f"""---
title: {quoted(title)}
summary: ""  # one sentence: what the reader will learn
protocols: []  # slugs of content/protocols/*.yml this topic discusses
tags: []
urgent: []  # when to get emergency help, one sentence per item
see_clinician: []  # when to contact a clinician soon, one sentence per item
draft: true  # remove when the topic is written; until then it is checked but not built
---
{tiers}"""


# A medicine's block (`new term --agent`): every key the loader reads, empty, with what goes
# in each. Approvals and safety come from the product's label (DailyMed or the agency's page).
AGENT = """agent:  # a medicine: what it is, its approvals per use and its label's safety statements
  class: ""  # e.g. GnRH analogue
  mechanism: ""  # one sentence, from a source you have read
  routes: []  # e.g. [subcutaneous injection]; approvals and protocol rows use these exact words
  approvals:  # one item per approved use, from the label; or 'no_approval' instead, never both
    - jurisdiction: US  # US, EU, UK, AU or CA
      product: ""  # the brand name on the label
      indication: ""  # the label's words: a protocol row matches them exactly to be 'approved'
      population: ""  # e.g. adult men
      route: ""  # one of 'routes'
      source: ""  # bibliography key of the label (@misc with its url and version date)
      as_of: ""  # YYYY-MM-DD: the day you checked the label still says this
  # no_approval: {text: "No regulator has approved it.", as_of: YYYY-MM-DD, sources: [key]}
  # compounding: {text: "…", as_of: YYYY-MM-DD, sources: [key]}  # optional
  # controlled: {text: "Schedule III in the US.", as_of: YYYY-MM-DD, sources: [key]}  # optional
  safety:  # every boxed warning, pregnancy warning and contraindication on the label
    - kind: boxed-warning  # boxed-warning, pregnancy, contraindication, limitation-of-use,
      text: ""  # one plain sentence   # serious-adverse-effect, interaction, monitoring
      sources: []  # the label's key
"""


def term(slug: str, title: str, agent: bool = False) -> str:
    return f"""term: {quoted(title)}
aliases: []
short: ""  # one plain sentence, shown in every tooltip
level: {TIERS[1] if agent else PLAIN}  # the deepest tier whose readers need it explained
sources: []
{AGENT if agent else ""}draft: true  # remove when the entry is written; until then it is checked but not used
"""


def protocol(slug: str, title: str) -> str:
    return f"""name: {quoted(title)}
audience: ""  # who the protocol is for
goal: ""
agents: []  # rows: agent, role, route, indication, population, sources (see README)
monitoring: []
sources: []
draft: true  # remove when the protocol is written; until then it is checked but not built
"""


def new(root: Path, kind: str, slug: str, title: str | None = None, agent: bool = False) -> Path:
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind {kind!r}: choose {', '.join(KINDS)}")
    if agent and kind != "term":
        raise ScaffoldError("--agent is for 'new term': a medicine's glossary entry")
    if not SLUG.fullmatch(slug):
        raise ScaffoldError(f"{slug!r} is not a slug: use lower-case words joined by '-'")
    where, make = {"topic": (TOPICS, topic), "term": (GLOSSARY, term), "protocol": (PROTOCOLS, protocol)}[kind]
    path = root / where.folder / f"{slug}{where.suffixes[0]}"
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{path}: error: already exists; nothing was written")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = term(slug, title or slug.replace("-", " "), agent) if kind == "term" else \
        make(slug, title or slug.replace("-", " "))
    path.write_text(text, encoding="utf-8")
    return path


# ---- `init`: a new site -----------------------------------------------------------------------

STARTER = Path(__file__).resolve().parent.parent / "starter"  # package data: every file a new site starts with
STARTER_TOPIC = "content/topics/TOPIC.md"


def starter_files(site_name: str, slug: str, title: str, today: date) -> dict[str, bytes]:
    """Relative path -> content of every file `init` writes: the starter's files with the
    site's name, first topic and date filled in (`$name` fields), and the editor schemas."""
    from generator.sources import schemas

    fields = {"site_name": site_name, "slug": slug, "title": title, "today": today.isoformat(),
              "year": str(today.year)}
    out: dict[str, bytes] = {}
    # In a source tree the theme's folders are links to the tool's own site (one copy of each
    # file); in an installed package they are plain folders. Either way they are followed.
    found = (Path(folder) / name for folder, _, names in os.walk(STARTER, followlinks=True) for name in names)
    for path in sorted(found):
        if "__pycache__" in path.parts:
            continue
        rel = path.relative_to(STARTER).as_posix()
        data = path.read_bytes()
        if path.suffix in (".md", ".yml", ".yaml", ".bib"):
            data = Template(data.decode("utf-8")).safe_substitute(fields).encode("utf-8")
        out[f"content/topics/{slug}.md" if rel == STARTER_TOPIC else rel] = data
    for name, text in schemas.published().items():
        out[f"schemas/{name}"] = text.encode("utf-8")
    return out


def init(folder: Path, site_name: str | None = None, today: date | None = None) -> list[Path]:
    """Write a new site into `folder` (absent or empty: nothing is ever overwritten); the paths
    written. It builds and passes `check --strict` as it is."""
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{folder}: error: is not a folder; nothing was written")
    if folder.is_dir() and any(folder.iterdir()):
        raise ScaffoldError(f"{folder}: error: is not empty; init writes only into a new or empty folder, "
                            "so nothing was written")
    name = site_name or folder.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or "New site"
    files = starter_files(name, "getting-started", "Getting started", today or date.today())
    written = []
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
