"""The shape of every source format, as JSON Schemas (draft 2020-12).

One definition serves two readers. The loader validates each parsed YAML source with
these schemas (`validate`, which maps a failure back to `path:line`), and
`python -m generator schemas` publishes the same dicts to `schemas/`, where an editor's
YAML language server uses them for completion, hover help and errors while typing.
So the schema and the loader cannot drift.

The schemas hold the rules that need only the file itself: keys, types, enums, required
and non-empty values, one-line sentences, dates. Rules that need other files (a slug that
must exist, a route the agent must have, a source key in the bibliography) stay in the
loader and the checks.

`errorMessage` is the non-standard keyword that VS Code's JSON and YAML language servers
show for a failing type, pattern or enum; the loader reports the same words.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from generator.errors import Reporter
from generator.model.approval import CAUTION
from generator.model.reviews import KINDS as REVIEW_KINDS
from generator.model.safety import GROUPS as SAFETY_GROUPS
from generator.model.safety import KINDS as SAFETY_KINDS
from generator.model.tiers import TIERS
from generator.sources.yamlsource import LineDict, LineList

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ROW_STATUSES = tuple(CAUTION)
Schema = dict[str, Any]


# ---- building blocks -------------------------------------------------------------------

def text(key: str, description: str, *, optional: bool = False, one_line: bool = False) -> Schema:
    """A text value. YAML reads `2024` or `1.5` as numbers; as text they are fine."""
    checks: list[Schema] = []
    if not optional:
        checks.append({"pattern": r"\S", "errorMessage": f"'{key}' is empty: write it"})
    if one_line:
        checks.append({"pattern": r"^[^\n]*$", "errorMessage": f"'{key}' must be one plain sentence on one line"})
    schema: Schema = {"type": ["string", "number"], "description": description,
                      "errorMessage": f"'{key}' must be text"}
    if checks:
        schema["allOf"] = checks
    return schema


def texts(key: str, description: str, *, min_items: int = 0, empty_message: str = "",
          one_line: bool = False) -> Schema:
    item: Schema = {"type": "string", "errorMessage": f"'{key}' must be a list of text items"}
    if one_line:
        item["pattern"] = r"^[^\n]*$"
        item["errorMessage"] = f"each '{key}' item is one sentence on one line"
    schema: Schema = {"type": "array", "description": description, "items": item,
                      "errorMessage": f"'{key}' must be a list, e.g. [a, b]"}
    if min_items:
        # minItems has its own message; errorMessage (above) is for a value that is not a list
        schema["minItems"] = min_items
        schema["x-minItemsMessage"] = empty_message
    return schema


def groups(key: str, description: str) -> Schema:
    """A list of reader groups (safety.GROUPS)."""
    return {"type": "array", "description": description, "uniqueItems": True,
            "items": {**choice("reader group", SAFETY_GROUPS, "a group of readers"),
                      "errorMessage": f"each '{key}' item is one of: {', '.join(SAFETY_GROUPS)}"},
            "errorMessage": f"'{key}' must be a list, e.g. [men]"}


def date(key: str, description: str) -> Schema:
    return {"type": "string", "format": "date",
            "description": description + " (YYYY-MM-DD)", "errorMessage": f"'{key}' must be a date, YYYY-MM-DD"}


def choice(title: str, values: Iterable[str], description: str) -> Schema:
    return {"type": "string", "title": title, "enum": list(values), "description": description}


def flag(key: str, description: str) -> Schema:
    return {"type": "boolean", "description": description, "errorMessage": f"'{key}' must be true or false"}


def gone(message: str) -> Schema:
    """A key that used to exist: any value is an error, with the reason."""
    return {"not": {}, "errorMessage": message, "deprecationMessage": message}


def mapping(title: str, shape: str, properties: dict[str, Schema], required: Iterable[str] = (),
            description: str = "") -> Schema:
    schema: Schema = {"type": "object", "title": title, "properties": properties,
                      "additionalProperties": False, "required": list(required),
                      "errorMessage": f"each {title} is a mapping: {shape}"}
    if description:
        schema["description"] = description
    return schema


DRAFT = flag("draft", "true while the page is being written: it is checked (what it lacks is a warning) "
             "but not built. Remove it to publish.")
SOURCE_KEYS = texts("sources", "bibliography keys (content/references.bib) of the sources that say this")


def dated(key: str, what: str) -> Schema:
    schema = mapping(f"'{key}'", "text, as_of (YYYY-MM-DD), sources", {
        "text": text("text", what),
        "as_of": date("as_of", "when this was last checked against the source"),
        "sources": texts("sources", "the agency page or label that says it", min_items=1,
                         empty_message=f"'{key}' needs 'sources': the agency page or label that says it"),
    }, required=("text", "as_of", "sources"), description=what)
    schema["errorMessage"] = f"'{key}' must be a mapping: text, as_of (YYYY-MM-DD), sources"
    return schema


# ---- the formats -------------------------------------------------------------------------

def _agent() -> Schema:
    approval = mapping("approval", "jurisdiction, product, indication, population, route, source, as_of", {
        "jurisdiction": text("jurisdiction", "the regulator's country or region, e.g. US, EU, UK"),
        "product": text("product", "the approved product, by brand or generic name"),
        "indication": text("indication", "the condition the product is approved for"),
        "population": text("population", "who it is approved for, e.g. adult men"),
        "route": text("route", "one of the agent's routes"),
        "year": {"type": "integer", "minimum": 1901, "maximum": 2199, "description": "year of approval",
                 "errorMessage": "'year' must be a four-digit year"},
        "source": text("source", "bibliography key of the label or agency record"),
        "as_of": date("as_of", "when this approval was last checked against its source"),
    }, required=("jurisdiction", "product", "indication", "population", "route", "source", "as_of"))
    safety = mapping("safety item", "kind, text, detail (optional), applies_to (optional), sources", {
        "kind": choice("safety kind", SAFETY_KINDS, "what sort of warning this is"),
        "text": text("text", "one plain sentence a reader sees wherever the product appears", one_line=True),
        "detail": text("detail", "more detail, for the term page", optional=True),
        "applies_to": groups("applies_to", "the readers the warning concerns (e.g. [women] for the womb or "
                             "pregnancy); leave it out when it concerns everyone. A topic written for "
                             "other readers folds it under 'for other groups'; the term page always shows it"),
        "sources": texts("sources", "the label or paper that says it", min_items=1,
                         empty_message="a safety item needs 'sources': the label or paper that says it"),
    }, required=("kind", "text", "sources"))
    schema = mapping("agent block", "class, mechanism, routes and approval data", {
        "class": text("class", "drug class, e.g. androgen"),
        "mechanism": text("mechanism", "how it works, in a sentence"),
        "routes": texts("routes", "the routes it is given by; protocol rows and approvals use these words"),
        "approvals": {"type": "array", "items": approval, "description": "each use a regulator approved",
                      "errorMessage": "'approvals' must be a list, e.g. [a, b]"},
        "no_approval": dated("no_approval", "a dated statement that no product is approved"),
        "compounding": dated("compounding", "a dated statement about compounded products"),
        "controlled": dated("controlled", "a dated statement about controlled-substance scheduling"),
        "safety": {"type": "array", "items": safety, "description": "warnings from the product's label",
                   "errorMessage": "'safety' must be a list, e.g. [a, b]"},
        **{old: gone(f"'{old}' is no longer written by hand: the status of each use is derived from "
                     "'approvals' (or 'no_approval'), so a typed word cannot contradict the data")
           for old in ("status", "regulatory")},
    }, required=("class", "mechanism"), description="present when the term is a medicine")
    schema["errorMessage"] = "'agent' must be a mapping with class, mechanism, routes and approval data"
    return schema


def term() -> Schema:
    return _document("glossary term", "One glossary entry: glossary/<slug>.yml", {
        "term": text("term", "the name as readers meet it in the text"),
        "aliases": texts("aliases", "other names and spellings that link to this entry"),
        "short": text("short", "one plain sentence: the tooltip and the glossary line", one_line=True),
        "definition": text("definition", "the longer definition on the term's page (Markdown)", optional=True),
        "level": choice("level", TIERS, "the shallowest tier whose readers need this term explained"),
        "related": texts("related", "slugs of related glossary entries"),
        "sources": SOURCE_KEYS,
        "agent": _agent(),
        "draft": DRAFT,
    }, required=("term", "short", "level"))


def _evidence() -> Schema:
    located = mapping("source", "key, locator, supports", {
        "key": text("key", "bibliography key"),
        "locator": {**text("locator", "where in the source, e.g. Table 2 or p. 4"),
                    "pattern": r"^[^\[\];|\n]+$",
                    "errorMessage": "a locator cannot contain '[', ']', ';', '|' or a line break"},
        "supports": text("supports", "what the source says that backs this row's schedule"),
    }, required=("key", "locator", "supports"))
    return {"type": "array", "description": "the sources of this row: keys, or {key, locator, supports}",
            "errorMessage": "'sources' must be a list, e.g. [a, b]",
            "items": {"anyOf": [{"type": "string"}, located],
                      "errorMessage": "each source is a key, or a mapping: key, locator, supports"}}


def protocol() -> Schema:
    row = mapping("agent row", "agent, role, route, indication, population, sources", {
        "agent": text("agent", "glossary slug of the medicine (its entry has an 'agent:' block)"),
        "role": text("role", "what it does in this protocol"),
        "route": text("route", "one of the agent's routes"),
        "indication": text("indication", "the condition it is used for here"),
        "population": text("population", "who it is used for here"),
        "frequency": text("frequency", "how often, only as a cited source gives it", optional=True),
        "dose": text("dose", "the dose, only as a cited source gives it", optional=True),
        "optional": flag("optional", "true when the row is an add-on, not part of every course"),
        "compounded": flag("compounded", "true when this use relies on compounded products"),
        "choose": text("choose", "a label shared by rows that are alternatives to each other", optional=True),
        "status": choice("status", ROW_STATUSES, "a declared status: only with 'status_reason', "
                         "and never more favourable than the approval data"),
        "status_reason": text("status_reason", "why the declared status differs from the derived one",
                              optional=True),
        "sources": _evidence(),
    }, required=("agent", "role", "route", "indication", "population"))
    combination = mapping("combination", "agents, text, sources", {
        "agents": texts("agents", "slugs of the rows combined"),
        "text": text("text", "what the sources studied about the combination"),
        "sources": SOURCE_KEYS,
    }, required=("text",))
    agents = {"type": "array", "items": row, "minItems": 1, "description": "one row per medicine",
              "errorMessage": "'agents' must be a list, e.g. [a, b]",
              "x-minItemsMessage": "a protocol needs at least one entry under 'agents'"}
    return _document("protocol", "A treatment protocol: content/protocols/<slug>.yml", {
        "name": text("name", "the protocol's title"),
        "audience": text("audience", "who it is for"),
        "goal": text("goal", "what it aims to do"),
        "agents": agents,
        "monitoring": texts("monitoring", "tests and checks during treatment"),
        "do_not_start": texts("do_not_start", "who should not start this treatment without specialist assessment: "
                              "one list, shown on the protocol page and wherever a topic calls do_not_start()"),
        "do_not_start_sources": {**SOURCE_KEYS, "description": "the sources of the 'do_not_start' list"},
        "sources": SOURCE_KEYS,
        "combinations": {"type": "array", "items": combination, "description": "combinations the sources studied",
                         "errorMessage": "'combinations' must be a list, e.g. [a, b]"},
        "draft": DRAFT,
    }, required=("name", "audience", "goal", "agents"))


def topic() -> Schema:
    return _document("topic front matter",
                     "The front matter of content/topics/<slug>.md (between the '---' lines)", {
        "title": text("title", "the topic's title"),
        "summary": text("summary", "one or two plain sentences: the page lede, search snippet and link preview"),
        "protocols": texts("protocols", "slugs of the protocols this topic discusses"),
        "tags": texts("tags", "words that relate topics and help search"),
        "urgent": texts("urgent", "when to get emergency care: each item one sentence", one_line=True),
        "see_clinician": texts("see_clinician", "when to contact a clinician soon: each item one sentence",
                               one_line=True),
        "population": groups("population", "the readers the topic is written for, e.g. [men]; leave it out "
                             "when it is for everyone. Label warnings that concern only other groups are "
                             "folded on its Fundamentals page"),
        **{old: gone(f"'{old}' is no longer typed on a topic: a review is claimed only by a record in "
                     "content/reviews.yml, and the next review date follows from it")
           for old in ("last_reviewed", "next_review")},
        "draft": DRAFT,
    }, required=("title", "summary"))


def about() -> Schema:
    return _document("about page front matter",
                     "The front matter of content/about.md: the site's About and editorial policy page", {
        "title": text("title", "the page's title"),
        "summary": text("summary", "one plain sentence: the page lede and link preview"),
        "changed": date("changed", "the day the policy was last changed (YYYY-MM-DD), shown on the page"),
        "draft": DRAFT,
    }, required=("title", "summary", "changed"))


def reviews() -> Schema:
    reviewer = mapping("reviewer", "role (required), credentials and name (only as the site owner gives them)", {
        "role": text("role", "the reviewer's role, e.g. The editorial team"),
        "credentials": text("credentials", "as the reviewer gives them", optional=True),
        "name": text("name", "only as the site owner gives it", optional=True),
    }, required=("role",))
    reviewer["errorMessage"] = ("'reviewer' is a mapping: role (required), credentials and name "
                                "(only as the site owner gives them)")
    review = mapping("review", "date, kind, scope, reviewer, note", {
        "date": date("date", "the day of the review"),
        "kind": choice("review kind", REVIEW_KINDS, "editorial or clinical"),
        "scope": texts("scope", "all, or topic:<slug>, protocol:<slug>, glossary:<slug>", min_items=1,
                       empty_message="a review needs a 'scope': all, or topic:<slug>, protocol:<slug>, "
                       "glossary:<slug>"),
        "reviewer": reviewer,
        "note": text("note", "what was reviewed and what changed", optional=True),
        "next_review": date("next_review", "when the next review is due, if sooner or later than the policy"),
    }, required=("date", "kind", "scope", "reviewer"))
    return _document("review log", "The review log: content/reviews.yml", {
        "reviews": {"type": "array", "items": review, "description": "one record per review",
                    "errorMessage": "'reviews' must be a list, e.g. [a, b]"},
    }, required=())


def _document(title: str, description: str, properties: dict[str, Schema],
              required: Iterable[str]) -> Schema:
    schema = mapping(title, "", properties, required, description)
    schema["errorMessage"] = "expected a YAML mapping of keys to values"
    return {"$schema": DIALECT, **schema}


def plugin_options() -> Schema:
    """The `tiered` plugin's options in mkdocs.yml, from the table that validates them (config.OPTIONS)."""
    from generator.config import OPTIONS, REQUIRED

    types = {"text": "string", "integer": "integer", "number": "number", "flag": "boolean"}
    properties: dict[str, Schema] = {}
    required = []
    for key, option in OPTIONS.items():
        if option.kind in types:
            prop: Schema = {"type": types[option.kind]}
        elif option.kind == "choice":
            prop = {"enum": list(option.choices)}
        elif option.kind == "texts":
            prop = {"type": "array", "items": {"type": "string"}}
        else:  # the readability ceilings: tier -> number or null
            prop = {"type": "object", "additionalProperties": False,
                    "properties": {tier: {"type": ["number", "null"]} for tier in TIERS}}
        if option.default is REQUIRED:
            required.append(key)
        elif option.default not in ({}, None):
            prop["default"] = option.default
        prop["description"] = option.description
        properties[key] = prop
    return {"$schema": DIALECT, "title": "tiered plugin options",
            "type": "object", "properties": properties, "required": required, "additionalProperties": False}


def mkdocs() -> Schema:
    """mkdocs.yml, loosely: everything MkDocs and Material accept, with the tiered plugin's block exact."""
    # No $id anywhere: a relative $ref then resolves beside the file, as editors load it.
    return {"$schema": DIALECT, "title": "mkdocs.yml",
            "type": "object", "properties": {"plugins": {"type": "array", "items": {
                "anyOf": [{"type": "string"},
                          {"type": "object", "properties": {"tiered": {"$ref": "mkdocs-plugin.schema.json"}}}]}}}}


# The published files, by name; the loader uses the first four.
PUBLISHED = {"glossary-term": term, "protocol": protocol, "topic-front-matter": topic, "about": about,
             "reviews": reviews,
             "mkdocs-plugin": plugin_options, "mkdocs": mkdocs}

# Which source files each schema is for (globs from the project folder), for editors.
FOR_FILES = {"glossary-term": ["glossary/*.yml"], "protocol": ["content/protocols/*.yml"],
             "reviews": ["content/reviews.yml"], "mkdocs": ["mkdocs.yml"]}


def published() -> dict[str, str]:
    """Each schema file's name and text, as `python -m generator schemas` writes them."""
    return {f"{name}.schema.json": json.dumps(build(), indent=2, ensure_ascii=False) + "\n"
            for name, build in PUBLISHED.items()}


def write(folder: Path) -> list[Path]:
    """Write the schema files that differ (so an unchanged file keeps its mtime)."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in published().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


# ---- validation with path:line ----------------------------------------------------------

_validators: dict[str, Draft202012Validator] = {}


def _validator(name: str) -> Draft202012Validator:
    if name not in _validators:
        _validators[name] = Draft202012Validator(PUBLISHED[name](), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return _validators[name]


def validate(rep: Reporter, path: Any, data: LineDict, name: str) -> bool:
    """Report every way `data` breaks schema `name` at its line; True when it has none."""
    problems = sorted(set(_problems(data, _validator(name).iter_errors(data))))
    for line, message in problems:
        rep.error(path, line, message)
    return not problems


def _line(data: Any, where: Iterable[Any]) -> int:
    """The line of the value at `where` (the line of its key, or of its list item)."""
    node, line = data, getattr(data, "line", 1)
    for step in where:
        if isinstance(node, LineDict):
            line = node.line_of(step)
        elif isinstance(node, LineList):
            line = node.line_of(step)
        node = node[step]
    return line


def _key(error: ValidationError) -> str:
    """The key whose value failed: the last mapping key on the path."""
    return next((str(s) for s in reversed(error.absolute_path) if isinstance(s, str)), "")


def _problems(data: Any, errors: Iterable[ValidationError]) -> Iterator[tuple[int, str]]:
    for e in errors:
        where = list(e.absolute_path)
        line = _line(data, where)
        schema: Schema = e.schema if isinstance(e.schema, dict) else {}
        custom = schema.get("errorMessage")
        kind = e.validator
        if kind == "required":
            title = schema.get("title", "mapping")
            for key in schema.get("required", []):
                if key not in e.instance:
                    yield line, f"{title} is missing required key '{key}'"
        elif kind == "additionalProperties":
            allowed = sorted(k for k, s in schema.get("properties", {}).items() if s.get("not") != {})
            for key in e.instance:
                if key not in schema.get("properties", {}):
                    yield _line(data, [*where, key]), (f"unknown key '{key}' in {schema.get('title', 'mapping')}; "
                                                        f"expected one of: {', '.join(allowed)}")
        elif kind == "minItems":
            yield line, str(schema.get("x-minItemsMessage") or f"'{_key(e)}' needs at least one item")
        elif kind == "enum":
            title = schema.get("title", f"'{_key(e)}'")
            yield line, f"{title} {e.instance!r} must be one of: {', '.join(schema['enum'])}"
        elif kind == "format":
            yield line, f"'{_key(e)}' is not a valid ISO date (YYYY-MM-DD): {e.instance!r}"
        elif kind == "anyOf":
            # Report the branch of the instance's own type (a mapping's missing key, say).
            same = [c for c in e.context or [] if c.relative_schema_path and c.validator != "type"
                    and isinstance(e.instance, dict) == (schema["anyOf"][c.relative_schema_path[0]]
                                                         .get("type") == "object")]
            yield from (_problems(data, same) if same else [(line, str(custom))])
        elif custom:
            yield line, str(custom)
        else:  # a rule without its own words; schemas here always give some
            yield line, f"'{_key(e)}': {e.message}"
