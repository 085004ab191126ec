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


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def headline(diagnostics: list[Diagnostic], strict: bool = True) -> tuple[list[Diagnostic], str]:
    """What fails the gate (errors; warnings too when strict: the same rule as `build` and
    `check`, checks.failing) and the sentence that introduces them."""
    shown = [d for d in diagnostics if d.level == "error" or (strict and d.level == "warning")]
    errors = sum(d.level == "error" for d in shown)
    warnings = len(shown) - errors
    counted = " and ".join(c for c in (_count(errors, "error") if errors else "",
                                        _count(warnings, "warning") if warnings else "") if c)
    if errors:
        return shown, (f"Preview: the sources have {counted}. This is the last good build; fix and save, "
                       "and the page comes back by itself.")
    return shown, (f"Preview: the sources have {counted}. The site is strict, so `build` and `check` "
                   "fail on these until they are fixed.")


def error_block(root: Path, diagnostics: list[Diagnostic], strict: bool = True) -> str:
    shown, title = headline(diagnostics, strict)
    items = []
    for d in shown:
        line = source_line(root, d)
        code = f'<pre style="{_PRE}"><code>{d.line} | {escape(line)}</code></pre>' if line.strip() else ""
        items.append(f"<li><code>{escape(str(d))}</code>{code}</li>")
    return (f'<div class="preview-errors" role="alert" data-pagefind-ignore="all" style="{_BOX}">'
            f'<p style="margin:.2rem 0;font-weight:700">{escape(title)}</p>'
            f'<ol style="margin:.4rem 0 0">{"".join(items)}</ol></div>\n')


def _css_string(text: str) -> str:
    """`text` as a CSS string: quotes and backslashes escaped, line breaks as CSS's \\A, and any
    other control or markup-relevant character as an escape, so no data can end the rule."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append("\\A ")
        elif ch.isalnum() or ch in " .,:;'()[]-_/|=+*?!@#$%^&~`":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'


def error_css(diagnostics: list[Diagnostic], strict: bool = True) -> str:
    """The same problems as a stylesheet, for a browser that runs no script: the text comes before
    the page's article, as generated content. The script's richer box, where it runs, replaces it
    (the `preview-js` class)."""
    shown, title = headline(diagnostics, strict)
    if not shown:
        return ""
    text = "\n".join([title, *(str(d) for d in shown)])
    return ("html:not(.preview-js) article::before {"
            f"content: {_css_string(text)}; display: block; white-space: pre-wrap; {_BOX}; font-weight: 400}}\n")
