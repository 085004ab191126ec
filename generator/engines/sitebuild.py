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
from generator.errors import Diagnostic, SourceError
from generator.model.sitedate import source_date_epoch
from generator.pipeline import Prepared, prepare_all
from generator.render.tree import CONFIG, SITE, write_tree


class BuildFailed(Exception):
    """The build stopped; the message is every problem found, one `path:line: level: …` per line."""


def _report(diagnostics: list[Diagnostic], strict: bool) -> str:
    from generator.checks import failing

    lines = [str(d) for d in sorted(set(diagnostics))]
    n = len(failing(diagnostics, strict))
    return "\n".join([*lines, f"build failed on {n} problem{'s' if n != 1 else ''}"
                       f"{' (strict: warnings count)' if strict else ''}; the last good site is unchanged"])


def build_tree(project: Project, prepared: Prepared, tree: Path, strict: bool) -> Path:
    """Write the tree into `tree` and run the project's engine on it; the built site's folder."""
    write_tree(project, prepared, tree)
    try:
        engines.build(project.settings.engine, tree / CONFIG, strict, source_date_epoch(prepared.site))
        searchbundle.index(tree / SITE)  # the same search after either engine
    except (engines.EngineFailed, searchbundle.IndexFailed) as exc:
        raise BuildFailed(str(exc)) from None
    return tree / SITE


def build_site(root: Path, site_dir: Path, strict: bool | None = None, force: bool = False,
               allow_hooks: bool = False, engine: str | None = None) -> list[Diagnostic]:
    """Check, then build into a fresh folder beside `site_dir`, then exchange the two in one
    atomic step; returns the warnings and notes to print.

    The gate is `check`'s: every check but the clock's and the network's (so the result depends
    on the sources alone), failing on errors, and on warnings too when `strict` (None: the
    project's `strict:`). The link checks read the new site before it replaces the old one.
    A lock file keeps two builds of the same site from racing; folders left by a build that was
    killed are removed first. Disk and permission problems come out as one BuildFailed line,
    never a traceback."""
    from generator import checks  # (checks build sites of their own with build_tree, below)

    try:
        site_dir = outdir.guard(root, site_dir, "--site-dir", force)
    except outdir.OutputRefused as exc:
        raise BuildFailed(str(exc)) from None
    try:
        project = with_engine(load_project(root, allow_hooks), engine)
    except SourceError as exc:
        raise BuildFailed(str(exc)) from None
    strict = project.strict if strict is None else strict
    # Validate first, so bad sources are reported as our own path:line lines.
    prepared = prepare_all(project)
    ctx, rep = checks.source_checks(project, prepared, None, checks.CheckOptions(network=False))
    if checks.failing(rep.diagnostics, strict):
        raise BuildFailed(_report(rep.diagnostics, strict))
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with swap.locked(site_dir):
            swap.remove_leftovers(site_dir)
            work = Path(tempfile.mkdtemp(prefix=swap.PREFIX + site_dir.name + "-", dir=site_dir.parent))
            # Marked at once: a build killed from here on leaves a folder the next one may remove.
            outdir.mark(work)
            try:
                built = build_tree(project, prepared, work / "tree", strict)
                checks.site_checks(ctx, rep, built)
                if checks.failing(rep.diagnostics, strict):
                    raise BuildFailed(_report(rep.diagnostics, strict))
                outdir.mark(built)
                swap.replace_dir(built, site_dir)
            finally:
                swap.remove_tree(work)  # the tree, with the old site after a swap
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise BuildFailed(f"{site_dir}: error: cannot write the site: {exc.strerror or exc}{where}") from None
    return sorted(set(rep.diagnostics))
