"""`python -m generator build | check | render`."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .errors import SourceError
from .sitebuild import BuildFailed, build_site


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    p.add_argument("--root", type=Path, default=Path("."), help="project folder holding mkdocs.yml")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the site into site/ (atomically)")
    b.add_argument("--site-dir", type=Path, default=None)
    b.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    c = sub.add_parser("check", help="run every source and site check")
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    c.add_argument("--external", action="store_true", help="also check external links (network)")
    c.add_argument("--readability-report", action="store_true", help="print reading scores of every page")
    c.add_argument("--verify-references", action="store_true",
                   help="compare every bibliography entry with Crossref and PubMed (network; cached in .cache/)")
    c.add_argument("--today", type=date.fromisoformat, default=None, help="pretend today is this date")
    r = sub.add_parser("render", help="write the rendered Markdown tree (for other engines)")
    r.add_argument("--out", type=Path, default=Path("build/zensical"),
                   help="folder to write (default build/zensical); replaced only if 'render' wrote it")
    r.add_argument("--force", action="store_true", help="replace --out even if 'render' did not write it")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root: Path = args.root.resolve()
    if args.command == "build":
        try:
            build_site(root, args.site_dir or root / "site", strict=not args.no_strict)
        except BuildFailed as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"built {args.site_dir or root / 'site'}")
        return 0
    if args.command == "render":
        from .portable import OutputNotEmpty, render_tree

        try:
            written = render_tree(root, args.out, force=args.force)
        except (SourceError, OutputNotEmpty) as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"wrote {written} pages to {args.out}")
        return 0
    from .checks import run_checks

    diagnostics, report = run_checks(root, today=args.today, external=args.external,
                                     verify_references=args.verify_references)
    for d in diagnostics:
        print(d)
    if args.readability_report and report:
        print(report)
    errors = [d for d in diagnostics if d.level == "error" or (args.strict and d.level == "warning")]
    warnings = [d for d in diagnostics if d.level == "warning"]
    print(f"check: {len([d for d in diagnostics if d.level == 'error'])} errors, {len(warnings)} warnings",
          file=sys.stderr)
    return 1 if errors else 0

