"""Content quality: the real site's pages have no serious accessibility violations (axe-core)."""
from __future__ import annotations

import pytest

from conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("url", ["topics/stopping-hormone-therapy/fundamentals/", "glossary/hpg-axis/", "glossary/",
                                 "", "topics/serms-vs-trt/", "protocols/male-trt/", "references/", "tiers/academic/",
                                 "404.html", "glossary/testosterone-gel/", "topics/serms-vs-trt/fundamentals/",
                                 "topics/serms-vs-trt/intermediate/"])
def test_no_serious_accessibility_violations(page, served_site: str, url: str) -> None:
    page.goto(served_site + url)
    violations = axe_violations(page)
    assert not violations, [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
