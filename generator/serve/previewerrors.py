"""Source errors shown in the browser during `mkdocs serve`, where the author is looking.

A broken source stops a build, and the terminal says why; but the author is looking at the
page, which would keep showing the last good version. During serve the plugin instead builds
the last good pages with this block at the top of each (or a lone error page when there was
no good build yet), and live reload swaps it in; the next good build takes it away. Plain
builds still fail and leave the last good site untouched.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from generator.errors import Diagnostic

# Inline styles: the block must be readable whatever the project's stylesheet says.
_BOX = ("border:3px solid #b91c1c;border-radius:.3rem;background:#fef2f2;color:#450a0a;"
        "padding:.6rem 1rem;margin:0 0 1.5rem;font-size:.8rem")
_PRE = "background:#fff;color:#111;padding:.3rem .5rem;margin:.2rem 0 .6rem;overflow-x:auto;white-space:pre"


def source_line(root: Path, d: Diagnostic) -> str:
    """The offending line of the source, or "" when there is none to show."""
    if not d.line:
        return ""
    try:
        lines = (root / d.path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return lines[d.line - 1] if 0 < d.line <= len(lines) else ""


def error_block(root: Path, diagnostics: list[Diagnostic]) -> str:
    errors = [d for d in diagnostics if d.level == "error"]
    items = []
    for d in errors:
        line = source_line(root, d)
        shown = f'<pre style="{_PRE}"><code>{d.line} | {escape(line)}</code></pre>' if line.strip() else ""
        items.append(f"<li><code>{escape(str(d))}</code>{shown}</li>")
    count = f"{len(errors)} error" + ("" if len(errors) == 1 else "s")
    return (f'<div class="preview-errors" role="alert" data-pagefind-ignore="all" style="{_BOX}">'
            f'<p style="margin:.2rem 0;font-weight:700">Preview: the sources have {count}. '
            f"This is the last good build; fix and save, and the page comes back by itself.</p>"
            f'<ol style="margin:.4rem 0 0">{"".join(items)}</ol></div>\n')
