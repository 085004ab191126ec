"""Sources in, HTML out: status badges, safety markers and the help callouts, as built pages show them."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from miniproject import FILES, make_project
from selectolax.lexbor import LexborHTMLParser

MEDICINE_Y = """\
term: medicine Y
short: A second made-up medicine.
level: academic
agent:
  class: test peptide
  mechanism: Does nothing either.
  routes: [subcutaneous injection]
  no_approval:
    text: No regulator has approved it.
    as_of: 2020-05-01
    sources: [jones2020]
  compounding:
    text: Sold only by compounding pharmacies.
    as_of: 2020-05-01
    sources: [jones2020]
  safety:
    - kind: pregnancy
      text: Do not use it if you could be pregnant.
      applies_to: [women]
      sources: [jones2020]
"""

# A topic written for men: a warning that concerns only women is folded on it, not left out.
MENS_TOPIC = """\
---
title: A topic for men
summary: A topic whose readers are men.
population: [men]
protocols: [fixture-protocol]
urgent: [you faint or have chest pain.]
see_clinician: [the medicine upsets your stomach for more than a week.]
---
# Fundamentals

A hormone is a messenger.

# Intermediate

The level is checked [@smith2019].

# Academic

## Evidence

One trial [@jones2020].
"""

PROTOCOL = """\
name: Fixture protocol
audience: Nobody.
goal: To be rendered.
agents:
  - agent: medicine-x
    role: Labelled use
    route: oral tablet
    indication: fixture disease
    population: adults
    choose: form
    frequency: daily
    sources:
      - key: smith2019
        locator: Table 2
        supports: One tablet daily was the <b>studied</b> schedule.
  - agent: medicine-x
    role: Another use
    route: oral tablet
    indication: another disease
    population: adults
    choose: form
    frequency: twice daily
    sources: [smith2019]
  - agent: medicine-x
    role: Override
    route: oral tablet
    indication: fixture disease
    population: adults
    status: not-approved
    status_reason: the tablets used here are <script>imported</script> *unlicensed* copies
    sources: [smith2019]
  - agent: medicine-y
    optional: true
    role: Research peptide
    route: subcutaneous injection
    indication: fixture disease
    population: adults
    sources: [jones2020]
monitoring:
  - Nothing.
sources: [jones2020]
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("safety"), {
        "glossary/medicine-y.yml": MEDICINE_Y, "content/protocols/fixture-protocol.yml": PROTOCOL,
        "content/topics/mens-topic.md": MENS_TOPIC})
    assert run_cli(root, "build", "--no-strict") == 0  # its fixtures warn on purpose
    return root / "site"


def html(site: Path, page: str, selector: str) -> list[str]:
    tree = LexborHTMLParser((site / page / "index.html").read_text(encoding="utf-8"))
    return [node.html for node in tree.css(selector)]


def test_each_row_shows_its_derived_badge_and_marker(site: Path) -> None:
    cells = html(site, "protocols/fixture-protocol", ".protocol-table tbody td:first-child")
    assert cells == [
        '<td><a href="../../glossary/medicine-x/">medicine X</a> <span class="choose-one">choose one: form</span>'
        '<br><span class="badge badge-approved">US FDA: approved for this use</span> '
        '<a class="safety-marker" href="../../glossary/medicine-x/#safety">⚠ Boxed warning</a></td>',
        '<td><a href="../../glossary/medicine-x/">medicine X</a> <span class="choose-one">choose one: form</span>'
        '<br><span class="badge badge-off-label">US FDA: off-label</span> '
        '<a class="safety-marker" href="../../glossary/medicine-x/#safety">⚠ Boxed warning</a></td>',
        # An override shows its reason, as text: no markup from data reaches the page.
        '<td><a href="../../glossary/medicine-x/">medicine X</a><br><span class="badge badge-not-approved">US FDA: not approved'
        '</span> <span class="status-reason">override: the tablets used here are &lt;script&gt;imported&lt;/script&gt; '
        '*unlicensed* copies</span> <a class="safety-marker" href="../../glossary/medicine-x/#safety">⚠ Boxed warning'
        '</a></td>',
        '<td><a href="../../glossary/medicine-y/">medicine Y</a> (optional)<br><span class="badge badge-compounded">'
        'US FDA: compounded / research-only</span> <a class="safety-marker" href="../../glossary/medicine-y/#safety">'
        '⚠ Pregnancy warning</a></td>',
    ]


def test_a_schedule_shows_only_when_a_source_supports_it(site: Path) -> None:
    cells = html(site, "protocols/fixture-protocol", ".protocol-table tbody td:nth-child(3)")
    frequency = [LexborHTMLParser(c).text() for c in cells]
    assert frequency == ["How often: daily", *["How often: as prescribed; no standard schedule"] * 3]


def test_the_supporting_text_rides_with_its_citation(site: Path) -> None:
    [cell] = html(site, "protocols/fixture-protocol", ".protocol-table tbody tr:first-child td:last-child")
    assert cell == (
        '<td><span class="cell-label">Sources: </span><sup class="cite" data-pagefind-ignore="all" id="cite-1"><a aria-describedby="ref-smith2019" '
        'href="#ref-smith2019">1</a>'
        '<span class="cite-loc">(Table 2)</span></sup><span class="cite-supports" hidden="">One tablet daily was the '
        '&lt;b&gt;studied&lt;/b&gt; schedule.</span></td>')


def test_the_protocol_page_lists_every_warning_and_each_use(site: Path) -> None:
    safety = html(site, "protocols/fixture-protocol", "h2#safety ~ ul")[0]
    assert "<strong>Boxed warning:</strong> It can harm the liver." in safety
    assert [h for h in html(site, "protocols/fixture-protocol", "h3") if "safety-" in h] == [
        '<h3 id="safety-medicine-x">medicine X<a class="headerlink" href="#safety-medicine-x" title="Permanent link">'
        '¶</a></h3>',
        '<h3 id="safety-medicine-y">medicine Y<a class="headerlink" href="#safety-medicine-y" title="Permanent link">'
        '¶</a></h3>']
    uses = LexborHTMLParser(html(site, "protocols/fixture-protocol", "h2#approval-status-of-each-use ~ ul")[0]).text()
    assert "Approved only for other uses: Xeno (US; checked 1 March 2020): fixture disease, adults, oral tablet." in uses
    assert "This page marks it not approved because the tablets used here are <script>imported</script>" in uses


def test_the_term_page_groups_safety_by_kind(site: Path) -> None:
    page = (site / "glossary/medicine-y/index.html").read_text(encoding="utf-8")
    assert '<h2 id="safety">Safety' in page
    assert '<h3 id="pregnancy-and-breast-feeding">Pregnancy and breast-feeding' in page
    assert '<span class="badge badge-not-approved">US FDA: not approved</span> No regulator has approved it. (checked 1 May 2020)' in page
    assert "<strong>Compounding:</strong> Sold only by compounding pharmacies. (as of 1 May 2020)" in page


URGENT = (
    '<aside aria-label="Get emergency help now" class="callout callout-urgent no-terms" role="note">\n'
    '<p><strong>Get emergency help now if:</strong></p>\n'
    '<ul>\n<li>you faint or have chest pain.</li>\n</ul>\n'
    '<p>If you think it is an emergency, call your local emergency number now (for example 999 in the UK, 112 in '
    'the EU, 911 in the US) or go to the nearest emergency department.</p>\n'
    '</aside>')


def test_fundamentals_opens_with_emergency_signs_then_warnings_and_help(site: Path) -> None:
    asides = html(site, "topics/fixture-topic/fundamentals", "article aside.callout")
    assert asides[0] == URGENT  # first: before the label warnings and before the key points
    assert asides[1] == (
        '<aside aria-label="Before you start" class="callout callout-safety no-terms" role="note">\n'
        '<p><strong>Before you start:</strong> some medicines in this topic carry serious warnings on their labels.</p>\n'
        '<ul>\n'
        '<li><strong>medicine X:</strong> It can harm the liver. '
        '<a class="screen-only" href="../../../glossary/medicine-x/#safety">Read more</a></li>\n'
        '<li><strong>medicine Y:</strong> Do not use it if you could be pregnant. '
        '<a class="screen-only" href="../../../glossary/medicine-y/#safety">Read more</a></li>\n'
        '</ul>\n'
        '</aside>')
    assert asides[2] == (
        '<aside aria-label="When to contact a clinician" class="callout callout-help no-terms" role="note">\n'
        '<p><strong>Contact a clinician soon if:</strong></p>\n'
        '<ul>\n<li>the medicine upsets your stomach for more than a week.</li>\n</ul>\n'
        '</aside>')
    [article] = html(site, "topics/fixture-topic/fundamentals", "article")
    assert article.index("callout-urgent") < article.index("<h2")  # above the key points and the body


def test_a_warning_for_other_readers_is_folded_on_the_topic_and_shown_in_full_elsewhere(site: Path) -> None:
    [box] = html(site, "topics/mens-topic/fundamentals", "article aside.callout-safety")
    assert box == (
        '<aside aria-label="Before you start" class="callout callout-safety no-terms" role="note">\n'
        '<p><strong>Before you start:</strong> some medicines in this topic carry serious warnings on their labels.</p>\n'
        '<ul>\n'
        '<li><strong>medicine X:</strong> It can harm the liver. '
        '<a class="screen-only" href="../../../glossary/medicine-x/#safety">Read more</a></li>\n'
        '</ul>\n'
        '<details class="safety-others">\n'
        '<summary>Label warnings for other groups (1)</summary>\n'
        '<ul>\n'
        '<li><strong>medicine Y</strong> (women): Do not use it if you could be pregnant. '
        '<a class="screen-only" href="../../../glossary/medicine-y/#safety">Read more</a></li>\n'
        '</ul>\n'
        '</details>\n'
        '</aside>')
    # Wherever the product itself appears, its label warnings are all shown, whoever they concern.
    assert "Do not use it if you could be pregnant." in html(site, "glossary/medicine-y", "article")[0]
    assert "⚠ Pregnancy warning" in html(site, "protocols/fixture-protocol", ".protocol-table")[0]


@pytest.mark.parametrize("file, text, line, message", [
    ("content/topics/mens-topic.md", MENS_TOPIC.replace("[men]", "[boys]"), 4,
     "reader group 'boys' must be one of: men, women"),
    ("glossary/medicine-y.yml", MEDICINE_Y.replace("[women]", "women"), 19, "'applies_to' must be a list, e.g. [men]"),
])
def test_an_unknown_reader_group_is_an_error_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         file: str, text: str, line: int, message: str) -> None:
    root = make_project(tmp_path, {"glossary/medicine-y.yml": MEDICINE_Y, "content/protocols/fixture-protocol.yml":
                                   PROTOCOL, "content/topics/mens-topic.md": MENS_TOPIC, file: text})
    assert run_cli(root, "check", "--sources-only", "--today", "2020-06-01") == 1
    out = "".join(capsys.readouterr())
    assert f"{file}:{line}: error: " in out and message in out, out


@pytest.mark.parametrize("tier", ["intermediate", "academic"])
def test_other_tiers_open_with_the_emergency_signs_and_keep_the_rest_compact(site: Path, tier: str) -> None:
    page = f"topics/fixture-topic/{tier}"
    assert html(site, page, "article aside.callout") == [URGENT]  # open, and no label-warning box
    [details] = html(site, page, "article details.callout-help")
    assert details.startswith('<details class="callout callout-help no-terms" data-pagefind-ignore="all">\n'
                              '<summary>When to contact a clinician'
                              '</summary>')
    assert "the medicine upsets your stomach" in details and "chest pain" not in details


@pytest.mark.parametrize("url", ["topics/fixture-topic", "protocols/fixture-protocol", "glossary/medicine-x"])
def test_every_page_that_describes_a_treatment_opens_with_its_emergency_signs(site: Path, url: str) -> None:
    """The topic overview, the protocol (its topics' signs) and a medicine in it (the signs of
    the topics whose protocols use it)."""
    assert html(site, url, "article aside.callout-urgent") == [URGENT]


def test_a_term_that_is_not_a_medicine_has_no_emergency_box(site: Path) -> None:
    assert html(site, "glossary/hormone", "article aside.callout-urgent") == []


def test_the_emergency_wording_is_one_site_setting(tmp_path: Path) -> None:
    mk = FILES["mkdocs.yml"].replace("      funding: No funding.\n",
                                     "      funding: No funding.\n      emergency: Ring 000 in Australia.\n")
    root = make_project(tmp_path, {"mkdocs.yml": mk})
    assert run_cli(root, "build", "--no-strict") == 0  # its fixtures warn on purpose
    for tier in ("fundamentals", "intermediate", "academic"):
        text = (root / f"site/topics/fixture-topic/{tier}/index.html").read_text(encoding="utf-8")
        assert "<p>Ring 000 in Australia.</p>" in text and "911 in the US" not in text


def test_each_approval_on_a_term_page_says_when_it_was_checked(site: Path) -> None:
    table = LexborHTMLParser(html(site, "glossary/medicine-x", ".approval-table table")[0])
    heads = [th.text().strip() for th in table.css("th")]
    cells = [td.text().strip() for td in table.css("tbody td")]
    assert cells[heads.index("Checked")] == "Checked: 1 March 2020"  # the label is shown on phones only
