"""Site settings: mkdocs.yml read by our own loader into plain dataclasses. No engine is imported.

mkdocs.yml stays the one settings file, because both engines read it (Zensical reads it as
MkDocs does). From it the core takes:
- the `tiered` block under `plugins` (OPTIONS below: one table gives each option's type,
  default and description, for validation, the published schema and the README);
- `site_url`, and the options of our Markdown extensions (the bibliography files and the
  citation style: the cite extension's options are the one place they are set);
- everything else, untouched, for the engine (`Project.data`).

The YAML tags MkDocs defines are read here too: `!ENV` (an environment variable, with a
default), `!relative` (a path beside mkdocs.yml) and `!!python/name:` (a name an extension
option refers to, kept for the engine). Tags that build Python objects (`!!python/object…`,
`!!python/module`) are refused: MkDocs' and Zensical's own loaders would run them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Diagnostic, SourceError
from generator.markdown import CITE_EXT, DEFAULT_STYLE
from generator.model.tiers import DEFAULT_CEILINGS, TIERS
from generator.sources import cslstyles

ENGINES = ("zensical", "mkdocs")  # the first is the default (README: Engines)
CONFIG_FILE = "mkdocs.yml"
DEFAULT_BIBLIOGRAPHY = "content/references.bib"


class PythonName(str):
    """A `!!python/name:module.attr` value: kept as text, written back with its tag."""


class ConfigLoader(yaml.SafeLoader):
    """PyYAML's safe loader plus the tags MkDocs documents."""


def _env(loader: ConfigLoader, node: yaml.Node) -> Any:
    # `!ENV NAME` or `!ENV [NAME, OTHER, default]`: the first variable that is set, else the
    # last item when it is not a name (as pyyaml-env-tag, which MkDocs uses, reads it).
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = [loader.construct_object(n) for n in node.value]
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    else:
        raise yaml.constructor.ConstructorError(None, None, "!ENV takes a name or a list of names", node.start_mark)
    for name in names:
        value = os.environ.get(str(name))
        if value is not None:
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _relative(loader: ConfigLoader, node: yaml.Node) -> str:
    base = Path(getattr(loader, "config_dir", "."))
    value = loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else ""
    # `!relative` alone or `!relative $config_dir` is mkdocs.yml's folder; `$docs_dir` the docs folder.
    return str(base / "docs" if str(value).strip() == "$docs_dir" else base)


def _python_name(loader: ConfigLoader, suffix: str, node: yaml.Node) -> PythonName:
    return PythonName(suffix)


def _refused(loader: ConfigLoader, suffix: str, node: yaml.Node) -> None:
    raise yaml.constructor.ConstructorError(None, None, f"the tag '{node.tag}' builds Python objects when the "
                                            "site is built; it is not allowed in mkdocs.yml", node.start_mark)


ConfigLoader.add_constructor("!ENV", _env)
ConfigLoader.add_constructor("!relative", _relative)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _refused)


class ConfigDumper(yaml.SafeDumper):
    """Writes a config for an engine: our PythonName values get their tag back."""


ConfigDumper.add_representer(PythonName, lambda d, v: d.represent_scalar(f"tag:yaml.org,2002:python/name:{v}", ""))


def dump_config(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=ConfigDumper, sort_keys=False, allow_unicode=True)


def read_config(path: Path) -> dict[str, Any]:
    """mkdocs.yml as data; a problem is a SourceError at its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:  # missing, a folder, unreadable or not UTF-8
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise SourceError([Diagnostic(path.name, 0, "error", f"cannot read the site settings: {reason}")]) from None
    loader = ConfigLoader(text)
    loader.config_dir = str(path.parent.resolve())  # type: ignore[attr-defined]
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SourceError([Diagnostic(path.name, mark.line + 1 if mark else 0, "error",
                                      f"invalid YAML: {exc.problem or exc.context}")]) from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise SourceError([Diagnostic(path.name, 0, "error", f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError([Diagnostic(path.name, 1, "error", "expected a mapping of settings")])
    return data


# ---------------------------------------------------------------------------------------------
# The options of the `tiered` block: name -> (kind, default, description). REQUIRED has no default.

REQUIRED = object()


@dataclass(frozen=True)
class Option:
    kind: str  # "text", "integer", "number", "flag", "choice", "texts" (a list), "ceilings"
    default: Any
    description: str
    choices: tuple[str, ...] = ()


OPTIONS: dict[str, Option] = {
    "publisher": Option("text", REQUIRED, "who publishes the site, named on every page and in its metadata"),
    "disclaimer": Option("text", REQUIRED, "the educational, not-medical-advice notice shown on every page"),
    "funding": Option("text", REQUIRED, "how the site is funded and what conflicts of interest it declares"),
    # What every "When to get help" callout says first: one wording for the whole site.
    "emergency": Option("text", "If you think it is an emergency, call your local emergency number now "
                        "(for example 999 in the UK, 112 in the EU, 911 in the US) or go to the nearest "
                        "emergency department.", "the sentence under the signs in every 'Get emergency help now' "
                        "box, and the home page's emergency box"),
    "start_here": Option("text", "", "slug of the topic a lay reader should open first: the home page's "
                         "'Start here' links to its Fundamentals page (empty: the Fundamentals list of every topic)"),
    "engine": Option("choice", ENGINES[0], "the engine that turns the rendered Markdown tree into HTML: "
                     "zensical (the default) or mkdocs (Material for MkDocs)", ENGINES),
    "approval_jurisdiction": Option("choice", "US", "whose approvals the status badges report: US, EU, UK, AU "
                                    "or CA; every badge names it", ("US", "EU", "UK", "AU", "CA")),
    "approval_max_age_months": Option("integer", 12, "approval data whose 'as_of' date is older than this "
                                      "fails 'check'"),
    "review_interval_months": Option("integer", 12, "the next review is due this long after the newest "
                                     "review record"),
    "editorial_review": Option("choice", "recommended", "a page without an editorial review record: "
                               "'recommended' (a note; the page says it has not been reviewed) or 'required' "
                               "(an error)", ("recommended", "required")),
    "clinical_review": Option("choice", "recommended", "a protocol or medicine page without a clinical review "
                              "record: 'recommended' (a note; the page says it is not yet clinically reviewed) or "
                              "'required' (an error)", ("recommended", "required")),
    "readability": Option("ceilings", {}, "reading-grade ceiling per tier (null: none), e.g. fundamentals: 8.0"),
    "external_links": Option("flag", False, "also check external links on every 'check' (network)"),
    "external_skip_hosts": Option("texts", [], "hosts the external link check never requests"),
    "external_private": Option("flag", False, "also request private and loopback addresses (intranets)"),
    "external_deadline": Option("number", 30.0, "seconds per URL in the external link check, retries and "
                                "redirects included"),
    "external_budget": Option("number", 900.0, "seconds for the whole external link check"),
    "external_cache_days": Option("integer", 7, "days an external link result is reused from .cache/"),
    "registry_crossref": Option("text", "https://api.crossref.org", "the Crossref API that "
                                "'check --verify-references' asks"),
    "registry_eutils": Option("text", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils",
                              "the PubMed E-utilities API that 'check --verify-references' asks"),
    "registry_mailto": Option("text", "", "a contact address for Crossref's polite pool"),
    "registry_cache_days": Option("integer", 30, "days a registry answer is reused from .cache/"),
}


def _check_value(option: Option, value: Any) -> tuple[Any, str]:
    """(the value, "") or (None, what is wrong)."""
    kind = option.kind
    if kind == "text":
        return (value, "") if isinstance(value, str) else (None, "expected text")
    if kind == "choice":
        return (value, "") if value in option.choices else (None, f"expected one of {', '.join(option.choices)}")
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return (value, "") if ok else (None, "expected a whole number")
    if kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return (float(value), "") if ok else (None, "expected a number")
    if kind == "flag":
        return (value, "") if isinstance(value, bool) else (None, "expected true or false")
    if kind == "texts":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return (list(value), "") if ok else (None, "expected a list of text, e.g. [example.org]")
    # ceilings: a tier name -> a grade ceiling, or null for none
    if value is None:
        return {}, ""
    if not isinstance(value, dict):
        return None, "expected a mapping of tier names to grade ceilings, e.g. fundamentals: 8.0"
    out: dict[str, float | None] = {}
    for tier, ceiling in value.items():
        if tier not in TIERS:
            return None, f"unknown tier {tier!r}; the tiers are {', '.join(TIERS)}"
        if ceiling is not None and (isinstance(ceiling, bool) or not isinstance(ceiling, (int, float))):
            return None, f"the ceiling for {tier!r} must be a number or null"
        out[tier] = None if ceiling is None else float(ceiling)
    return out, ""


@dataclass(frozen=True)
class TieredConfig:
    """The `tiered` block's options (OPTIONS), validated; every field has the option's name."""

    publisher: str
    disclaimer: str
    funding: str
    emergency: str = OPTIONS["emergency"].default
    start_here: str = ""
    engine: str = ENGINES[0]
    approval_jurisdiction: str = "US"
    approval_max_age_months: int = 12
    review_interval_months: int = 12
    editorial_review: str = "recommended"
    clinical_review: str = "recommended"
    readability: dict[str, float | None] = field(default_factory=dict)
    external_links: bool = False
    external_skip_hosts: list[str] = field(default_factory=list)
    external_private: bool = False
    external_deadline: float = 30.0
    external_budget: float = 900.0
    external_cache_days: int = 7
    registry_crossref: str = OPTIONS["registry_crossref"].default
    registry_eutils: str = OPTIONS["registry_eutils"].default
    registry_mailto: str = ""
    registry_cache_days: int = 30


assert [f.name for f in fields(TieredConfig)] == list(OPTIONS), "TieredConfig and OPTIONS list the same options"


def ceilings(cfg: TieredConfig) -> dict[str, float | None]:
    """The tier table's default ceilings, overridden per tier by mkdocs.yml."""
    return {**DEFAULT_CEILINGS, **cfg.readability}


@dataclass(frozen=True)
class Project:
    """A site's settings, as every command and engine adapter reads them."""

    root: Path
    data: dict[str, Any]  # mkdocs.yml as read: what the engine gets (with the plugin taken out)
    settings: TieredConfig
    site_url: str
    bibliography: tuple[Path, ...]  # the cite extension's `bibliography`: one file or a list
    style: str  # the CSL file of the cite extension's `style` (a shipped name or the project's .csl, resolved)
    # The site's one policy for warnings (mkdocs.yml's own `strict:`, default true): when true,
    # `build`, `check` and the preview all fail on a warning as on an error (README: One gate).
    strict: bool = True

    @property
    def mdx_configs(self) -> dict[str, dict[str, Any]]:
        """Each Markdown extension's options by name, as mkdocs.yml lists them."""
        out: dict[str, dict[str, Any]] = {}
        for ext in self.data.get("markdown_extensions") or []:
            if isinstance(ext, dict):
                for name, options in ext.items():
                    out[str(name)] = dict(options or {})
        return out


def _key_line(lines: list[str], key: str, start: int, end: int, fallback: int) -> int:
    return next((i for i in range(start + 1, end + 1) if lines[i - 1].strip().startswith(f"{key}:")), fallback)


def _tiered_block(path: Path, data: dict[str, Any], lines: list[str]) -> TieredConfig:
    line = next((i for i, l in enumerate(lines, 1) if l.strip().startswith("- tiered")), 1)
    # The plugin's block: the lines after "- tiered" that are indented deeper than it.
    indent = len(lines[line - 1]) - len(lines[line - 1].lstrip()) if lines else 0
    block_end = next((i for i in range(line, len(lines))
                      if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) <= indent), len(lines))
    plugins = data.get("plugins") or []
    block = next((p["tiered"] for p in plugins if isinstance(p, dict) and "tiered" in p), None) \
        if isinstance(plugins, list) else None
    if block is None:
        raise SourceError([Diagnostic(path.name, line, "error", "the 'tiered' plugin and its options "
                                      "(publisher, disclaimer, funding) are missing under 'plugins'")])
    if not isinstance(block, dict):
        raise SourceError([Diagnostic(path.name, line, "error", "plugin 'tiered': expected a mapping of options")])
    problems, values = [], {}
    for key, value in block.items():
        option = OPTIONS.get(key)
        if option is None:
            problems.append(Diagnostic(path.name, _key_line(lines, str(key), line, block_end, line), "error",
                                       f"plugin 'tiered': unknown option '{key}'; the options are "
                                       f"{', '.join(OPTIONS)}"))
            continue
        checked, problem = _check_value(option, value)
        if problem:
            problems.append(Diagnostic(path.name, _key_line(lines, key, line, block_end, line), "error",
                                       f"plugin 'tiered' option '{key}': {problem}"))
        else:
            values[key] = checked
    for key, option in OPTIONS.items():
        if option.default is REQUIRED and key not in block:
            problems.append(Diagnostic(path.name, line, "error", f"plugin 'tiered' option '{key}': required, "
                                       f"{option.description}"))
    if problems:
        raise SourceError(problems)
    return TieredConfig(**values)


def _cite_options(root: Path, path: Path, data: dict[str, Any], lines: list[str]) -> tuple[tuple[Path, ...], str]:
    options: dict[str, Any] = {}
    for ext in data.get("markdown_extensions") or []:
        if isinstance(ext, dict) and CITE_EXT in ext:
            options = dict(ext[CITE_EXT] or {})
    at = next((i for i, l in enumerate(lines, 1) if l.strip().startswith("bibliography:")), 0)
    value = options.get("bibliography", DEFAULT_BIBLIOGRAPHY)
    files = [value] if isinstance(value, str) else value
    if not isinstance(files, list) or not files or not all(isinstance(f, str) and f for f in files):
        raise SourceError([Diagnostic(path.name, at, "error", f"extension '{CITE_EXT}' option 'bibliography': "
                                      "expected a file name or a list of them (.bib or CSL-JSON .json)")])
    style = options.get("style", DEFAULT_STYLE)
    style_at = next((i for i, l in enumerate(lines, 1) if l.strip().startswith("style:")), at)
    if not isinstance(style, str) or not style:
        raise SourceError([Diagnostic(path.name, style_at, "error", f"extension '{CITE_EXT}' option 'style': "
                                      "expected a CSL style name or a .csl file")])
    try:
        style_file = cslstyles.resolve(style, root)
    except cslstyles.StyleError as exc:
        raise SourceError([Diagnostic(path.name, style_at, "error",
                                      f"extension '{CITE_EXT}' option 'style': {exc}")]) from None
    return tuple(root / f for f in files), str(style_file)


def load_project(root: Path, allow_hooks: bool = False) -> Project:
    """Read and validate mkdocs.yml. MkDocs `hooks:` (Python files run during every build and
    check, so in the pre-commit hook too) are refused unless the command was given --allow-hooks."""
    root = root.resolve()
    path = root / CONFIG_FILE
    data = read_config(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    if data.get("hooks") and not allow_hooks:
        at = next((i for i, l in enumerate(lines, 1) if l.startswith("hooks:")), 0)
        raise SourceError([Diagnostic(path.name, at, "error", "'hooks:' runs the listed Python files with this "
                                      "command's rights (in CI: deploy credentials); review them as code, "
                                      "then pass --allow-hooks to run them")])
    settings = _tiered_block(path, data, lines)
    bibliography, style = _cite_options(root, path, data, lines)
    site_url = data.get("site_url") or ""
    if not isinstance(site_url, str):
        at = next((i for i, l in enumerate(lines, 1) if l.startswith("site_url:")), 0)
        raise SourceError([Diagnostic(path.name, at, "error", "'site_url' must be an address, e.g. "
                                      "https://example.org/docs/")])
    strict = data.get("strict", True)
    if not isinstance(strict, bool):
        at = next((i for i, l in enumerate(lines, 1) if l.startswith("strict:")), 0)
        raise SourceError([Diagnostic(path.name, at, "error", "'strict' must be true or false: whether a "
                                      "warning fails build, check and the preview")])
    return Project(root, data, settings, site_url, bibliography, style, strict)


def with_engine(project: Project, engine: str | None) -> Project:
    """The project, built with `engine` instead of the one mkdocs.yml names (None: unchanged)."""
    if engine is None or engine == project.settings.engine:
        return project
    from dataclasses import replace

    return replace(project, settings=replace(project.settings, engine=engine))


def load_settings(root: Path, allow_hooks: bool = False) -> tuple[Project, TieredConfig]:
    """(the project, its `tiered` options): the pair most callers want."""
    project = load_project(root, allow_hooks)
    return project, project.settings

