"""What page HTML may contain: one allow-list, applied to every page on every engine.

Topic Markdown comes from many authors' pull requests and is built by CI
with deploy credentials, so a page's HTML is cleaned by ammonia (through
`nh3`) after Markdown has run: only the elements, attributes and URL schemes
below survive. Script, event handlers, `javascript:` URLs, forms, frames
and styles other than table alignment are removed. The same URL rule decides
which links data fields (glossary definitions) may carry.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3

_CONTROL = re.compile(r"[\x00-\x20\x7f]")
# tel: and sms: matter on a health site ("Call 999"); ftp: is still how some archives publish.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "sms", "ftp"})

TAGS = frozenset({
    "a", "abbr", "article", "aside", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "tr", "u", "ul", "var",
    # Material's content tabs (radio inputs and their labels) and task lists (disabled checkboxes).
    "input", "label",
    # Icons (pymdownx.emoji's inline SVG): shapes only; no <use>, <a>, <script>, <foreignObject>,
    # <animate> or <set>, which can reach other documents or rewrite a link.
    "svg", "g", "path", "circle", "ellipse", "line", "polygon", "polyline", "rect", "title",
})
GENERIC = {"class", "id", "title", "role", "hidden", "lang", "dir", "tabindex"}
ATTRIBUTES = {
    "*": GENERIC,
    "a": {"href", "hreflang", "rel", "target"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "style", "align"},
    "th": {"colspan", "rowspan", "style", "align", "scope"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "details": {"open"},
    "col": {"span"},
    "colgroup": {"span"},
    "input": {"type", "name", "checked", "disabled"},
    "label": {"for"},
    "svg": {"xmlns", "viewBox", "width", "height", "fill", "stroke", "stroke-width"},
    **{shape: {"d", "fill", "fill-rule", "clip-rule", "stroke", "stroke-width", "stroke-linecap",
               "stroke-linejoin", "opacity", "transform", "cx", "cy", "r", "rx", "ry", "x", "y", "x1", "y1",
               "x2", "y2", "width", "height", "points"}
       for shape in ("g", "path", "circle", "ellipse", "line", "polygon", "polyline", "rect")},
}
# Only these inputs: a content tab's radio button, a task list's checkbox. Any other would be a
# text field an author could dress up as a login form.
INPUT_TYPES = frozenset({"radio", "checkbox"})
# Python-Markdown's content tabs name their inputs `__tabbed_<set>_<tab>`: the one use of the
# theme's "__" prefix that page content may make.
_TABBED = re.compile(r"__tabbed_\d{1,6}(?:_\d{1,6})?")
# SVG paint and geometry: colours, numbers and transforms, never a url(...) to another document.
_SVG_VALUE = re.compile(r"[#\w\s.,%()+-]*")
_SVG_VALUED = frozenset({"fill", "stroke", "transform", "d", "points"})
SVG_ELEMENTS = frozenset({"svg", "g", "path", "circle", "ellipse", "line", "polygon", "polyline", "rect"})
_INPUT = re.compile(r"<input\b[^<>]*>")
# Python-Markdown's tables write alignment as style="text-align: …"; nothing else may style.
STYLE_PROPERTIES = frozenset({"text-align"})

# Names the theme's and our own scripts look up in the page. An author's element carrying one
# would be taken for theirs: Material's `data-md-component="source"` fetches the link's server
# and inserts its answer as HTML, and a `<div id="__config">` replaces the theme's settings.
# Material and Zensical name their components `data-md-*` and their own elements `__…` or
# `md-…`; tooltips.js names its elements `tiered-…` and `term-def-…`. The theme alone says what
# the search indexes and what a result is called (`data-pagefind-body`, `-meta`, `-filter`,
# `-weight`); content may only leave itself out of the index (`data-pagefind-ignore`).
RESERVED_DATA_PREFIXES = ("data-md-", "data-pagefind-")
ALLOWED_RESERVED = frozenset({"data-pagefind-ignore"})
RESERVED_ID_PREFIXES = ("__", "md-", "tiered-", "term-def-")
# Attributes whose value names an element by id: a reserved name there is refused too.
_ID_REFERENCES = frozenset({"id", "for", "aria-describedby", "aria-labelledby", "aria-controls", "aria-owns"})


def reserved_attribute(name: str, value: str) -> bool:
    """Whether an attribute in page content would speak for the theme or the site's scripts."""
    name = name.lower()
    if name.startswith(RESERVED_DATA_PREFIXES) and name not in ALLOWED_RESERVED:
        return True
    if name in _ID_REFERENCES:
        return any(token.lower().startswith(RESERVED_ID_PREFIXES) and not _TABBED.fullmatch(token)
                   for token in value.split())
    return False


def attribute_allowed(element: str, name: str, value: str) -> bool:
    """The value rules the tables above cannot say: reserved names, input types, SVG values."""
    if reserved_attribute(name, value):
        return False
    if element == "input" and name == "type":
        return value.lower() in INPUT_TYPES
    if element == "input" and name == "name":
        return bool(_TABBED.fullmatch(value))
    if name in _SVG_VALUED and element in SVG_ELEMENTS:
        return "url" not in value.lower() and bool(_SVG_VALUE.fullmatch(value))
    return True


def _attribute_filter(element: str, name: str, value: str) -> str | None:
    return value if attribute_allowed(element, name, value) else None


def _typed_inputs(html: str) -> str:
    """Drop every <input> left without an allowed type (its type was refused, or never given)."""
    return _INPUT.sub(lambda m: m.group(0) if re.search(r'\stype="(?:radio|checkbox)"', m.group(0)) else "", html)


def clean_html(html: str) -> str:
    """Page HTML reduced to the allow-list."""
    cleaned = nh3.clean(
        html, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        generic_attribute_prefixes={"aria-", "data-"}, url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES), link_rel=None, strip_comments=True,
        attribute_filter=_attribute_filter,
    )
    return _typed_inputs(cleaned) if "<input" in cleaned else cleaned


def url_allowed(url: str) -> bool:
    """One of URL_SCHEMES, or a link within the site (relative, or a #fragment)."""
    text = _CONTROL.sub("", url)  # browsers drop spaces and control characters around and in schemes
    try:
        scheme = urlsplit(text).scheme
    except ValueError:
        return False
    return scheme == "" and not text.startswith("//") or scheme.lower() in URL_SCHEMES
