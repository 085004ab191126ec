"""Publishing: workflow files that are valid and do what the README says, and the files static hosts need."""
from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"

STEP = {
    "type": "object",
    "properties": {"uses": {"type": "string", "pattern": r"^[\w.-]+/[\w.-]+(/[\w.-]+)*@[\w.-]+$"},
                   "run": {"type": "string", "minLength": 1}, "name": {"type": "string"},
                   "id": {"type": "string"}, "with": {"type": "object"}, "env": {"type": "object"}},
    "oneOf": [{"required": ["uses"]}, {"required": ["run"]}],
    "additionalProperties": False,
}
# The parts of GitHub's workflow syntax these files use, with the rules that matter.
WORKFLOW_SCHEMA = {
    "type": "object",
    "required": ["name", "on", "jobs"],
    "properties": {
        "name": {"type": "string"},
        "on": {"type": "object", "minProperties": 1},
        "permissions": {"type": "object", "additionalProperties": {"enum": ["read", "write", "none"]}},
        "concurrency": {"type": "object"},
        "env": {"type": "object"},
        "jobs": {"type": "object", "minProperties": 1, "additionalProperties": {
            "type": "object",
            "required": ["runs-on"],
            "properties": {
                "runs-on": {"type": "string"}, "container": {"type": "string"}, "needs": {},
                "environment": {"type": "object"}, "permissions": {"type": "object"},
                "steps": {"type": "array", "minItems": 1, "items": STEP},
            },
            "additionalProperties": False,
        }},
    },
}


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the key `on` as True; the schema names it "on".
    jsonschema.validate({("on" if k is True else k): v for k, v in data.items()}, WORKFLOW_SCHEMA)
    return data


def test_the_workflow_schema_is_a_valid_schema_and_rejects_a_bad_workflow() -> None:
    jsonschema.Draft202012Validator.check_schema(WORKFLOW_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):  # no trigger
        jsonschema.validate({"name": "x", "jobs": {"a": {"runs-on": "ubuntu-latest", "steps": [{"run": "x"}]}}},
                            WORKFLOW_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):  # a step with neither `uses` nor `run`
        jsonschema.validate({"name": "x", "on": {"push": {}}, "jobs": {"a": {"runs-on": "u", "steps": [{"name": "n"}]}}},
                            WORKFLOW_SCHEMA)


def readme_command(kind: str) -> str:
    """The README's set-up command that builds the site ("site") or runs the tests ("test"),
    found by what its comment says it does, not by its position."""
    block = re.search(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    commands = {line.split("#")[0].strip(): line.partition("#")[2] for line in block.splitlines() if line.strip()}
    words = {"site": "builds the site", "test": "runs every test"}[kind]
    [command] = [c for c, comment in commands.items() if words in comment]
    return command


def test_publish_workflow_tests_builds_and_deploys() -> None:
    wf = load("publish.yml")
    assert wf[True]["push"]["branches"] == ["main"]
    deploy_perms = wf["jobs"]["deploy"]["permissions"]
    assert deploy_perms["pages"] == "write" and deploy_perms["id-token"] == "write"  # the deploy job alone
    build = wf["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in build]
    uses = [s.get("uses", "").split("@")[0] for s in build]
    test_cmd, site_cmd = readme_command("test"), readme_command("site")
    assert any(r.strip() == test_cmd for r in runs), f"build must run the README's test command {test_cmd!r}"
    assert any(r.strip() == site_cmd for r in runs), f"build must run the README's build command {site_cmd!r}"
    assert runs.index(test_cmd) < runs.index(site_cmd)
    assert "actions/upload-pages-artifact" in uses and "actions/configure-pages" in uses
    assert next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact"))["with"]["path"] == "site"
    deploy = wf["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_strict_build_is_what_make_site_runs() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^site:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "-m generator build" in recipe and "--no-strict" not in recipe


def test_weekly_external_check_fails_visibly_and_opens_nothing() -> None:
    wf = load("external-links.yml")
    cron = wf[True]["schedule"][0]["cron"].split()
    assert len(cron) == 5 and cron[2] == "*" and cron[3] == "*" and cron[4] != "*"  # once a week
    steps = wf["jobs"]["links"]["steps"]
    assert any("check-external" in s.get("run", "") for s in steps)
    text = (WORKFLOWS / "external-links.yml").read_text()
    assert "issues: write" not in text and "gh issue" not in text and "continue-on-error" not in text
    assert wf["permissions"] == {"contents": "read"}
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^check-external:.*\n\t.*generator check --external", makefile, re.M)


def test_sitemap_404_and_robots(fixture_site: Path) -> None:
    sitemap = (fixture_site / "sitemap.xml").read_text()
    assert "<loc>https://example.org/fixture/topics/fixture-topic/fundamentals/</loc>" in sitemap
    robots = (fixture_site / "robots.txt").read_text()
    assert "User-agent: *" in robots and "Sitemap: https://example.org/fixture/sitemap.xml" in robots
    page = LexborHTMLParser((fixture_site / "404.html").read_text())
    assert page.css_first("h1").text() == "Page not found"
    assert "not medical advice" in page.body.text()
    # Site-relative from the site's path, so they work on whatever host serves the site.
    assert [a.attributes["href"] for a in page.css("article a[href]")][:2] == ["/fixture/", "/fixture/glossary/"]


def test_site_url_is_configurable(tmp_path: Path, monkeypatch) -> None:
    from conftest import run_cli
    from miniproject import FILES, make_project

    mk = FILES["mkdocs.yml"].replace("site_url: https://example.org/fixture/",
                                     "site_url: !ENV [SITE_URL, 'https://example.org/fixture/']")
    project = make_project(tmp_path, {"mkdocs.yml": mk})
    monkeypatch.setenv("SITE_URL", "https://docs.example.net/hormones/")
    assert run_cli(project, "build") == 0
    assert "Sitemap: https://docs.example.net/hormones/sitemap.xml" in (project / "site/robots.txt").read_text()
    assert "https://docs.example.net/hormones/glossary/" in (project / "site/sitemap.xml").read_text()


def test_without_site_url_no_page_shows_an_address(tmp_path: Path, monkeypatch) -> None:
    """Issue 25, item 15: the address comes from SITE_URL only; unset, pages omit it (no placeholder)."""
    from conftest import run_cli
    from miniproject import FILES, make_project

    mk = FILES["mkdocs.yml"].replace("site_url: https://example.org/fixture/", "site_url: !ENV SITE_URL")
    project = make_project(tmp_path, {"mkdocs.yml": mk})
    monkeypatch.delenv("SITE_URL", raising=False)
    assert run_cli(project, "build") == 0
    page = LexborHTMLParser((project / "site/topics/fixture-topic/fundamentals/index.html").read_text())
    assert page.css_first('meta[property="og:url"]') is None and page.css_first('link[rel="canonical"]') is None
    printed = page.css_first(".print-meta").text()
    assert printed.startswith("Fundamentals page · Printed"), printed
    assert "Sitemap:" not in (project / "site/robots.txt").read_text()
    assert not any("example.org" in p.read_text(errors="replace") for p in (project / "site").rglob("*.html"))


def test_the_real_config_has_no_placeholder_address() -> None:
    for rel in ("mkdocs.yml", ".github/workflows/publish.yml"):
        assert "example.org" not in (ROOT / rel).read_text(), rel
    assert "site_url: !ENV SITE_URL\n" in (ROOT / "mkdocs.yml").read_text()


def test_weekly_jobs_check_references_and_review_dates_with_todays_date() -> None:
    refs = load("external-links.yml")["jobs"]["references"]["steps"]
    assert any(s.get("run") == "make check-references" for s in refs)
    reviews = load("review-dates.yml")
    cron = reviews[True]["schedule"][0]["cron"].split()
    assert len(cron) == 5 and cron[4] != "*"  # weekly
    steps = reviews["jobs"]["reviews"]["steps"]
    assert any(s.get("run") == "make check" for s in steps) and reviews["permissions"] == {"contents": "read"}
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^check-references:.*\n\t.*generator check --verify-references", makefile, re.M)


# -- least privilege in CI (issue "Hostile authors, round two") --------------------------------

WRITES = {"pages": "write", "id-token": "write"}


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_actions_are_pinned_and_checkouts_keep_no_token(name: str) -> None:
    data = load(name)
    for job_name, job in data["jobs"].items():
        for step in job.get("steps", []):
            uses = step.get("uses")
            if not uses:
                continue
            # A tag can be moved to other code; a commit cannot.
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), (name, job_name, uses)
            if uses.startswith("actions/checkout@"):
                assert (step.get("with") or {}).get("persist-credentials") is False, (name, job_name)
    top = data.get("permissions") or {}
    assert not {k for k, v in top.items() if v == "write"}, f"{name}: write permissions at the top level"


def test_only_the_deploy_job_may_write_to_pages() -> None:
    data = load("publish.yml")
    for job_name, job in data["jobs"].items():
        granted = {k: v for k, v in (job.get("permissions") or {}).items() if v == "write"}
        assert granted == (WRITES if job_name == "deploy" else {}), (job_name, granted)
    assert not any("run" in step for step in data["jobs"]["deploy"]["steps"])  # it runs no project code
