"""schema.org JSON-LD for page heads: MedicalWebPage for tier pages, DefinedTerm(Set) for the glossary."""
from __future__ import annotations

import json
from typing import Any

from generator.model import Site, Term, Topic
from generator.model.reviews import ReviewStatus
from generator.model.tiers import BY_NAME, TIER_TITLES
from generator.render import urls
from generator.render.references import doi_url, pubmed_url


def to_script_json(data: dict[str, Any]) -> str:
    """JSON that is safe inside <script>: no '<', '>' or '&' can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _url(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + "/" + path if site_url else "/" + path


def _publisher(settings: Any) -> dict[str, str]:
    return {"@type": "Organization", "name": settings.publisher}


def tier_page(site: Site, topic: Topic, tier: str, cited: list[str], settings: Any, site_url: str,
              review: ReviewStatus) -> dict[str, Any]:
    citations = []
    for key in cited:
        ref = site.references[key]
        work: dict[str, Any] = {"@type": "ScholarlyArticle", "name": ref.fields.get("title", key)}
        if ref.fields.get("journal"):
            work["isPartOf"] = {"@type": "Periodical", "name": ref.fields["journal"]}
        if ref.fields.get("year"):
            work["datePublished"] = ref.fields["year"]
        if ref.fields.get("doi"):
            work["sameAs"] = doi_url(ref.fields["doi"])
        elif ref.fields.get("pmid"):
            work["sameAs"] = pubmed_url(ref.fields["pmid"])
        citations.append(work)
    page: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": f"{topic.title} ({TIER_TITLES[tier]})",
        "description": topic.summary,
        "url": _url(site_url, urls.topic(topic.slug, tier)),
        "inLanguage": "en",
        "audience": {"@type": "MedicalAudience", "audienceType": BY_NAME[tier].audience,
                     "@id": f"https://schema.org/{BY_NAME[tier].audience}"},
        "about": {"@type": "MedicalEntity", "name": topic.title},
        "citation": citations,
        "publisher": _publisher(settings),
        "isAccessibleForFree": True,
    }
    # From review records only; a reviewer is named only for a clinical review.
    if review.last is not None:
        page["lastReviewed"] = review.last.date.isoformat()
    if review.clinical is not None:
        who = review.clinical.reviewer
        person: dict[str, Any] = {"@type": "Person", "jobTitle": who.role}
        if who.name:
            person["name"] = who.name
        if who.credentials:
            person["hasCredential"] = {"@type": "EducationalOccupationalCredential", "name": who.credentials}
        page["reviewedBy"] = person
    return page


def defined_term(term: Term, site_url: str) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "name": term.term,
        "alternateName": term.aliases,
        "description": term.short,
        "termCode": term.slug,
        "url": _url(site_url, urls.term(term.slug)),
        "inDefinedTermSet": _url(site_url, urls.GLOSSARY),
    }


def defined_term_set(site: Site, settings: Any, site_url: str) -> dict[str, Any]:
    terms = sorted(site.terms.values(), key=lambda t: t.term.casefold())
    return {
        "@context": "https://schema.org",
        "@type": "DefinedTermSet",
        "name": "Glossary",
        "url": _url(site_url, urls.GLOSSARY),
        "publisher": _publisher(settings),
        "hasDefinedTerm": [{"@type": "DefinedTerm", "name": t.term, "description": t.short,
                            "url": _url(site_url, urls.term(t.slug))} for t in terms],
    }
