"""Write the rendered Markdown tree, plus a plugin-free config, for engines that ignore MkDocs plugins.

Zensical (Material's successor) reads mkdocs.yml and runs Python-Markdown
extensions but silently skips MkDocs plugins. Because every term and citation
rule lives in our extensions, the pre-rendered tree builds to the same pages:

    python -m generator render --out build/zensical
    zensical build -f build/zensical/mkdocs.yml
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import yaml_load

from . import outdir
from .config import load_settings
from .glossary import INDEX_FILE, index_json
from .pipeline import prepare

from .tiers import TIERS
from .markdown import CITE_EXT, TERMS_EXT, citation_style, sanitizer_last

OUR_EXTENSIONS = (CITE_EXT, TERMS_EXT)


def portable_config(root: Path, site_url: str, nav: list[Any], site_dir: Path,
                    unlisted: tuple[str, ...] = (), glossary_index: Path | None = None) -> dict[str, Any]:
    """mkdocs.yml with the plugin removed, the nav spelled out and paths made absolute. With
    `glossary_index` (glossary.INDEX_FILE, written beside it), the terms extension reads that one
    file instead of the project's glossary folder."""
    data = yaml_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    data["site_url"] = site_url
    data["docs_dir"] = "docs"
    data["site_dir"] = str(site_dir)
    data["nav"] = nav
    if unlisted:  # pages a large site reaches from its A-Z pages, not the sidebar (render.AZ_OVER)
        data["not_in_nav"] = "\n".join([*str(data.get("not_in_nav") or "").splitlines(), *unlisted]) + "\n"
    data.setdefault("extra", {})["reading_tiers"] = list(TIERS)  # read by tier-preference.js via <meta>
    data["plugins"] = [p for p in data.get("plugins", []) if not (isinstance(p, dict) and "tiered" in p) and p != "tiered"]
    theme = data.get("theme", {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    extensions = []
    for ext in data.get("markdown_extensions", []):
        if isinstance(ext, dict) and next(iter(ext)) in OUR_EXTENSIONS:
            name, options = next(iter(ext.items()))
            options = dict(options or {})
            for key in ("glossary", "bibliography"):
                if key in options:
                    options[key] = str((root / options[key]).resolve())
            if glossary_index is not None and "glossary" in options:
                options["glossary"] = str(glossary_index.resolve())
            ext = {name: options}
        extensions.append(ext)
    # The allow-list cleaner runs last on every engine, whatever mkdocs.yml lists.
    data["markdown_extensions"] = sanitizer_last(extensions)
    return data


def render_tree(root: Path, out: Path, force: bool = False, allow_hooks: bool = False) -> int:
    """Write the tree into `out`. A folder that `render` did not write, and is not empty, is
    never deleted unless `force` is given (`--out .` must not delete the project)."""
    out = outdir.guard(root, out, "--out", force)
    mk, settings = load_settings(root, allow_hooks)
    prepared = prepare(root, settings, site_url=mk.site_url or "", style=citation_style(mk.mdx_configs))
    if out.exists():
        shutil.rmtree(out)
    docs = out / "docs"
    shutil.copytree(root / "docs", docs)
    for src, content in sorted({**prepared.rendered.pages, **prepared.rendered.static}.items()):
        path = docs / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    index = out / INDEX_FILE
    index.write_text(index_json(prepared.site.terms), encoding="utf-8")
    config = portable_config(root, mk.site_url or "", prepared.rendered.nav, (out / "site").resolve(),
                             prepared.rendered.unlisted, index)
    outdir.mark(out)
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return len(prepared.rendered.pages)
