"""The one guard for every command that writes (and may later replace) a folder: build's site,
render's tree, serve's preview tree.

A folder is ours when it holds MARKER, written when the tool makes it; only such a folder is
ever replaced or cleaned up. Whatever the options say, the project itself, a folder that holds
its sources, and a folder inside one of them are never written to: `build --site-dir content`
would otherwise delete the sources it builds from, and `serve --out .` overwrite mkdocs.yml.
"""
from __future__ import annotations

from pathlib import Path

MARKER = ".tiered-docs-output"
# Earlier versions marked render and preview trees with this name; they are still ours.
LEGACY_MARKERS = (".tiered-render",)
# What a project is built from: the sources, the published assets and templates, the settings,
# and git's own folder. The preview watches the same names.
SOURCES = ("mkdocs.yml", "content", "glossary", "docs", "overrides")
PROTECTED = (*SOURCES, ".git")


class OutputRefused(Exception):
    """A folder the tool will not write to; the message is one `path: error: …` line."""


def made_by_us(folder: Path) -> bool:
    return any((folder / name).is_file() and not (folder / name).is_symlink()
               for name in (MARKER, *LEGACY_MARKERS))


def _earlier_site(folder: Path) -> bool:
    """A site built by a version of the tool that did not mark it yet (or by plain MkDocs): its
    own 404 page and sitemap. Replaced by a build, so `make site` goes on working after an
    upgrade; never taken for a leftover to delete."""
    return all((folder / name).is_file() for name in ("404.html", "sitemap.xml", "index.html"))


def mark(folder: Path) -> None:
    """Claim a folder the tool just made, so later runs may replace it. The same bytes whichever
    command wrote it: a site is byte-identical on every build path."""
    (folder / MARKER).write_text("written by tiered-docs; safe to delete\n", encoding="utf-8")


def guard(root: Path, out: Path, option: str, force: bool = False) -> Path:
    """`out`, resolved, if a command may write there; OutputRefused otherwise. `force` allows a
    non-empty folder the tool did not make, never the project or its sources."""
    root, out = root.resolve(), out.resolve()
    if out == root or root.is_relative_to(out):
        raise OutputRefused(f"{out}: error: {option} would replace the project itself; choose a folder "
                            "inside it (the default) or elsewhere")
    for name in PROTECTED:
        source = root / name
        if out.is_relative_to(source):
            raise OutputRefused(f"{out}: error: {option} would write over the project's {name}; "
                                "choose a folder that holds no sources")
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputRefused(f"{out}: error: {option} must name a folder (not a file or a link)")
    if out.is_dir() and not force and any(out.iterdir()) and not (made_by_us(out) or _earlier_site(out)):
        raise OutputRefused(f"{out}: error: the folder is not empty and was not written by this tool "
                            f"(it has no {MARKER}); choose an empty folder, or pass --force to replace it")
    return out
