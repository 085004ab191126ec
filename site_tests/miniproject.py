"""Small fixture projects for tests of the tool: a few files in a temp dir, never the real content.

    root = make_project(tmp_path, {"glossary/extra.yml": "..."})

The defaults are one topic, two glossary terms (one a medicine), one protocol and
a two-entry bibliography; `files` adds or replaces any of them (None deletes).
The tool's own assets (docs/, overrides/) are copied from the repository.
"""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MKDOCS_YML = """\
site_name: Fixture site
site_url: https://example.org/fixture/
docs_dir: docs
theme:
  name: material
  custom_dir: overrides
  font: false
  features: [navigation.sections, navigation.indexes, navigation.prune]
  palette:
    - {media: "(prefers-color-scheme: light)", scheme: default, primary: custom, accent: custom,
       toggle: {icon: material/weather-night, name: Switch to dark mode}}
    - {media: "(prefers-color-scheme: dark)", scheme: slate, primary: custom, accent: custom,
       toggle: {icon: material/weather-sunny, name: Switch to light mode}}
extra_css: [assets/site.css]
extra_javascript: [assets/tooltips.js, assets/tier-preference.js, assets/print.js, assets/search.js]
not_in_nav: |
  /glossary/*/index.md
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: ignore
  anchors: warn
plugins:
  - tiered:
      publisher: The fixture team
      disclaimer: This fixture explains nothing. Ask a clinician.
      funding: No funding.
markdown_extensions:
  - toc:
      permalink: true
  - tables
  - attr_list
  - md_in_html
  - admonition
  - generator.markdown.cite:
      bibliography: content/references.bib
  - generator.markdown.terms:
      glossary: glossary
  - generator.markdown.sanitize
"""

TOPIC = """\
---
title: A fixture topic
summary: A short topic used by the tests.
protocols: [fixture-protocol]
tags: [messengers]
urgent: [you faint or have chest pain.]
see_clinician: [the medicine upsets your stomach for more than a week.]
---
# Fundamentals

A hormone is a messenger. Read this slowly.

## The main points

- A hormone carries a message in the blood.

# Intermediate

{{ protocol_table("fixture-protocol") }}

The hormone level is checked [@smith2019]. Clinicians measure blood concentrations.

# Academic

## Evidence

The medicine was studied in one trial [@smith2019; @jones2020, p. 4]. Randomized pharmacokinetic evaluations characterized hepatic metabolism comprehensively.
"""

FILES: dict[str, str] = {
    "mkdocs.yml": MKDOCS_YML,
    "content/topics/fixture-topic.md": TOPIC,
    "glossary/hormone.yml": """\
term: hormone
aliases: [hormones]
short: A chemical messenger carried in the blood.
definition: |
  Made by glands and carried in the blood.
level: fundamentals
""",
    "glossary/medicine-x.yml": """\
term: medicine X
short: A made-up medicine for the tests.
level: academic
sources: [smith2019]
agent:
  class: test agent
  mechanism: Does nothing at all.
  routes: [oral tablet]
  approvals:
    - jurisdiction: US
      product: Xeno
      indication: fixture disease
      population: adults
      route: oral tablet
      source: xenolabel
      as_of: 2020-03-01
  safety:
    - kind: boxed-warning
      text: It can harm the liver.
      sources: [smith2019]
""",
    "content/protocols/fixture-protocol.yml": """\
name: Fixture protocol
audience: Nobody.
goal: To be rendered.
agents:
  - agent: medicine-x
    role: Placeholder
    route: oral tablet
    indication: fixture disease
    population: adults
    frequency: daily
    sources:
      - key: smith2019
        locator: Table 2
        supports: One tablet daily was the studied schedule.
monitoring:
  - Nothing.
sources: [jones2020]
""",
    "content/reviews.yml": """\
reviews:
  - date: 2020-01-02
    kind: editorial
    scope: [all]
    reviewer: {role: The fixture team}
    note: Written for the tests.
""",
    "content/references.bib": """\
@article{smith2019,
  author = {Smith, Anna and Lee, Bo},
  title = {A trial of medicine X},
  journal = {Menopause},
  year = {2019},
  volume = {26},
  number = {3},
  pages = {100--110},
  doi = {10.1000/fixture.1}
}

@article{jones2020,
  author = {Jones, Kim},
  title = {A review of hormones},
  journal = {Menopause},
  year = {2020},
  volume = {27},
  number = {1},
  pages = {1--9},
  pmid = {12345678}
}

@misc{xenolabel,
  author = {{Xeno Pharma}},
  title = {{XENO tablets: prescribing information}},
  url = {https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=00000000-0000-0000-0000-000000000001}
}
""",
}


# The fixture medicine with no approved product: a dated 'no_approval' statement instead.
_MEDICINE = FILES["glossary/medicine-x.yml"]
NO_APPROVAL_GLOSSARY = (_MEDICINE[:_MEDICINE.index("  approvals:")] + """  no_approval:
    text: No regulator has approved it.
    as_of: 2020-01-10
    sources: [smith2019]
""" + _MEDICINE[_MEDICINE.index("  safety:"):])


def source_problems(root: Path) -> list[str]:
    """What loading and rendering a project reports, as printed lines; [] when it renders."""
    from generator.config import load_project
    from generator.errors import SourceError
    from generator.pipeline import prepare

    try:
        prepare(load_project(root))
    except SourceError as exc:
        return [str(d) for d in exc.diagnostics]
    return []


def make_project(tmp_path: Path, files: dict[str, str | bytes | None] | None = None, name: str = "project") -> Path:
    root = tmp_path / name
    root.mkdir(parents=True, exist_ok=True)
    for part in ("docs", "overrides"):
        shutil.copytree(ROOT / part, root / part, dirs_exist_ok=True)
    merged: dict[str, str | bytes | None] = {**FILES, **(files or {})}
    for rel, content in merged.items():
        path = root / rel
        if content is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def with_style(style: str | None) -> dict[str, str]:
    """The fixture's mkdocs.yml with the cite extension's `style:` set (None: the default, AMA)."""
    mk = str(FILES["mkdocs.yml"])
    if style:
        mk = mk.replace("      bibliography: content/references.bib\n",
                        f"      bibliography: content/references.bib\n      style: {style}\n")
    return {"mkdocs.yml": mk}
