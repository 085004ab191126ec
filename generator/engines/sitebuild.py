"""Build the site: sources -> rendered tree -> an engine -> a folder swapped into place.

The tree is written beside the site folder (a marked `.build-<site>-*` folder, so a build
that was killed leaves nothing the next one cannot remove), the engine builds it into the
tree's own `site/`, and that folder is exchanged with the old site in one atomic step. A
failed build never leaves a half-written site: the old one stays until the new one is whole.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from generator import engines, outdir
from generator.config import Project, load_project, with_engine
from generator.engines import searchbundle, swap
from generator.errors import SourceError
from generator.model.sitedate import source_date_epoch
from generator.pipeline import Prepared, prepare
from generator.render.tree import CONFIG, SITE, write_tree


class BuildFailed(Exception):
    pass


def build_tree(project: Project, prepared: Prepared, tree: Path, strict: bool) -> Path:
    """Write the tree into `tree` and run the project's engine on it; the built site's folder."""
    write_tree(project, prepared, tree)
    try:
        engines.build(project.settings.engine, tree / CONFIG, strict, source_date_epoch(prepared.site))
        searchbundle.index(tree / SITE)  # the same search after either engine
    except (engines.EngineFailed, searchbundle.IndexFailed) as exc:
        raise BuildFailed(str(exc)) from None
    return tree / SITE


def build_site(root: Path, site_dir: Path, strict: bool = True, force: bool = False,
               allow_hooks: bool = False, engine: str | None = None) -> None:
    """Build into a fresh folder beside `site_dir`, then exchange the two in one atomic step.

    A lock file keeps two builds of the same site from racing; folders left by a
    build that was killed are removed first. Disk and permission problems come
    out as one BuildFailed line, never a traceback."""
    try:
        site_dir = outdir.guard(root, site_dir, "--site-dir", force)
    except outdir.OutputRefused as exc:
        raise BuildFailed(str(exc)) from None
    try:
        # Validate first, so bad sources are reported as our own path:line lines.
        project = with_engine(load_project(root, allow_hooks), engine)
        prepared = prepare(project)
    except SourceError as exc:
        raise BuildFailed(str(exc)) from None
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with swap.locked(site_dir):
            swap.remove_leftovers(site_dir)
            work = Path(tempfile.mkdtemp(prefix=swap.PREFIX + site_dir.name + "-", dir=site_dir.parent))
            # Marked at once: a build killed from here on leaves a folder the next one may remove.
            outdir.mark(work)
            try:
                built = build_tree(project, prepared, work / "tree", strict)
                outdir.mark(built)
                swap.replace_dir(built, site_dir)
            finally:
                swap.remove_tree(work)  # the tree, with the old site after a swap
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise BuildFailed(f"{site_dir}: error: cannot write the site: {exc.strerror or exc}{where}") from None
