"""Write the rendered Markdown tree to disk, for engines that ignore MkDocs plugins."""
from __future__ import annotations

import shutil
from pathlib import Path

from .config import load_settings
from .pipeline import prepare


def render_tree(root: Path, out: Path) -> int:
    mk, settings = load_settings(root)
    prepared = prepare(root, settings, site_url=mk.site_url or "")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(root / "docs", out)
    for src, content in sorted(prepared.rendered.pages.items()):
        path = out / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return len(prepared.rendered.pages)
