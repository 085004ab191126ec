"""The command line: build, check and render a tiered documentation site.

Conventions, the same for every command:
- Paths given on the command line are relative to the current folder; defaults are
  inside the project folder (--root).
- One gate: `build`, `check` and the preview run the same checks and fail on errors, and on
  warnings too when the project is strict (mkdocs.yml's `strict:`, default true). `--strict`
  and `--no-strict` override it for one run. Notes never fail. `build` leaves out only the
  checks of the clock (overdue reviews, stale approval data) and of the network, so that
  its result depends on the sources alone; `check` runs those as well.
"""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from importlib import metadata
from pathlib import Path

from generator.config import ENGINES
from generator.errors import SourceError

DISTRIBUTION = "tiered-docs-generator"


def version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


def _prog() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "python -m generator" if name in ("", "__main__.py", "-c") else name


def _strictness(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--strict", dest="strict", action="store_true", default=None,
                   help="fail on warnings as well as errors (default: mkdocs.yml's 'strict:', else true)")
    g.add_argument("--no-strict", dest="strict", action="store_false",
                   help="fail only on errors; warnings are printed")


def _engine(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", choices=ENGINES, default=None,
                   help="the engine that builds the HTML (default: 'engine' in mkdocs.yml, else zensical)")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=_prog(), description="Build, check and render a tiered documentation site.",
                                epilog="Paths on the command line are relative to the current folder; "
                                "defaults are inside --root.")
    p.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    p.add_argument("--root", type=Path, default=Path("."), help="project folder holding mkdocs.yml (default: .)")
    p.add_argument("--allow-hooks", action="store_true",
                   help="run the Python files that mkdocs.yml lists under 'hooks:' (refused otherwise)")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the site (atomically: the last good site stays until this one is done)")
    b.add_argument("--site-dir", type=Path, default=None, help="where to put the site (default: ROOT/site)")
    b.add_argument("--force", action="store_true",
                   help="replace --site-dir even if this tool did not write it (never the project or its sources)")
    _engine(b)
    _strictness(b)
    c = sub.add_parser("check", help="run every source and site check")
    _strictness(c)
    c.add_argument("--external", action="store_true", help="also check external links (network)")
    c.add_argument("--readability-report", action="store_true", help="print reading scores of every page")
    c.add_argument("--verify-references", action="store_true",
                   help="compare every bibliography entry with Crossref and PubMed (network; cached in .cache/)")
    c.add_argument("--today", type=date.fromisoformat, default=None, help="pretend today is this date")
    c.add_argument("--sources-only", action="store_true",
                   help="check the sources alone: no engine runs, so links and anchors are not checked")
    _engine(c)
    s = sub.add_parser("serve", help="live preview: an incremental tree, rebuilt and served with live "
                       "reload by the engine's own preview server")
    s.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)")
    s.add_argument("--out", type=Path, default=None, help="where the tree goes (default: ROOT/build/preview)")
    _engine(s)
    n = sub.add_parser("new", help="write a skeleton topic, term or protocol (a draft) and print its path")
    n.add_argument("kind", choices=("topic", "term", "protocol"))
    n.add_argument("slug", help="lower-case words joined by '-': the file name and the page address")
    n.add_argument("--title", help="the title (topic), term name (term) or name (protocol); default: from the slug")
    n.add_argument("--agent", action="store_true",
                   help="term only: a medicine, with the 'agent:' block for its approvals and label safety")
    i = sub.add_parser("init", help="write a new site into DIR (absent or empty): a topic at three depths, a "
                       "glossary term, a protocol, a bibliography, a review log, schemas and pre-commit set-up")
    i.add_argument("dir", type=Path, help="the new site's folder (relative to the current folder)")
    i.add_argument("--name", help="the site's name (default: from the folder's name)")
    i.add_argument("--today", type=date.fromisoformat, default=None,
                   help="the date the starter's data is checked as of (default: today)")
    im = sub.add_parser("import", help="legacy articles (text or HTML exports) into draft topics, glossary "
                        "candidates and bibliography entries, with a report of what to do next")
    im.add_argument("files", type=Path, nargs="+", metavar="FILE", help="the exported articles")
    im.add_argument("--title", help="the topic's title (one FILE only; default: from the file name)")
    im.add_argument("--force", action="store_true", help="replace topic and glossary files that exist")
    im.add_argument("--resolve", action="store_true",
                    help="look each parsed reference up in Crossref's bibliographic search (network; cached in "
                    ".cache/), and report its DOI and differences; nothing is changed")
    im.add_argument("--today", type=date.fromisoformat, default=None, help="pretend today is this date (the cache)")
    sc = sub.add_parser("schemas", help="write the JSON Schemas of every source format (for editors)")
    sc.add_argument("--out", type=Path, default=None, help="folder to write (default: ROOT/schemas)")
    r = sub.add_parser("render", help="write the rendered Markdown tree and its config (what every engine builds)")
    r.add_argument("--out", type=Path, default=None,
                   help="folder to write (default: ROOT/build/tree); replaced only if this tool wrote it")
    r.add_argument("--force", action="store_true", help="replace --out even if 'render' did not write it")
    return p


def _import(root: Path, args: argparse.Namespace) -> int:
    from generator.sources.legacyimport import import_articles

    resolver = None
    if args.resolve:
        from generator.checks.registry import RegistryConfig
        from generator.config import load_project
        from generator.sources.legacyresolve import Resolver

        try:
            s = load_project(root, args.allow_hooks).settings
        except SourceError as exc:
            print(exc, file=sys.stderr)
            return 1
        resolver = Resolver(RegistryConfig(crossref=s.registry_crossref, eutils=s.registry_eutils,
                                           mailto=s.registry_mailto, cache_path=root / ".cache" / "registry.json",
                                           max_age_days=s.registry_cache_days), args.today or date.today())
    try:
        outcome, rep = import_articles(root, [f.resolve() for f in args.files], args.title, args.force, resolver)
    finally:
        if resolver is not None:
            resolver.close()
    for d in sorted(set(rep.diagnostics)):
        print(d)
    for slug, title in outcome.topics:
        print(f"imported {title!r} as content/topics/{slug}.md (a draft)", file=sys.stderr)
    errors = len(rep.errors)
    print(f"import: {len(outcome.written)} files written, {errors} errors; next: python -m generator check",
          file=sys.stderr)
    return 1 if errors else 0


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
        from generator.engines.sitebuild import BuildFailed, build_site

        site_dir = args.site_dir.resolve() if args.site_dir else root / "site"
        try:
            shown = build_site(root, site_dir, strict=args.strict, force=args.force, allow_hooks=args.allow_hooks,
                               engine=args.engine)
        except BuildFailed as exc:
            print(exc, file=sys.stderr)
            return 1
        for d in shown:
            print(d, file=sys.stderr)
        print(f"built {site_dir}")
        return 0
    if args.command == "new":
        from generator.sources.scaffold import ScaffoldError, new

        try:
            path = new(root, args.kind, args.slug, args.title, args.agent)
        except ScaffoldError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(path)
        return 0
    if args.command == "init":
        from generator.sources.scaffold import ScaffoldError, init

        try:
            files = init(args.dir, args.name, args.today)
        except (ScaffoldError, OSError) as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"wrote {len(files)} files to {args.dir}\nnext: cd {args.dir} && {_prog()} build "
              f"&& {_prog()} check --strict")
        return 0
    if args.command == "import":
        return _import(root, args)
    if args.command == "schemas":
        from generator.sources.schemas import published, write

        out = args.out.resolve() if args.out else root / "schemas"
        changed = write(out)
        print(f"wrote {len(changed)} of {len(published())} schema files to {out}")
        return 0
    if args.command == "serve":
        from generator.outdir import OutputRefused, guard
        from generator.serve.preview import serve

        try:
            out = guard(root, args.out if args.out else root / "build" / "preview", "--out")
        except OutputRefused as exc:
            print(exc, file=sys.stderr)
            return 1
        return serve(root, out, args.dev_addr, allow_hooks=args.allow_hooks, engine=args.engine)
    if args.command == "render":
        from generator.outdir import OutputRefused
        from generator.render.tree import render_tree

        try:
            out = args.out.resolve() if args.out else root / "build" / "tree"
            written = render_tree(root, out, force=args.force, allow_hooks=args.allow_hooks)
        except (SourceError, OutputRefused) as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"wrote {written} pages to {out}")
        return 0
    from generator.checks import failing, run_checks
    from generator.config import load_project

    strict = args.strict
    if strict is None:
        try:
            strict = load_project(root, args.allow_hooks).strict
        except SourceError:
            strict = True  # run_checks reports why mkdocs.yml cannot be read
    diagnostics, report = run_checks(root, today=args.today, external=args.external,
                                     verify_references=args.verify_references, allow_hooks=args.allow_hooks,
                                     engine=args.engine, site=not args.sources_only)
    for d in diagnostics:
        print(d)
    if args.readability_report and report:
        print(report)
    errors = failing(diagnostics, strict)
    warnings = [d for d in diagnostics if d.level == "warning"]
    print(f"check: {len([d for d in diagnostics if d.level == 'error'])} errors, {len(warnings)} warnings",
          file=sys.stderr)
    return 1 if errors else 0

