"""Messy sources: bibliography exports, odd files and folders, YAML bombs. Each is read
correctly or reported at path:line; nothing is silently skipped, swapped or hung on."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from miniproject import TOPIC, make_project, source_problems

from generator.errors import Reporter
from generator.render.references import format_bibliography
from generator.sources.load import load_references, load_site

BIB = Path(__file__).parent / "payloads" / "bibliography"
EXPECT: dict[str, list] = yaml.safe_load((BIB / "expect.yml").read_text())
TOPIC_PATH = "content/topics/fixture-topic.md"


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_bibliography_export(tmp_path: Path, name: str) -> None:
    path = tmp_path / ("references" + Path(name).suffix)
    path.write_bytes((BIB / name).read_bytes())
    rep = Reporter(tmp_path)
    entries = load_references(rep, [path])
    bib = format_bibliography(path, entries, rep)
    outcome = EXPECT[name]
    lines = [str(d) for d in rep.diagnostics]
    if outcome[0] == "ok":
        assert lines == [] and entries and set(bib.formatted) == set(entries)
    elif outcome[0] == "ok-empty":
        assert lines == [] and entries == {}
    else:
        kind, line, fragment = outcome
        assert any(l.startswith(f"{path.name}:{line}: {kind}: ") and fragment in l for l in lines), lines
        if kind == "warning":  # said, and never a reason to drop an entry
            assert entries and set(bib.formatted) == set(entries)


def test_exports_decode_latex_and_keep_every_field(tmp_path: Path) -> None:
    rep = Reporter(tmp_path)
    refs = load_references(rep, [BIB / "zotero-plain.bib", BIB / "quoted-brace.bib", BIB / "string-macro.bib"])
    bib = format_bibliography(BIB, refs, rep)
    z = refs["muller_effects_2019"]
    assert z.fields["title"] == "Effects of östradiol & testosterone on in vivo bone"
    assert z.fields["author"].startswith("Müller, Hans and Sørensen, Lise")
    assert z.csl["issued"] == {"date-parts": [[2019, 3]]}
    assert "<i>in vivo</i>" in bib.html("muller_effects_2019")  # Zotero's rich text, as italics
    q = refs["quoted2001"]  # a {"} inside a quoted value no longer ends the entry
    assert q.fields["title"] == 'A "quoted" title' and q.fields["pmid"] == "11111111" and q.fields["journal"] == "Menopause"
    assert refs["macro2018"].fields["journal"] == "The Journal of Clinical Endocrinology and Metabolism"


def test_case_collision_is_reported_at_both_lines(tmp_path: Path) -> None:
    rep = Reporter(BIB)
    load_references(rep, [BIB / "case-collision.bib"])
    lines = sorted(str(d) for d in rep.diagnostics)
    assert [l.split(": error:")[0] for l in lines] == ["case-collision.bib:1", "case-collision.bib:8"]


def test_a_case_variant_key_cannot_swap_papers_on_a_site(tmp_path: Path) -> None:
    extra = "\n@article{Smith2019,\n  author = {Other, O},\n  title = {Another paper},\n  journal = {Menopause},\n  year = {2018},\n}\n"
    from miniproject import FILES
    root = make_project(tmp_path, {"content/references.bib": FILES["content/references.bib"] + extra})
    found = source_problems(root)
    assert any("differs only in case" in p for p in found), found


# -- files and folders ------------------------------------------------------------------------

def test_common_extensions_are_read(tmp_path: Path) -> None:
    root = make_project(tmp_path, {TOPIC_PATH: None, "content/topics/upper.MD": TOPIC,
                                   "content/topics/long.markdown": TOPIC.replace("A fixture topic", "Second"),
                                   "glossary/hormone.yml": None,
                                   "glossary/hormone.yaml": "term: hormone\nshort: A messenger.\nlevel: fundamentals\n"})
    site, rep = load_site(root)
    assert rep.errors == [] and set(site.topics) == {"upper", "long"} and "hormone" in site.terms


@pytest.mark.parametrize("setup,expected", [
    (lambda r: (r / "content/topics/notes.txt").write_text("x"), "content/topics/notes.txt: error: is not a topic source"),
    (lambda r: (r / "content/topics/dir.md").mkdir(), "content/topics/dir.md: error: is a directory"),
    (lambda r: os.mkfifo(r / "content/topics/pipe.md"), "content/topics/pipe.md: error: is not a regular file"),
    (lambda r: (r / "content/topics/gone.md").symlink_to(r / "nowhere.md"), "content/topics/gone.md: error: is a symbolic link to a file that does not exist"),
    (lambda r: (r / "glossary/outside.yml").symlink_to("/etc/hostname"), "glossary/outside.yml: error: is a symbolic link to /etc/hostname, outside the project"),
    (lambda r: (r / "glossary/bad.yml").write_bytes(b"term: x\nshort: caf\xe9\n"), "glossary/bad.yml:2: error: is not valid UTF-8"),
    (lambda r: [p.unlink() for p in (r / "content/topics").iterdir()], "content/topics: error: no topic files"),
    (lambda r: __import__("shutil").rmtree(r / "content/topics"), "content/topics: error: the topic folder content/topics/ is missing"),
    (lambda r: (r / "glossary/abc\n.yml").write_text("term: abc\nshort: A.\nlevel: fundamentals\n"), "is not a slug"),
])
def test_odd_files_are_path_errors(tmp_path: Path, setup, expected: str) -> None:  # type: ignore[no-untyped-def]
    root = make_project(tmp_path)
    setup(root)
    found = source_problems(root)
    assert any(expected in p for p in found), found


def test_editor_lock_files_backups_and_a_bom_are_fine(tmp_path: Path) -> None:
    root = make_project(tmp_path, {TOPIC_PATH: "\ufeff" + TOPIC, "content/topics/fixture-topic.md~": "junk"})
    (root / "content/topics/.#fixture-topic.md").symlink_to("root@host.1234:1700000000")  # Emacs lock file
    assert source_problems(root) == []


def test_yaml_aliases_are_refused_without_expanding_them(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    topic = TOPIC.replace("protocols: [fixture-protocol]\n", "protocols: [fixture-protocol]\n" + bomb)
    root = make_project(tmp_path, {TOPIC_PATH: topic})
    found = source_problems(root)
    assert any(p.startswith(f"{TOPIC_PATH}:6: error: invalid YAML: aliases") for p in found), found


def test_front_matter_lines_are_counted_once(tmp_path: Path) -> None:
    topic = TOPIC.replace("protocols: [fixture-protocol]\n", "protocols: [fixture-protocol]\nnot_a_key: 1\n")
    root = make_project(tmp_path, {TOPIC_PATH: topic})
    assert f"{TOPIC_PATH}:5: error: unknown key 'not_a_key'" in "\n".join(source_problems(root))


# -- glossary names and definitions -----------------------------------------------------------

@pytest.mark.parametrize("name", ["C++", "(a)", "-x", "x.", "a<b"])
def test_names_that_cannot_match_exactly_are_refused(tmp_path: Path, name: str) -> None:
    root = make_project(tmp_path, {"glossary/odd.yml": f"term: {yaml.safe_dump(name).splitlines()[0]}\nshort: Odd.\nlevel: fundamentals\n"})
    assert any(p.startswith("glossary/odd.yml:1: error: name") for p in source_problems(root))


def test_unknown_citation_in_a_definition_is_a_path_line_error(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"glossary/hormone.yml": "term: hormone\nshort: A messenger.\nlevel: fundamentals\n"
                                   "definition: |\n  Made by glands.\n  See [@nosuchkey].\n"})
    assert "glossary/hormone.yml:6: error: unknown citation key 'nosuchkey'" in "\n".join(source_problems(root))


def test_citation_lookalikes_in_code_and_links_are_not_citations(tmp_path: Path) -> None:
    topic = TOPIC.replace("Read this slowly.", "Write `[@key]` to cite. Follow [@handle](https://example.org/).\n\n"
                          "```\n[@also-code]\n```\n")
    root = make_project(tmp_path, {TOPIC_PATH: topic})
    assert source_problems(root) == []


# -- symbolic links that leave the project (issue "Hostile authors, round two") --------------------

@pytest.mark.parametrize("setup,expected", [
    # A published asset that is the build's environment (in CI: the runner's variables).
    (lambda r, out: (r / "docs/assets/env.txt").symlink_to("/proc/self/environ"),
     "docs/assets/env.txt: error: is a symbolic link to /proc/"),
    (lambda r, out: (r / "docs/secret").symlink_to(out, target_is_directory=True),
     "docs/secret: error: is a symbolic link to"),
    (lambda r, out: (r / "overrides/partials").symlink_to(out, target_is_directory=True),
     "overrides/partials: error: is a symbolic link to"),
    # CI's checkout keeps its token in .git/config: inside the project, but never to be published.
    (lambda r, out: ((r / ".git").mkdir(), (r / ".git/config").write_text("token"),
                     (r / "docs/config.txt").symlink_to(r / ".git/config")),
     "docs/config.txt: error: is a symbolic link into the project's hidden folder .git/"),
])
def test_published_folders_refuse_links_that_leave_the_project(tmp_path: Path, setup, expected: str) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    root = make_project(tmp_path / "p")
    setup(root, outside)
    found = source_problems(root)
    assert any(p.startswith(expected) for p in found), found


def test_a_source_folder_that_is_a_link_outside_is_not_read(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    elsewhere = tmp_path / "elsewhere"
    (root / "glossary").rename(elsewhere)
    (root / "glossary").symlink_to(elsewhere, target_is_directory=True)
    site, rep = load_site(root)
    found = [str(d) for d in rep.diagnostics]
    assert f"glossary: error: is a symbolic link to {elsewhere.resolve()}, outside the project" in "\n".join(found)
    assert site.terms == {}  # nothing was read from it


def test_a_folder_link_higher_up_is_caught_for_every_file(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    elsewhere = tmp_path / "elsewhere"
    (root / "content").rename(elsewhere)
    (root / "content").symlink_to(elsewhere, target_is_directory=True)
    found = source_problems(root)
    assert any(p.startswith("content/topics: error: is under the symbolic link content, so it leads to")
               for p in found), found
    assert any(p.startswith("content/references.bib: error: is under the symbolic link content") for p in found), found


def test_links_that_stay_inside_the_project_are_fine(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "docs/assets/same.css").symlink_to(root / "docs/assets/site.css")
    (root / "glossary/alias.yml").symlink_to(root / "glossary/hormone.yml")
    found = source_problems(root)
    assert not any("symbolic link" in p for p in found), found


# -- Unicode: one spelling per key, slug and name; no invisible reordering ------------------------

NFC_KEY, NFD_KEY = "caf\u00e9", "cafe\u0301"


def test_keys_that_differ_only_by_normalisation_are_one_key(tmp_path: Path) -> None:
    from miniproject import FILES
    entry = "\n@article{%s,\n  author = {Other, O},\n  title = {Another paper},\n  journal = {Menopause},\n  year = {2018},\n}\n"
    root = make_project(tmp_path, {"content/references.bib": FILES["content/references.bib"]
                                   + entry % NFC_KEY + entry % NFD_KEY})
    found = source_problems(root)
    assert any(f"duplicate bibliography key '{NFC_KEY}'" in p for p in found), found


def test_a_citation_typed_in_the_other_normalisation_finds_its_key(tmp_path: Path) -> None:
    from miniproject import FILES
    entry = (f"\n@article{{{NFC_KEY},\n  author = {{Other, O}},\n  title = {{Another paper}},\n"
             "  journal = {Menopause},\n  year = {2018},\n}\n")
    root = make_project(tmp_path, {"content/references.bib": FILES["content/references.bib"] + entry,
                                   TOPIC_PATH: TOPIC.replace("Read this slowly.", f"Read this slowly [@{NFD_KEY}].")})
    assert not any("unknown citation key" in p for p in source_problems(root))


def test_slugs_that_differ_only_by_normalisation_collide(tmp_path: Path) -> None:
    term = "term: {name}\nshort: A word.\nlevel: fundamentals\n"
    root = make_project(tmp_path, {f"glossary/{NFC_KEY}.yml": term.format(name="cafe one"),
                                   f"glossary/{NFD_KEY}.yml": term.format(name="cafe two")})
    found = source_problems(root)
    assert any("the same glossary term as" in p for p in found), found


@pytest.mark.parametrize("where,text,line", [
    (TOPIC_PATH, TOPIC.replace("title: A fixture topic", "title: A fixture \u202etopic"), 2),
    ("glossary/hormone.yml", "term: hor\u2067mone\nshort: A messenger.\nlevel: fundamentals\n", 1),
    ("content/references.bib", "@article{key\u202a2019,\n  title = {T},\n  journal = {Menopause},\n  year = {2019},\n}\n", 1),
])
def test_bidi_controls_are_errors_at_their_line(tmp_path: Path, where: str, text: str, line: int) -> None:
    root = make_project(tmp_path, {where: text})
    found = source_problems(root)
    assert any(p.startswith(f"{where}:{line}: error: invisible bidirectional control character") for p in found), found
