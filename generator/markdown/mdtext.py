"""Data fields inside generated Markdown: as literal text, or as restricted Markdown.

Data (glossary, protocols, review records) comes from many authors. It may use
Markdown formatting and links to http(s), mailto and site-relative targets;
never raw HTML or attribute lists. `md_text` and `md_block` make that so when
data is written into a page; `data_link_problems` checks link targets when the
data is loaded, so a bad link is an error at its line rather than a silent drop.
"""
from __future__ import annotations

import re
from typing import Any

import markdown
from selectolax.lexbor import LexborHTMLParser

from generator.markdown.allowlist import url_allowed

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()!|<>&])")
# Characters that only mean something at the start of a line (headings, lists, quotes).
_MD_LINE_START = re.compile(r"([#+-]|\d+(?=\.))")


def md_text(value: Any) -> str:
    """Data as literal text inside Markdown: no markup, no HTML, no emphasis.

    Hyphens and full stops inside the text stay as they are: escaping them would put
    placeholders inside names such as "hypothalamic-pituitary-gonadal axis", which
    term matching must see whole."""
    text = " ".join(str(value).split())
    text = _MD_SPECIAL.sub(lambda m: {"<": "&lt;", ">": "&gt;", "&": "&amp;"}.get(m.group(1), "\\" + m.group(1)), text)
    m = _MD_LINE_START.match(text)
    if m:
        end = m.end()
        text = (text[:end] + "\\" + text[end:]) if m.group(1)[0].isdigit() and end < len(text) else "\\" + text
    return text


def md_block(value: Any) -> str:
    """Data that is Markdown (a definition): formatting and links allowed; raw HTML shown as
    text, and braces escaped so no attribute list ({: onclick=…}) can form. Link targets are
    checked when the data is loaded (`data_link_problems`)."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("{", "\\{").replace("}", "\\}").strip()



def data_link_problems(value: str) -> list[str]:
    """Link and image targets in a Markdown data field that are not allowed."""
    if "](" not in value and "]:" not in value:
        return []
    html = markdown.markdown(md_block(value))
    tree = LexborHTMLParser(html)
    targets = [n.attributes.get("href") or "" for n in tree.css("a[href]")]
    targets += [n.attributes.get("src") or "" for n in tree.css("img[src]")]
    return [t for t in targets if not url_allowed(t)]
