"""The published JSON Schemas (schemas/*.json) and the loader agree, rule by rule.

The loader validates with the schemas built in generator/sources/schemas.py; these tests read the
*published files* (what an editor loads) and check, for one fixture per rule, that the
editor's verdict and the build's error agree, and that every real source is valid.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from miniproject import FILES, make_project
from referencing import Registry, Resource

from generator.config import load_project
from generator.errors import Reporter, SourceError
from generator.sources import schemas
from generator.sources.load import load_site, split_front_matter
from generator.sources.yamlsource import load_yaml

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "schemas"
TERM, MEDICINE = "glossary/hormone.yml", "glossary/medicine-x.yml"
PROTOCOL, TOPIC, LOG = "content/protocols/fixture-protocol.yml", "content/topics/fixture-topic.md", "content/reviews.yml"
SCHEMA_FOR = {TERM: "glossary-term", MEDICINE: "glossary-term", PROTOCOL: "protocol", TOPIC: "topic-front-matter",
              LOG: "reviews"}


def published(name: str) -> dict[str, Any]:
    return json.loads((PUBLISHED / f"{name}.schema.json").read_text(encoding="utf-8"))


def editor(name: str) -> Draft202012Validator:
    """A validator as an editor builds one: from the published files, refs resolved beside them."""
    registry: Registry = Registry().with_resources(
        (p.name, Resource.from_contents(json.loads(p.read_text(encoding="utf-8"))))
        for p in PUBLISHED.glob("*.schema.json"))
    return Draft202012Validator(published(name), registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def instance(rel: str, text: str) -> Any:
    """What an editor's YAML server parses: the file, or a topic's front matter."""
    if rel.endswith(".md"):
        split = split_front_matter(text)
        assert split is not None
        text = split[0]
    return load_yaml(text)


def test_published_schemas_are_the_ones_the_loader_uses() -> None:
    """`python -m generator schemas` output is committed; a change to a format must regenerate it."""
    files = schemas.published()
    assert sorted(files) == sorted(p.name for p in PUBLISHED.glob("*.json"))
    for name, text in files.items():
        assert (PUBLISHED / name).read_text(encoding="utf-8") == text, f"run: python -m generator schemas ({name})"
        Draft202012Validator.check_schema(json.loads(text))


def test_every_real_source_is_valid_for_its_schema() -> None:
    cases = ([(p, "glossary-term") for p in sorted((ROOT / "glossary").glob("*.yml"))]
             + [(p, "protocol") for p in sorted((ROOT / "content/protocols").glob("*.yml"))]
             + [(p, "topic-front-matter") for p in sorted((ROOT / "content/topics").glob("*.md"))]
             + [(ROOT / LOG, "reviews")])
    assert len(cases) > 40
    for path, name in cases:
        data = instance(path.name, path.read_text(encoding="utf-8"))
        problems = [e.message for e in editor(name).iter_errors(data)]
        assert not problems, (path, problems)


def test_the_real_mkdocs_yml_is_valid_and_every_option_is_described(tmp_path: Path) -> None:
    from generator.config import OPTIONS, read_config

    assert all(option.description for option in OPTIONS.values())
    config = read_config(ROOT / "mkdocs.yml")
    assert not [e.message for e in editor("mkdocs").iter_errors(config)]
    block = next(p["tiered"] for p in config["plugins"] if isinstance(p, dict) and "tiered" in p)
    assert editor("mkdocs-plugin").is_valid(block)
    for bad in ({**block, "approval_max_age_months": "twelve"}, {**block, "publsher": "typo"},
                {k: v for k, v in block.items() if k != "funding"}):
        assert not editor("mkdocs-plugin").is_valid(bad)
        project = tmp_path / str(len(list(tmp_path.iterdir())))
        project.mkdir()
        (project / "mkdocs.yml").write_text(yaml.safe_dump({"plugins": [{"tiered": bad}]}), encoding="utf-8")
        with pytest.raises(SourceError):  # the loader refuses the same block
            load_project(project)


def test_the_vscode_mapping_covers_every_schema_with_files() -> None:
    mapping = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    assert mapping == {f"./schemas/{name}.schema.json": globs for name, globs in schemas.FOR_FILES.items()}
    for globs in mapping.values():
        assert all(list(ROOT.glob(g)) for g in globs), globs


# One fixture per rule: (file, text replaced, replacement, line containing, the loader's message).
RULES = {
    "required key": (TERM, "short: A chemical messenger carried in the blood.\n", "", "term: hormone",
                     "glossary term is missing required key 'short'"),
    "unknown key": (TERM, "level: fundamentals", "level: fundamentals\ncolour: blue", "colour:",
                    "unknown key 'colour' in glossary term; expected one of: agent, aliases,"),
    "list expected": (TERM, "aliases: [hormones]", "aliases: hormones", "aliases:",
                      "'aliases' must be a list, e.g. [a, b]"),
    "text expected": (TERM, "short: A chemical messenger carried in the blood.", "short: [a, b]", "short:",
                      "'short' must be text"),
    "empty text": (TERM, "short: A chemical messenger carried in the blood.", 'short: "  "', "short:",
                   "'short' is empty: write it"),
    "one line": (TERM, "short: A chemical messenger carried in the blood.", 'short: "One.\\nTwo."', "short:",
                 "'short' must be one plain sentence on one line"),
    "enum": (TERM, "level: fundamentals", "level: expert", "level:",
             "level 'expert' must be one of: fundamentals, intermediate, academic"),
    "retired key": (MEDICINE, "  class: test agent", "  class: test agent\n  status: approved", "status:",
                    "'status' is no longer written by hand"),
    "safety kind": (MEDICINE, "- kind: boxed-warning", "- kind: scary", "kind: scary",
                    "safety kind 'scary' must be one of: boxed-warning,"),
    "at least one source": (MEDICINE, "      sources: [smith2019]\n", "      sources: []\n", "sources: []",
                            "a safety item needs 'sources': the label or paper that says it"),
    "year": (MEDICINE, "      source: xenolabel\n", "      source: xenolabel\n      year: 99\n", "year: 99",
             "'year' must be a four-digit year"),
    "date": (MEDICINE, "  safety:", "  compounding: {text: Made to order., as_of: 2026-02-30, sources: [smith2019]}"
             "\n  safety:", "compounding:", "'as_of' is not a valid ISO date (YYYY-MM-DD): '2026-02-30'"),
    "mapping expected": (MEDICINE, "  safety:", "  controlled: since 2019\n  safety:", "controlled:",
                         "'controlled' must be a mapping: text, as_of (YYYY-MM-DD), sources"),
    "no rows": (PROTOCOL, "agents:\n  - agent: medicine-x", "agents: []\nx:\n  - agent: medicine-x", "agents: []",
                "a protocol needs at least one entry under 'agents'"),
    "row key": (PROTOCOL, "    indication: fixture disease\n", "", "- agent: medicine-x",
                "agent row is missing required key 'indication'"),
    "true or false": (PROTOCOL, "    frequency: daily", "    frequency: daily\n    optional: maybe", "optional:",
                      "'optional' must be true or false"),
    "locator": (PROTOCOL, "locator: Table 2", "locator: Table 2 | col 3", "locator:",
                "a locator cannot contain '[', ']', ';', '|' or a line break"),
    "row status": (PROTOCOL, "    frequency: daily", "    frequency: daily\n    status: great", "status:",
                   "status 'great' must be one of: approved,"),
    "source shape": (PROTOCOL, "sources: [jones2020]", "sources: [jones2020]\ncombinations: [[a]]",
                     "combinations:", "each combination is a mapping: agents, text, sources"),
    "located source": (PROTOCOL, "        supports: One tablet daily was the studied schedule.\n", "", "- key: smith2019",
                       "source is missing required key 'supports'"),
    "source item": (PROTOCOL, "      - key: smith2019\n        locator: Table 2\n"
                    "        supports: One tablet daily was the studied schedule.\n", "      - 42\n", "- 42",
                    "each source is a key, or a mapping: key, locator, supports"),
    "front matter key": (TOPIC, "tags: [messengers]", "tags: [messengers]\nlast_reviewed: 2020-01-01",
                         "last_reviewed:", "'last_reviewed' is no longer typed on a topic"),
    "one sentence per item": (TOPIC, "urgent: [you faint or have chest pain.]", 'urgent: ["you faint.\\nOr worse."]',
                              "urgent:", "each 'urgent' item is one sentence on one line"),
    "topic title": (TOPIC, "title: A fixture topic\n", "", "summary:",
                    "topic front matter is missing required key 'title'"),
    "review date": (LOG, "date: 2020-01-02", "date: 2020-13-40", "date:",
                    "'date' is not a valid ISO date (YYYY-MM-DD): '2020-13-40'"),
    "review kind": (LOG, "kind: editorial", "kind: medical", "kind:", "review kind 'medical' must be one of"),
    "review scope": (LOG, "scope: [all]", "scope: []", "scope:", "a review needs a 'scope'"),
    "reviewer": (LOG, "reviewer: {role: The fixture team}", "reviewer: The fixture team", "reviewer:",
                 "'reviewer' is a mapping: role (required)"),
}


def _break(tmp_path: Path, rel: str, old: str, new: str) -> tuple[Path, str]:
    assert FILES[rel].count(old) == 1, (rel, old)
    text = FILES[rel].replace(old, new)
    return make_project(tmp_path, {rel: text}), text


@pytest.mark.parametrize("rule", sorted(RULES))
def test_the_loader_and_the_published_schema_agree(rule: str, tmp_path: Path) -> None:
    rel, old, new, needle, message = RULES[rule]
    root, text = _break(tmp_path, rel, old, new)
    line = next(i for i, l in enumerate(text.split("\n"), 1) if needle in l)
    _, rep = load_site(root)
    mine = [str(d) for d in rep.errors if d.path == rel]
    assert any(d.startswith(f"{rel}:{line}: error: {message}") for d in mine), mine
    assert not editor(SCHEMA_FOR[rel]).is_valid(instance(rel, text)), "the editor would accept it"


@pytest.mark.parametrize("rel", sorted(SCHEMA_FOR))
def test_the_unbroken_fixture_is_valid_for_both(rel: str, tmp_path: Path) -> None:
    assert editor(SCHEMA_FOR[rel]).is_valid(instance(rel, FILES[rel]))
    _, rep = load_site(make_project(tmp_path))
    assert not rep.errors


@pytest.mark.parametrize("rel, old, new, message", [
    (MEDICINE, "      route: oral tablet\n", "      route: nasal spray\n", "approval route 'nasal spray' is not one"),
    (TERM, "level: fundamentals", "level: fundamentals\nrelated: [no-such-term]", "unknown glossary slug"),
])
def test_rules_that_need_other_files_are_the_loaders_alone(rel: str, old: str, new: str, message: str,
                                                          tmp_path: Path) -> None:
    """The schema is the shape of one file; a route or slug that must exist elsewhere is the loader's."""
    root, text = _break(tmp_path, rel, old, new)
    assert editor(SCHEMA_FOR[rel]).is_valid(instance(rel, text))
    _, rep = load_site(root)
    assert any(message in d.message for d in rep.errors)


# Property: for any mutation of a valid glossary entry, the loader reports a problem exactly
# when the published schema rejects it, and every problem points at a line of the file.
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000), st.just(""), st.just("two\nlines"),
                   st.text("abc -", min_size=1, max_size=6), st.lists(st.text("ab", max_size=3), max_size=2),
                   st.dictionaries(st.sampled_from(["text", "kind", "x"]), st.text("ab", max_size=3), max_size=2))
KEYS = st.sampled_from(["term", "aliases", "short", "definition", "level", "related", "sources", "agent", "colour"])


@settings(max_examples=150, deadline=None)
@given(drop=st.sets(KEYS, max_size=2), put=st.dictionaries(KEYS, VALUES, max_size=2))
def test_schema_verdict_and_loader_errors_agree_for_any_mutation(drop: set[str], put: dict[str, Any]) -> None:
    base = yaml.safe_load(FILES[TERM])
    data = {k: v for k, v in base.items() if k not in drop} | put
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    parsed = load_yaml(text)
    if not hasattr(parsed, "line_of"):  # an empty mapping dumps as "{}"
        return
    rep = Reporter(Path("."))
    schemas.validate(rep, Path("t.yml"), parsed, "glossary-term")
    verdict = editor("glossary-term").is_valid(parsed)
    assert bool(rep.errors) == (not verdict), (text, rep.errors)
    lines = text.count("\n") + 1
    assert all(1 <= d.line <= lines for d in rep.errors)
    if "term" in drop and "term" not in put:
        assert any("missing required key 'term'" in d.message for d in rep.errors)
