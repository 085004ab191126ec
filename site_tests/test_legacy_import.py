"""`python -m generator import` (issue 30): legacy articles into draft topics, glossary
candidates and a checked bibliography. Fixture articles for each feature, written here; the
example article of ../shared/legacy-sample/ as the real input."""
from __future__ import annotations

import http.server
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import local_server, run_cli, visible_text
from miniproject import FILES, make_project
from selectolax.lexbor import LexborHTMLParser

from generator.sources.legacy import MARK, parse, strip_glosses
from generator.sources.legacyrefs import parse_reference

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "legacy-sample" / "example-article.txt"
ARTICLE = """Skip to main content
Share this page

Fundamentals

A hormone Meaning \u221e A hormone is a chemical messenger. carries a message in the blood. Rest helps you feel better.
Your thyroid gland Meaning \u221e The thyroid gland is a gland in the neck. It makes thyroid hormone. sets how fast you burn energy.

Why Does Sleep Matter?
\u2022 Sleep lets the body repair itself.
\u2022 Poor sleep raises stress hormones.

Intermediate

Clinicians check the thyroid gland Meaning \u221e The thyroid gland is the butterfly-shaped gland in the neck. with a blood test [1].
Test\tWhat it shows
TSH\tPituitary drive

Academic

Thyroid hormone acts on nuclear receptors in most tissues [2]. It also changes how cells use oxygen.

References

\u2022 Smith, Anna, et al. \u201cA Trial of Thyroid Testing.\u201d Menopause, Vol. 2, No. 1, 1990, pp. 1-9.
\u2022 Anna Smith. \u201cA trial of thyroid testing.\u201d Menopause, 1990, pp. 1-9.
\u2022 This line is no reference at all

Reflection

Think about how you sleep.

Glossary

thyroid gland
Meaning \u221e A small gland in the neck.
"""


def gloss_free_sentences(text: str) -> list[str]:
    """The article's sentences as a reader meets them, glosses taken out by the parser's own rule
    is exactly what is tested, so here each gloss is removed through its known definition."""
    article = parse(text, "x")
    found = []
    for line in text.split("\n"):
        while MARK in line and not line.startswith(MARK):  # (a Glossary section's definition line)
            i = line.index(MARK)
            gloss = next(g for g in article.glosses if line[i + len(MARK):].lstrip().startswith(g.definition))
            end = i + len(MARK) + 1 + len(gloss.definition)
            rest = line[end:].lstrip()
            line = line[:i].rstrip() + (" " + rest if rest else ".")
        found.append(line)
    return found


# -- glosses: out of the sentence, the sentence whole ---------------------------------------------

@pytest.mark.parametrize("text, expected, terms", [
    (f"Your body uses the endocrine system {MARK} The endocrine system is a set of glands. It makes hormones. to send "
     "messages.", "Your body uses the endocrine system to send messages.", ["endocrine system"]),
    (f"It is checked by the HPG axis {MARK} The HPG axis is a loop.", "It is checked by the HPG axis.", ["HPG axis"]),
    (f"A hormone {MARK} A hormone is a messenger. and an enzyme {MARK} An enzyme is a catalyst. both matter.",
     "A hormone and an enzyme both matter.", ["hormone", "enzyme"]),
    ("No gloss here.", "No gloss here.", []),
])
def test_a_gloss_leaves_its_sentence_whole(text: str, expected: str, terms: list[str]) -> None:
    out, glosses = strip_glosses(text, 7)
    assert out == expected
    assert [g.term for g in glosses] == terms and all(g.line == 7 for g in glosses)


def test_the_article_shape_is_read() -> None:
    article = parse(ARTICLE, "Thyroid")
    assert [line for line, _ in article.dropped] == [1, 2]
    assert list(article.sections) == ["Fundamentals", "Intermediate", "Academic"]
    kinds = [b.kind for b in article.sections["Fundamentals"]]
    assert kinds == ["p", "p", "h", "ul"]
    assert [b.kind for b in article.sections["Intermediate"]] == ["p", "table"]
    assert len(article.references) == 3 and [g.term for g in article.glossary] == ["thyroid gland"]
    assert article.reflection[0].lines == ["Think about how you sleep."]


@pytest.mark.parametrize("text, family, given, fixed", [
    ('Example, Alex, et al. \u201cA Study.\u201d Journal of Things, Vol. 12, No. 3, 2019, pp. 100-110.', "Example", "Alex", []),
    ('Alex Example. "A Study." Journal of Things, 2019, pp. 100-110.', "Example", "Alex", ["Alex Example"]),
    ("Sample, Jordan. Textbook of Physiology. Example Press, 2020.", "Sample", "Jordan", []),
])
def test_a_free_text_reference_is_parsed_and_a_reversed_name_put_right(text: str, family: str, given: str,
                                                                       fixed: list[str]) -> None:
    parsed = parse_reference(text)
    assert parsed is not None and parsed.authors[0] == (family, given) and parsed.fixed_names == fixed
    assert parsed.fields["year"] in ("2019", "2020")


# -- the whole import ------------------------------------------------------------------------------

def imported(tmp_path: Path, capsys, text: str = ARTICLE, name: str = "thyroid.txt", *args: str,
             files: dict[str, str | None] | None = None) -> tuple[Path, int, str]:
    root = make_project(tmp_path, files)
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    capsys.readouterr()
    code = run_cli(root, "import", str(source), *args)
    return root, code, capsys.readouterr().out


def test_every_sentence_survives_except_the_glosses(tmp_path: Path, capsys) -> None:
    root, code, out = imported(tmp_path, capsys)
    assert code == 0, out
    topic = (root / "content/topics/thyroid.md").read_text(encoding="utf-8")
    assert "draft: true" in topic and MARK not in topic
    body = " ".join(topic.split())
    article = parse(ARTICLE, "x")
    wanted = [s for line in gloss_free_sentences(ARTICLE)[article.section_lines["Fundamentals"]:
                                                            article.section_lines["References"] - 1]
              for s in re.split(r"(?<=[.?])\s+", line.replace("\t", " ").lstrip("\u2022 ").strip()) if s]
    missing = [s for s in wanted if s not in ("Intermediate", "Academic") and " ".join(s.split()) not in
               body.replace(" | ", " ").replace("| ", "").replace("- ", "")]
    cited = [s for s in missing if "[1]" in s or "[2]" in s]  # numbered markers became citations
    assert missing == cited and len(cited) == 2, missing
    assert "with a blood test [@smith1990]." in topic and "most tissues [@sample]" not in topic
    assert "# Reflection\n\nThink about how you sleep.\n" in topic
    assert "| TSH | Pituitary drive |" in topic and "## Why Does Sleep Matter?" in topic


def test_the_report_says_what_an_editor_must_do_next(tmp_path: Path, capsys) -> None:
    root, code, out = imported(tmp_path, capsys)
    src = str(tmp_path / "thyroid.txt")
    assert f"{src}:1: note: dropped before the first depth" in out
    assert f"{src}:1: note: topic 'thyroid' titled 'Thyroid'" in out
    # The glossary's own 'hormone': left to the terms extension; 'thyroid gland': a candidate.
    assert f"{src}:6: note: 'hormone' is the glossary's 'hormone'" in out
    assert "glossary/thyroid-gland.yml: note: glossary candidate 'thyroid gland' (legacy lines 7, 15, 35), with 3" in out
    refs = [l for l in out.splitlines() if ":3" in l.split(": ")[0][-3:] or "reference" in l or "Menopause" in l]
    assert any("Menopause' began publishing in 1994, so it cannot have published this in 1990: not added" in l
               for l in refs)
    assert any(": warning: the same work as line" in l for l in out.splitlines())
    assert any(": warning: reference not understood" in l and "no reference at all" in l for l in out.splitlines())
    candidate = (root / "glossary/thyroid-gland.yml").read_text(encoding="utf-8")
    assert "draft: true" in candidate and "1. (thyroid.txt, line 7)" in candidate and "3. (thyroid.txt, line 35)" in candidate
    bib = (root / "content/references.bib").read_text(encoding="utf-8")
    assert bib == FILES["content/references.bib"]  # its one parsed work has an impossible year: not added
    # `check` then reports nothing new as an error: the topic and candidate are drafts.
    capsys.readouterr()
    assert run_cli(root, "check", "--no-strict", "--sources-only", "--today", "2020-06-01") == 0, capsys.readouterr().out


def test_an_injected_sentence_is_reported(tmp_path: Path, capsys) -> None:
    teaser = ARTICLE.replace("It also changes how cells use oxygen.",
                             "Discover premium peptide bundles shipped discreetly worldwide with subscription savings. "
                             "It also changes how cells use oxygen.")
    _, _, out = imported(tmp_path, capsys, teaser)
    flagged = [l for l in out.splitlines() if "may be injected" in l]
    assert len(flagged) == 1 and "Discover premium peptide" in flagged[0], flagged


def test_references_the_article_never_cites_go_at_the_end_of_academic(tmp_path: Path, capsys) -> None:
    root, _, out = imported(tmp_path, capsys, ARTICLE.replace(" [1]", "").replace(" [2]", ""))
    topic = (root / "content/topics/thyroid.md").read_text(encoding="utf-8")
    assert "## Sources of the original article\n\n- [@smith1990]\n" in topic
    assert "warning: the article cites none of its 1 references where it uses them" in out


def test_an_existing_entry_with_the_same_title_is_cited_not_added(tmp_path: Path, capsys) -> None:
    text = ARTICLE.replace("A Trial of Thyroid Testing", "A trial of medicine X").replace("A trial of thyroid testing", "A trial of medicine X")
    root, _, out = imported(tmp_path, capsys, text)
    assert "note: matches the bibliography's 'smith2019': cited as it" in out
    assert "[@smith2019]" in (root / "content/topics/thyroid.md").read_text(encoding="utf-8")
    assert (root / "content/references.bib").read_text(encoding="utf-8") == FILES["content/references.bib"]


def test_import_never_overwrites_and_a_bad_article_stops_only_itself(tmp_path: Path, capsys) -> None:
    root, code, _ = imported(tmp_path, capsys)
    topic = root / "content/topics/thyroid.md"
    topic.write_text("mine", encoding="utf-8")
    broken = tmp_path / "broken.txt"
    broken.write_text("Fundamentals\n\nOnly one depth.\n", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(ARTICLE.replace("thyroid gland", "adrenal gland"), encoding="utf-8")
    code = run_cli(root, "import", str(tmp_path / "thyroid.txt"), str(broken), str(other))
    out = capsys.readouterr().out
    assert code == 1
    assert f"{broken}:4: error: cannot import: no 'Intermediate' line" in out
    assert "content/topics/thyroid.md: error: already exists: not written" in out
    assert topic.read_text(encoding="utf-8") == "mine"
    assert (root / "content/topics/other.md").is_file() and (root / "glossary/adrenal-gland.yml").is_file()
    assert run_cli(root, "import", str(tmp_path / "thyroid.txt"), "--force") == 0
    assert topic.read_text(encoding="utf-8").startswith("---\n")


def test_nothing_is_written_outside_the_project(tmp_path: Path, capsys) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = make_project(tmp_path / "p")
    (root / "content/topics").rename(tmp_path / "topics-moved")
    (root / "content/topics").symlink_to(outside, target_is_directory=True)
    source = tmp_path / "thyroid.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    assert run_cli(root, "import", str(source)) == 1
    assert "not written" in capsys.readouterr().out and not list(outside.iterdir())


def test_an_html_export_of_the_same_shape(tmp_path: Path, capsys) -> None:
    html = ("<html><body><nav><p>Skip to main content</p></nav><h2>Fundamentals</h2>"
            f"<p>A hormone {MARK} A hormone is a chemical messenger. carries a message.</p>"
            "<h2>Intermediate</h2><p>Clinicians test it.</p><table><tr><td>Test</td><td>Shows</td></tr></table>"
            "<h2>Academic</h2><p>It acts on receptors.</p><h2>Reflection</h2><p>Think.</p></body></html>")
    root, code, out = imported(tmp_path, capsys, html, "page.html")
    topic = (root / "content/topics/page.md").read_text(encoding="utf-8")
    assert code == 0, out
    assert "A hormone carries a message." in topic and "| Test | Shows |" in topic and "# Reflection" in topic


def test_resolve_reports_crossref_beside_the_legacy_text_and_changes_nothing(tmp_path: Path, capsys) -> None:
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            query = parse_qs(urlsplit(self.path).query)
            asked.append(query.get("query.bibliographic", [""])[0])
            body = json.dumps({"message": {"items": [{
                "DOI": "10.1000/thyroid.2014", "score": 87.5, "title": ["A trial of thyroid testing"],
                "author": [{"family": "Smith", "given": "Anna", "sequence": "first"}],
                "issued": {"date-parts": [[2014]]}, "container-title": ["Thyroid Letters"], "volume": "2"}]}})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: object) -> None:
            pass

    server, base = local_server(Handler)
    try:
        mk = FILES["mkdocs.yml"].replace("      funding: No funding.\n",
                                         f"      funding: No funding.\n      registry_crossref: {base}\n")
        root, code, out = imported(tmp_path, capsys, ARTICLE.replace("Menopause", "Thyroid Letters"), "thyroid.txt",
                                   "--resolve", "--today", "2020-06-01",
                                   files={"mkdocs.yml": mk})
    finally:
        server.shutdown()
    assert asked and "A Trial of Thyroid Testing" in asked[0] and "Smith" in asked[0]
    line = next(l for l in out.splitlines() if "Crossref proposes DOI 10.1000/thyroid.2014" in l)
    assert "(match score 87.5)" in line and "legacy says '1990', Crossref says '2014' (year)" in line
    assert "doi" not in (root / "content/references.bib").read_text(encoding="utf-8").split("smith1990")[1]
    assert (root / ".cache/registry.json").is_file()  # answered once, then from the cache


def test_the_sample_article_imports_builds_and_shows_every_gloss_free_sentence(tmp_path: Path, capsys) -> None:
    """The real input: ../shared/legacy-sample/example-article.txt, imported, made publishable
    (what a migrating editor does: the front matter), built, and read on the built pages."""
    if not SAMPLE.is_file():
        pytest.skip(f"{SAMPLE} is not here")
    text = SAMPLE.read_text(encoding="utf-8")
    # The import reports Intermediate over its ceiling; rewriting it is the editor's work, not this test's.
    mk = FILES["mkdocs.yml"].replace("      funding: No funding.\n",
                                     "      funding: No funding.\n      readability: {intermediate: null}\n")
    root, code, out = imported(tmp_path, capsys, text, "example-article.txt", files={"mkdocs.yml": mk})
    assert code == 0, out
    topic = root / "content/topics/example-article.md"
    published = topic.read_text(encoding="utf-8").replace('summary: ""', "summary: How hormone levels are measured.") \
        .replace("urgent: []", "urgent: [you have chest pain.]").replace("see_clinician: []", "see_clinician: [you feel unwell for weeks.]") \
        .replace("draft: true", "draft: false")
    topic.write_text(published, encoding="utf-8")
    assert run_cli(root, "build", "--no-strict") == 0, capsys.readouterr().err
    pages = ""
    for tier in ("fundamentals", "intermediate", "academic"):
        html = (root / f"site/topics/example-article/{tier}/index.html").read_text(encoding="utf-8")
        pages += " " + visible_text(LexborHTMLParser(html).css_first("article"))
    pages = " ".join(pages.split())
    article = parse(text, "x")
    lines = gloss_free_sentences(text)[article.section_lines["Fundamentals"]:article.section_lines["References"] - 1]
    sentences = [s for line in lines for s in re.split(r"(?<=[.?])\s+", line.strip()) if s and "\t" not in line
                 and s not in ("Intermediate", "Academic")]
    assert len(sentences) >= 8
    missing = [s for s in sentences if s not in pages]
    assert missing == [], missing


def test_a_second_article_with_the_same_candidate_leaves_the_first_draft_alone(tmp_path: Path, capsys) -> None:
    root, _, _ = imported(tmp_path, capsys)
    candidate = root / "glossary/thyroid-gland.yml"
    before = candidate.read_text(encoding="utf-8")
    again = tmp_path / "again.txt"
    again.write_text(ARTICLE, encoding="utf-8")
    assert run_cli(root, "import", str(again)) == 0
    out = capsys.readouterr().out
    assert "glossary/thyroid-gland.yml: note: glossary candidate 'thyroid gland' exists already (not overwritten)" in out
    assert candidate.read_text(encoding="utf-8") == before


def test_a_glossary_entry_for_a_word_the_article_never_uses_is_no_candidate(tmp_path: Path, capsys) -> None:
    text = ARTICLE + "morning person\nMeaning \u221e Someone who wakes early.\n"
    root, _, out = imported(tmp_path, capsys, text)
    assert "warning: the Glossary section defines 'morning person', which the article never uses" in out
    assert not (root / "glossary/morning-person.yml").exists() and (root / "glossary/thyroid-gland.yml").exists()


def test_emergency_advice_in_the_old_text_is_reported_for_the_urgent_list(tmp_path: Path, capsys) -> None:
    text = ARTICLE.replace("Rest helps you feel better.", "Rest helps you feel better. If you have chest pain, call 999.")
    _, _, out = imported(tmp_path, capsys, text)
    found = [l for l in out.splitlines() if "gives emergency advice in the body" in l]
    assert len(found) == 1 and found[0].startswith(f"{tmp_path / 'thyroid.txt'}:6: warning: 'call 999'"), out


def test_author_year_markers_become_citations_where_they_stand(tmp_path: Path, capsys) -> None:
    text = ARTICLE.replace(" [1]", " (Smith et al., 1990)").replace(" [2]", " (Jones 2001)")
    root, _, out = imported(tmp_path, capsys, text)
    topic = (root / "content/topics/thyroid.md").read_text(encoding="utf-8")
    assert "with a blood test [@smith1990]." in topic
    assert "most tissues (Jones 2001)." in topic  # no reference is Jones's: left as written
    assert "the article cites none of its" not in out


def test_a_candidate_whose_name_has_quotes_is_still_valid_yaml(tmp_path: Path, capsys) -> None:
    text = ARTICLE.replace("Rest helps you feel better.", 'Rest helps the "feedback" loop settle.') + \
        '"feedback" loop\nMeaning \u221e A loop with "quotes" and a \\ backslash.\n'
    root, _, out = imported(tmp_path, capsys, text)
    import yaml

    data = yaml.safe_load((root / "glossary/feedback-loop.yml").read_text(encoding="utf-8"))
    assert data["term"] == '"feedback" loop' and data["short"] == 'A loop with "quotes" and a \\ backslash.'


def test_an_article_that_is_not_utf8_is_a_path_line_error_and_the_rest_is_written(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path)
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Fundamentals\n\nCaf\u00e9 au lait.\n".encode("latin-1"))
    good = tmp_path / "thyroid.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    assert run_cli(root, "import", str(bad), str(good)) == 1
    out = capsys.readouterr().out
    assert f"{bad}:3: error: is not UTF-8 text" in out
    assert (root / "content/topics/thyroid.md").is_file()
