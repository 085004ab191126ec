"""Engine adapters: each turns the rendered tree (tree.py) into a site, through the engine's
public command line only. The core never imports an engine; an adapter runs it in a process
of its own, so an engine's state, threads and logging never leak into ours, and either one
can be swapped for the other with one option (`engine:` in mkdocs.yml, or `--engine`).

- zensical (the default): Zensical, the maintained successor of Material for MkDocs.
- mkdocs: MkDocs 1.x with Material for MkDocs (end of life 5 May 2027).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.config import ENGINES


class EngineFailed(Exception):
    """The engine could not build the tree; the message is what it printed."""


def command(engine: str, action: str, config: Path, strict: bool = False) -> list[str]:
    """The engine's own command line for `action` ("build" or "serve") on a tree's config."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; the engines are {', '.join(ENGINES)}")
    args = [sys.executable, "-m", engine, action, "-f", str(config)]
    if strict and action == "build":
        args.append("--strict")
    if engine == "mkdocs" and action == "build":
        args.append("--quiet")  # warnings and errors only, as Zensical prints
    return args


def engine_env(epoch: str | None) -> dict[str, str]:
    """The environment an engine runs in: the dates it writes (MkDocs' sitemap) come from the
    sources (sitedate.py), not the clock, so a build is byte-identical on every path."""
    env = dict(os.environ)
    env["NO_COLOR"] = "1"  # plain text: the engine's messages are repeated in ours
    env.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner: build() prints one line instead
    if epoch is not None and "SOURCE_DATE_EPOCH" not in env:
        env["SOURCE_DATE_EPOCH"] = epoch
    return env


def _without_traceback(output: str) -> str:
    """The engine's messages, with a Python traceback cut down to its last line (Zensical
    reports "Aborted because --strict flag is set" as an uncaught exception)."""
    head, found, tail = output.partition("Traceback (most recent call last):")
    if not found:
        return output
    last = tail.strip().splitlines()[-1:] or [""]
    return "\n".join(part for part in (head.rstrip(), last[0]) if part)


def build(engine: str, config: Path, strict: bool, epoch: str | None) -> None:
    """Run `engine` on the tree whose config is `config`; EngineFailed with its output if it fails."""
    proc = subprocess.run(command(engine, "build", config, strict), cwd=config.parent, env=engine_env(epoch),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    output = _without_traceback(proc.stdout.strip())
    # Zensical reports a failed build with exit status 0 and its problems in the output.
    failed = proc.returncode != 0 or (engine == "zensical" and ("Error" in output or (strict and "Warning" in output)))
    if failed:
        raise EngineFailed(f"{engine} build failed:\n{output}" if output else f"{engine} build failed "
                           f"(exit status {proc.returncode})")
    if engine == "mkdocs":
        print("note: Material for MkDocs reaches end of life on 5 May 2027; the default engine is zensical "
              "(README: Engines)", file=sys.stderr)
        if output:
            print(output, file=sys.stderr)
