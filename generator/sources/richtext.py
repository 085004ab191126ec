"""The few inline tags a bibliographic field may carry (Zotero's rich text: <i>, <b>, <sup>, <sub>).

Everything else in a field is text. One list, used where fields become plain
text (checks, JSON-LD) and where formatted references become HTML.
"""
from __future__ import annotations

import re

RICH_TAGS = ("i", "b", "sup", "sub")
_TAG = re.compile("</?(?:" + "|".join(RICH_TAGS) + ")>")


def plain_text(value: str) -> str:
    """A field as plain text: the rich-text tags dropped, nothing else touched."""
    return _TAG.sub("", value)


def restore_tags(text: str, lt: str, gt: str) -> str:
    """Turn exact rich-text tags written with stand-ins `lt`/`gt` back into markup.

    Only the bare tags in RICH_TAGS qualify; anything with attributes stays text."""
    for tag in RICH_TAGS:
        for t in (tag, "/" + tag):
            text = text.replace(f"{lt}{t}{gt}", f"<{t}>")
    return text
