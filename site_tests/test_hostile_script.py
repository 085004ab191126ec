"""Script injection: every payload in payloads/script is either refused at path:line or built inert.

The corpus is data (payloads/script/payloads.yml); a new payload is one line.
Each payload would call window.__pwned() if it ran; a real browser loads every
page built from the corpus and the test fails if any page calls it.
"""
from __future__ import annotations

import functools
import http.server
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import local_server
from miniproject import FILES, make_project
from selectolax.lexbor import LexborHTMLParser

from generator.config import load_project
from generator.engines.sitebuild import build_tree
from generator.errors import SourceError
from generator.pipeline import prepare

CORPUS: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "payloads/script/payloads.yml").read_text())
TOPIC_PATH = "content/topics/fixture-topic.md"


def _yaml_str(text: str) -> str:
    return yaml.safe_dump(text, default_style='"', width=10_000).strip().removesuffix("\n...")


def place(where: str, payload: str, files: dict[str, str]) -> None:
    """Put one payload into the fixture's sources, where an author or an export could."""
    topic, term, medicine = files[TOPIC_PATH], files["glossary/hormone.yml"], files["glossary/medicine-x.yml"]
    if where == "topic-title":
        files[TOPIC_PATH] = topic.replace("title: A fixture topic", f"title: {_yaml_str('Topic ' + payload)}")
    elif where == "topic-summary":
        files[TOPIC_PATH] = topic.replace("summary: A short topic used by the tests.", f"summary: {_yaml_str(payload)}")
    elif where == "topic-body":
        files[TOPIC_PATH] = topic.replace("Read this slowly.", f"Read this slowly.\n\n{payload}\n")
    elif where == "glossary-definition":
        files["glossary/hormone.yml"] = term.replace("definition: |\n  Made by glands and carried in the blood.\n",
                                                     "definition: |\n  " + payload.replace("\n", "\n  ") + "\n")
    elif where == "glossary-short":
        files["glossary/hormone.yml"] = term.replace("short: A chemical messenger carried in the blood.",
                                                     f"short: {_yaml_str(payload)}")
    elif where == "glossary-term":
        files["glossary/medicine-x.yml"] = medicine.replace("term: medicine X", f"term: {_yaml_str(payload)}")
    elif where == "protocol-field":
        files["content/protocols/fixture-protocol.yml"] = files["content/protocols/fixture-protocol.yml"].replace(
            "role: Placeholder", f"role: {_yaml_str(payload)}")
    elif where == "bib-title":
        files["content/references.bib"] = files["content/references.bib"].replace(
            "title = {A trial of medicine X}", "title = {A trial " + payload + "}")
    else:
        raise AssertionError(f"unknown place {where!r} in payloads.yml")


def files_with(*items: dict[str, Any]) -> dict[str, str]:
    files = {k: v for k, v in FILES.items()}
    for item in items:
        place(item["where"], item["payload"], files)
    return files


REFUSED = [p for p in CORPUS if p["expect"] == "error"]
INERT = [p for p in CORPUS if p["expect"] == "clean"]


@pytest.mark.parametrize("item", REFUSED, ids=[f"{p['where']}:{p['payload'][:30]}" for p in REFUSED])
def test_refused_payloads_are_path_line_errors(tmp_path: Path, item: dict[str, Any]) -> None:
    root = make_project(tmp_path, files_with(item))  # type: ignore[arg-type]
    with pytest.raises(SourceError) as caught:
        prepare(load_project(root))
    lines = [str(d) for d in caught.value.diagnostics]
    assert lines and all(":" in line.split(": error: ")[0] for line in lines), lines
    assert all(line.split(":")[1].isdigit() and int(line.split(":")[1]) > 0 for line in lines), lines


@pytest.fixture(scope="module")
def inert_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("inert"), files_with(*INERT))  # type: ignore[arg-type]
    # Built past the gate: payloads such as <a href="#x"> link to anchors that do not exist, and
    # `build` rightly fails on broken links. What is tested is the HTML the engine makes of them.
    project = load_project(root)
    return build_tree(project, prepare(project), root / "tree", strict=False)


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_no_page_carries_script_handlers_or_javascript_urls(inert_site: Path) -> None:
    for path in _pages(inert_site):
        tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
        article = tree.css_first("article") or tree.body
        assert article is not None
        for node in article.css("*"):
            # An icon's <svg> may stay (shapes only); what can run or reach elsewhere may not.
            assert node.tag not in ("script", "iframe", "object", "embed", "form", "use", "foreignobject",
                                    "animate", "set", "image"), (path, node.html)
            if node.tag == "input":
                assert node.attributes.get("type") in ("radio", "checkbox"), (path, node.html)
            for name, value in node.attributes.items():
                assert not name.lower().startswith("on"), (path, node.html)
                assert "javascript:" not in (value or "").lower().replace("\t", ""), (path, node.html)
                if name == "style":
                    assert "position" not in (value or ""), (path, node.html)
        nav = tree.css_first("nav.md-nav")
        if nav is not None:
            assert not nav.css("img"), f"a title became markup in the sidebar of {path}"


@pytest.mark.browser
def test_no_payload_runs_in_a_browser(inert_site: Path, browser) -> None:  # type: ignore[no-untyped-def]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(inert_site))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined,assignment]
    server, address = local_server(handler)
    base = address + "/"
    ran: list[str] = []
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.expose_function("__pwned", lambda name: ran.append(str(name)))
    page = context.new_page()
    page.on("dialog", lambda d: (ran.append("dialog"), d.dismiss()))
    try:
        for path in _pages(inert_site):
            url = base + path.relative_to(inert_site).as_posix()
            page.goto(url, wait_until="load")
            # Hover and focus everything a payload could hang a handler on (a title the
            # theme's tooltips would render, a component the theme would wire up): the pointer
            # and focus events of a real hover, dispatched on every such element in one call,
            # then a real hover and focus of the first few, as a reader's pointer gives them.
            page.evaluate("""() => document.querySelectorAll('article p, article a, article details, article span')
                .forEach(el => {
                    for (const type of ['pointerover', 'pointerenter', 'mouseover', 'mouseenter', 'mousemove'])
                        el.dispatchEvent(new MouseEvent(type, {bubbles: !type.endsWith('enter'), view: window}));
                    if (el.focus) el.focus();
                })""")
            for el in page.query_selector_all("article p, article a, article details")[:5]:
                if el.is_visible():
                    el.hover()
                    el.focus()
            page.wait_for_load_state("load")
            # The theme's settings and components are its own, never an author's element.
            theirs = page.evaluate("""() => ({
                config: (document.getElementById('__config') || {}).tagName || null,
                authored: Array.from(document.querySelectorAll(
                    'article [data-md-component], article [id^="__"], article [id^="md-"], '
                    + 'article [id^="term-def-"], article [id^="tiered-"]'))
                    .filter(n => !n.closest('.term-defs'))
                    // Zensical's own skip-link target, the article's first child (the theme's)
                    .filter(n => !(n.id === '__skip' && n === n.parentElement.firstElementChild
                                   && n.parentElement.matches('article.md-content__inner')))
                    .map(n => n.outerHTML),
            })""")
            assert theirs["config"] in (None, "SCRIPT"), (url, theirs)
            assert theirs["authored"] == [], (url, theirs)
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert ran == []


def test_the_sidebar_shows_an_html_title_as_text(inert_site: Path) -> None:
    html = (inert_site / "index.html").read_text(encoding="utf-8")
    assert "Topic &lt;img src=x onerror" in html
