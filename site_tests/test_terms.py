"""Markdown in, HTML out: the term extension, rule by rule."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import markdown
import pytest
from mdcase import assert_renders

from generator.markdown.glossary import Glossary
from generator.markdown.terms import TermsExtension
from generator.model import Location, Term
from generator.model.tiers import TIERS


def term(slug: str, name: str, level: str = "academic", aliases: tuple[str, ...] = (), short: str = "") -> Term:
    return Term(slug=slug, term=name, aliases=list(aliases), short=short or f"Short {slug}.", definition="",
                level=level, related=[], sources=[], agent=None, loc=Location(Path(f"glossary/{slug}.yml"), 1))


GLOSSARY = Glossary.from_terms({t.slug: t for t in [
    term("hormone", "hormone", "fundamentals"),
    term("hpg-axis", "HPG axis", "intermediate", ("hypothalamic-pituitary-gonadal axis",)),
    term("testosterone", "testosterone", "fundamentals"),
    term("trt", "testosterone replacement therapy", "academic", ("TRT",)),
    term("ghrh-analogue", "GHRH analog", "academic", ("GHRH analogue",)),
    term("ghs-r", "GHS-R", "academic"),
]})


def convert(text: str, **config: object) -> str:
    ext = TermsExtension(glossary=GLOSSARY, glossary_url="glossary/", **config)
    return markdown.markdown(dedent(text).strip(), extensions=["tables", "attr_list", "fenced_code", ext])


def a(slug: str, text: str, href: str | None = None) -> str:
    """An annotated term: a link to its glossary page; the tooltip text is read from the term's
    own file (render/urls.py: TIP_FILE), never written into the page."""
    return f'<a class="term" data-term="{slug}" href="{href or f"/glossary/{slug}/"}">{text}</a>'



CASES = [
    ("plain match", "A hormone acts.", f"<p>A {a('hormone', 'hormone')} acts.</p>", {}),
    ("case-insensitive", "HORMONE and Hormone.", f"<p>{a('hormone', 'HORMONE')} and Hormone.</p>", {}),
    ("plural -s", "Two hormones.", f"<p>Two {a('hormone', 'hormones')}.</p>", {}),
    ("plural axis/axes", "Both HPG axes.", f"<p>Both {a('hpg-axis', 'HPG axes')}.</p>", {"tier": "intermediate"}),
    ("plural analog/analogs", "Two GHRH analogs.", f"<p>Two {a('ghrh-analogue', 'GHRH analogs')}.</p>", {}),
    ("alias", "The hypothalamic-pituitary-gonadal axis.",
     f"<p>The {a('hpg-axis', 'hypothalamic-pituitary-gonadal axis')}.</p>", {}),
    ("longest match wins", "Testosterone replacement therapy is TRT.",
     f"<p>{a('trt', 'Testosterone replacement therapy')} is TRT.</p>", {"tier": "academic"}),
    ("word boundaries", "A prohormone, hormonex.", "<p>A prohormone, hormonex.</p>", {}),
    ("shorter name when the longest runs into a word", "testosterone replacement therapyx",
     f"<p>{a('testosterone', 'testosterone')} replacement therapyx</p>", {}),
    ("hyphen and space are the same", "The HPG-axis.", f"<p>The {a('hpg-axis', 'HPG-axis')}.</p>", {"tier": "intermediate"}),
    ("first use only", "hormone, hormone.", f"<p>{a('hormone', 'hormone')}, hormone.</p>", {}),
    ("every use when configured", "hormone, hormone.",
     f"<p>{a('hormone', 'hormone')}, {a('hormone', 'hormone')}.</p>", {"first_only": False}),
    ("not in headings", "# A hormone\n\nhormone", f'<h1>A hormone</h1>\n<p>{a("hormone", "hormone")}</p>', {}),
    ("not in links", "[hormone](x) hormone", f'<p><a href="x">hormone</a> {a("hormone", "hormone")}</p>', {}),
    ("not in code", "`hormone` hormone", f"<p><code>hormone</code> {a('hormone', 'hormone')}</p>", {}),
    ("not in code blocks", "```\nhormone\n```\n\nend", "<pre><code>hormone\n</code></pre>\n<p>end</p>", {}),
    ("not in abbr", '<abbr title="x">hormone</abbr> text', '<p><abbr title="x">hormone</abbr> text</p>', {}),
    ("not in reference list", '<ol class="references" markdown="1"><li>hormone</li></ol>',
     '<ol class="references" markdown="1"><li>hormone</li></ol>', {}),
    ("not in raw inline link", '<a href="x">hormone</a> hormone',
     f'<p><a href="x">hormone</a> {a("hormone", "hormone")}</p>', {}),
    ("never inside attribute lists", '[link](x){ .c data-x="hormone" } hormone',
     f'<p><a class="c" data-x="hormone" href="x">link</a> {a("hormone", "hormone")}</p>', {}),
    ("inside emphasis", "*a hormone*", f"<p><em>a {a('hormone', 'hormone')}</em></p>", {}),
    ("tier gating: fundamentals term on an intermediate page", "hormone", "<p>hormone</p>", {"tier": "intermediate"}),
    ("tier gating: intermediate term on an intermediate page", "HPG axis",
     f"<p>{a('hpg-axis', 'HPG axis')}</p>", {"tier": "intermediate"}),
    ("tier gating: intermediate term on an academic page", "HPG axis", "<p>HPG axis</p>", {"tier": "academic"}),
    ("academic term everywhere", "GHS-R", f"<p>{a('ghs-r', 'GHS-R')}</p>", {"tier": "academic"}),
    ("own page is not annotated", "hormone testosterone",
     f"<p>hormone {a('testosterone', 'testosterone')}</p>", {"own_term": "hormone"}),
    ("page marker sets tier and relative links", "<!-- tiered: tier=academic url=topics/x/academic/ -->\nGHS-R",
     f"<p>{a('ghs-r', 'GHS-R', href='../../../glossary/ghs-r/')}</p>", {}),
    ("defined here: no tooltip for that term anywhere on the page",
     "A hormone is a messenger. *Hormones*{.dfn} are chemical messengers. The testosterone hormone.",
     f"<p>A hormone is a messenger. <dfn>Hormones</dfn> are chemical messengers. The "
     f"{a('testosterone', 'testosterone')} hormone.</p>", {}),
    ("defined here keeps other classes", "*hormone*{.dfn .x}", '<p><dfn class="x">hormone</dfn></p>', {}),
    ("defined here without a glossary term is just a dfn", "*widget*{.dfn} and hormone",
     f"<p><dfn>widget</dfn> and {a('hormone', 'hormone')}</p>", {}),
    ("table cells", "| a |\n|---|\n| hormone |",
     f"<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>{a('hormone', 'hormone')}</td>\n</tr>\n</tbody>\n</table>", {}),
]


@pytest.mark.parametrize("name, source, expected, config", CASES, ids=[c[0] for c in CASES])
def test_terms(name: str, source: str, expected: str, config: dict) -> None:
    assert_renders(convert(source, **config), expected)


def test_same_html_from_plain_markdown_and_from_folder(tmp_path: Path) -> None:
    (tmp_path / "hormone.yml").write_text("term: hormone\nshort: A messenger.\nlevel: fundamentals\n")
    html = markdown.markdown("Hormones work.", extensions=["generator.markdown.terms"],
                             extension_configs={"generator.markdown.terms": {"glossary": str(tmp_path)}})
    assert 'data-term="hormone"' in html and ">Hormones</a>" in html


def test_a_rendered_trees_glossary_index_annotates_as_the_folder_does(tmp_path: Path, monkeypatch) -> None:
    """`render` and the preview point the extension at one index file (names and levels), so a
    page costs one stat, not a scan of every term file; the pages come out the same."""
    from generator.markdown import glossary as glossary_module
    from generator.markdown.glossary import index_json, load_glossary

    folder = tmp_path / "glossary"
    folder.mkdir()
    for t in GLOSSARY.terms.values():
        (folder / f"{t.slug}.yml").write_text(
            f"term: {t.term}\nshort: {t.short}\nlevel: {t.level}\n" + (f"aliases: {t.aliases}\n" if t.aliases else ""))
    index = tmp_path / "glossary-index.json"
    index.write_text(index_json(load_glossary(folder).terms))
    text = "The HPG axis and testosterone replacement therapy (TRT) raise hormones; GHRH analogs and GHS-R."
    page = {tier: markdown.markdown(text, extensions=[TermsExtension(glossary=str(folder), tier=tier)]) for tier in TIERS}
    monkeypatch.setattr(glossary_module, "folder_key", lambda *a: pytest.fail("the folder was scanned"))
    for tier in TIERS:
        assert markdown.markdown(text, extensions=[TermsExtension(glossary=str(index), tier=tier)]) == page[tier]
    import re
    assert len({slug for html in page.values() for slug in re.findall(r'data-term="([^"]+)"', html)}) >= 4


def test_the_definition_is_not_in_the_page() -> None:
    g = Glossary.from_terms({"x": term("x", "xeno", "academic", short='"><script>alert(1)</script> Xeno means strange.')})
    html = markdown.markdown("xeno", extensions=[TermsExtension(glossary=g)])
    assert html == '<p><a class="term" data-term="x" href="/glossary/x/">xeno</a></p>'  # nothing of `short`


@pytest.mark.parametrize("reset", [True, False], ids=["Markdown.reset between pages", "no reset"])
def test_one_markdown_instance_converts_page_after_page(reset: bool) -> None:
    """Engines may keep one Markdown instance for many pages: each page gets its own marker
    facts and its own annotations, whether or not the engine resets the instance between them."""
    md = markdown.Markdown(extensions=[TermsExtension(glossary=GLOSSARY, glossary_url="glossary/")])
    first = md.convert("<!-- tiered: tier=academic url=topics/a/academic/ -->\nThe GHS-R and TRT.")
    if reset:
        md.reset()
    second = md.convert("<!-- tiered: tier=fundamentals url=glossary/hormone/ term=hormone -->\nA hormone, "
                        "testosterone and TRT.")
    assert_renders(first, f"<p>The {a('ghs-r', 'GHS-R', '../../../glossary/ghs-r/')} and "
                          f"{a('trt', 'TRT', '../../../glossary/trt/')}.</p>")
    # Its own term is not linked; the first page's terms are linked again on this one.
    assert_renders(second, f"<p>A hormone, {a('testosterone', 'testosterone', '../testosterone/')} and "
                           f"{a('trt', 'TRT', '../trt/')}.</p>")
