"""The rendered Markdown tree and its plugin-free config: what every engine builds.

    python -m generator render --out build/tree
    zensical build -f build/tree/mkdocs.yml          # or: mkdocs build -f build/tree/mkdocs.yml

Both engines read mkdocs.yml and run Python-Markdown extensions; every term and citation
rule lives in our extensions, so the same tree builds to the same pages on either. The
config is the project's mkdocs.yml with our plugin taken out, the nav spelled out, paths
made absolute, the extensions pointed at data files written beside it (the glossary index)
or at the project's own files (the bibliography), and the allow-list cleaner last.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from generator import outdir
from generator.config import Project, dump_config
from generator.markdown import CITE_EXT, TERMS_EXT, sanitizer_last
from generator.markdown.glossary import INDEX_FILE, index_json
from generator.model.tiers import TIERS
from generator.pipeline import Prepared
from generator.render.searchindex import client_settings

CONFIG = "mkdocs.yml"  # the tree's config, beside its docs/ folder
DOCS = "docs"
SITE = "site"  # where an engine writes the site: inside the tree, as Zensical requires


def theme_extra() -> dict[str, Any]:
    """What the theme reads from `extra`: the depths (tier-preference.js) and the search box's
    settings (search.js: question words, metadata weights)."""
    return {"reading_tiers": list(TIERS), "search": client_settings()}


def _plugin_name(entry: object) -> str:
    return next(iter(entry), "") if isinstance(entry, dict) else str(entry)


def tree_config(project: Project, prepared: Prepared, tree: Path, extra_js: tuple[str, ...] = ()) -> dict[str, Any]:
    """mkdocs.yml for the tree in `tree`."""
    root, rendered = project.root, prepared.rendered
    data = dict(project.data)
    data.pop("site_url", None)
    if project.site_url:  # none at all when unset: Zensical would make addresses from an empty one
        data["site_url"] = project.site_url
    data["docs_dir"] = DOCS
    data["site_dir"] = str((tree / SITE).resolve())
    data["nav"] = rendered.nav
    if rendered.unlisted:  # pages a large site reaches from its A-Z pages, not the sidebar (render.AZ_OVER)
        data["not_in_nav"] = "\n".join([*str(data.get("not_in_nav") or "").splitlines(), *rendered.unlisted]) + "\n"
    data["extra"] = {**(data.get("extra") or {}), **theme_extra()}
    # Our plugin is the core's own work; the engine's search is replaced by Pagefind's, run
    # after the engine (engines/searchbundle.py). Zensical turns its search on unless told not to.
    data["plugins"] = [*(p for p in data.get("plugins") or [] if _plugin_name(p) not in ("tiered", "search")),
                       {"search": {"enabled": False}}]
    hooks = data.get("hooks")
    if isinstance(hooks, list):  # run by MkDocs only (`--allow-hooks`); Zensical has no hooks
        data["hooks"] = [str((root / h).resolve()) if isinstance(h, str) else h for h in hooks]
    theme = dict(data.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    data["theme"] = theme
    if extra_js:
        scripts = data.get("extra_javascript")
        data["extra_javascript"] = [*(scripts if isinstance(scripts, list) else []), *extra_js]
    extensions = []
    for ext in data.get("markdown_extensions") or []:
        name = next(iter(ext)) if isinstance(ext, dict) else ext
        if name == TERMS_EXT:
            ext = {name: {**(ext[name] or {} if isinstance(ext, dict) else {}),
                          "glossary": str((tree / INDEX_FILE).resolve())}}
        elif name == CITE_EXT:
            files = [str(p.resolve()) for p in project.bibliography]
            ext = {name: {**(ext[name] or {} if isinstance(ext, dict) else {}),
                          "bibliography": files[0] if len(files) == 1 else files, "style": project.style}}
        extensions.append(ext)
    # The allow-list cleaner runs last on every engine, whatever mkdocs.yml lists.
    data["markdown_extensions"] = sanitizer_last(extensions)
    return data


def write_tree(project: Project, prepared: Prepared, tree: Path) -> int:
    """Write the tree into `tree` (which must not exist yet, or be ours to replace); the number
    of pages."""
    if tree.exists():
        shutil.rmtree(tree)
    docs = tree / DOCS
    if (project.root / "docs").is_dir():
        shutil.copytree(project.root / "docs", docs)
    docs.mkdir(parents=True, exist_ok=True)
    for src, content in sorted({**prepared.rendered.pages, **prepared.rendered.static}.items()):
        path = docs / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    (tree / INDEX_FILE).write_text(index_json(prepared.site.terms), encoding="utf-8")
    outdir.mark(tree)
    (tree / CONFIG).write_text(dump_config(tree_config(project, prepared, tree)), encoding="utf-8")
    return len(prepared.rendered.pages)


def render_tree(root: Path, out: Path, force: bool = False, allow_hooks: bool = False) -> int:
    """`python -m generator render`: the tree into `out`. A folder that the tool did not write,
    and is not empty, is never deleted unless `force` is given (`--out .` must not delete the
    project)."""
    from generator.config import load_project
    from generator.pipeline import prepare

    out = outdir.guard(root, out, "--out", force)
    project = load_project(root, allow_hooks)
    return write_tree(project, prepare(project), out)
