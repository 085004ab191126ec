"""Author HTML never speaks for the theme: every component name and element id that Material's
(and, where installed, Zensical's) own templates and scripts use is removed from page content.

The names are read from the installed theme, not listed here, so a theme update that adds a
component is covered without editing this test."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from generator.markdown.allowlist import clean_html, reserved_attribute

COMPONENT = re.compile(r"""data-md-component=["']?([a-z][a-z-]*)""")
THEME_ID = re.compile(r"""\bid=["']((?:__|md-)[A-Za-z0-9_-]+)""")


def _theme_files() -> list[Path]:
    files: list[Path] = []
    for package in ("material", "zensical"):
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        for base in spec.submodule_search_locations:
            files += [p for p in Path(base).rglob("*") if p.suffix in (".html", ".js") and p.is_file()]
    return files


def _names() -> tuple[set[str], set[str]]:
    components: set[str] = set()
    ids: set[str] = set()
    for path in _theme_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        components.update(COMPONENT.findall(text))
        ids.update(THEME_ID.findall(text))
    return components, ids


COMPONENTS, IDS = _names()


def test_the_theme_lists_are_read_from_the_installed_theme() -> None:
    # Material 9 names some 30 components; an empty list would make the tests below vacuous.
    assert {"source", "announce", "search", "header", "content", "sidebar", "toc"} <= COMPONENTS
    assert {"__config", "__drawer", "__search", "__toc"} <= IDS, IDS


@pytest.mark.parametrize("name", sorted(COMPONENTS))
def test_an_author_element_cannot_claim_a_theme_component(name: str) -> None:
    html = clean_html(f'<p data-md-component="{name}" data-md-state="lock" data-note="kept">text</p>')
    assert html == '<p data-note="kept">text</p>'


@pytest.mark.parametrize("html, expected", [
    # The theme alone says what the search indexes and what a result is called.
    ('<div data-pagefind-body data-note="kept">t</div>', '<div data-note="kept">t</div>'),
    ('<span data-pagefind-meta="title:Fake result">t</span>', '<span>t</span>'),
    ('<span data-pagefind-meta="rank[data-value]" data-value="99">t</span>', '<span data-value="99">t</span>'),
    ('<p data-pagefind-filter="kind:topic" data-pagefind-weight="10">t</p>', '<p>t</p>'),
    ('<p DATA-PAGEFIND-BODY>t</p>', '<p>t</p>'),
    # ...but content may leave itself out of the index.
    ('<p data-pagefind-ignore="all">t</p>', '<p data-pagefind-ignore="all">t</p>'),
])
def test_an_author_element_cannot_steer_the_search_index(html: str, expected: str) -> None:
    assert clean_html(html) == expected


@pytest.mark.parametrize("ident", sorted(IDS))
def test_an_author_element_cannot_take_a_theme_id(ident: str) -> None:
    assert clean_html(f'<div id="{ident}" class="x">text</div>') == '<div class="x">text</div>'
    assert clean_html(f'<label for="{ident}">l</label><a aria-controls="{ident}" href="#a">a</a>') \
        == '<label>l</label><a href="#a">a</a>'


@pytest.mark.parametrize("html, expected", [
    # Material's content tabs and task lists, as pymdownx writes them, survive; their ids are the
    # one use of the theme's "__" prefix content may make, and only in that exact form.
    ('<input checked="checked" id="__tabbed_1_1" name="__tabbed_1" type="radio"><label for="__tabbed_1_1">A</label>',
     '<input checked="checked" id="__tabbed_1_1" name="__tabbed_1" type="radio"><label for="__tabbed_1_1">A</label>'),
    ('<input type="checkbox" disabled checked> done', '<input type="checkbox" disabled="" checked=""> done'),
    ('<input id="__tabbed_1_1x" type="radio"><label for="__tabbed_search">A</label>',
     '<input type="radio"><label>A</label>'),
    # any other input is a field an author could dress up as a login form: gone
    ('<input type="text" name="password"><input type="image" src="x"><input>', ''),
    # icons: shapes and colours; never a url() to another document, a script or a link
    ('<svg viewBox="0 0 24 24"><path d="M1 1z" fill="currentColor"/></svg>',
     '<svg viewBox="0 0 24 24"><path d="M1 1z" fill="currentColor"></path></svg>'),
    ('<svg><path d="M1 1z" fill="url(https://evil.example/x)"/><use href="#a"/><script>x</script></svg>',
     '<svg><path d="M1 1z"></path></svg>'),
])
def test_tabs_task_lists_and_icons_keep_what_they_need_and_nothing_more(html: str, expected: str) -> None:
    assert clean_html(html) == expected


@pytest.mark.parametrize("ident", ["term-def-hormone", "tiered-tooltip", "__CONFIG", "MD-sidebar"])
def test_our_scripts_ids_are_reserved_too(ident: str) -> None:
    assert reserved_attribute("id", ident)
    assert clean_html(f'<span id="{ident}">t</span>') == "<span>t</span>"


@pytest.mark.parametrize("html", [
    '<h2 id="dosing">Dosing</h2>', '<p data-tier="fundamentals">x</p>', '<sup id="fnref:1">1</sup>',
    '<a aria-describedby="ref-bhasin2018" href="#ref-bhasin2018">1</a>',
])
def test_ordinary_ids_and_data_attributes_stay(html: str) -> None:
    assert clean_html(html) == html
