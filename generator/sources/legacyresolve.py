"""`import --resolve`: each parsed legacy reference against Crossref's bibliographic search,
through the registry client of `check --verify-references` (one HTTP client, its deadline and
redirect policy, and its dated cache in .cache/registry.json). Nothing is changed from an
answer: the import reports the proposal beside the legacy text, with Crossref's match score."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.checks.registry import Registry, RegistryConfig, crossref_record, mismatches, search
from generator.model import Location, Reference
from generator.sources.legacyrefs import Parsed


@dataclass(frozen=True)
class Resolved:
    """What Crossref's bibliographic search proposes for a parsed reference."""

    doi: str
    score: float
    differs: list[tuple[str, str, str]]  # (field, the legacy text's, Crossref's)


class Resolver:
    def __init__(self, config: RegistryConfig, today: date):
        self.config = config
        self.registry = Registry(config, today)

    def search(self, parsed: Parsed) -> Resolved | str:
        """Crossref's proposal for `parsed`, or why there is none."""
        names = [f"{family}, {given}" if given else family for family, given in parsed.authors]
        ref = Reference("legacy", parsed.kind, {"author": " and ".join(names), **parsed.fields},
                        Location(Path("legacy"), 0))
        answer, hit = search(self.registry, self.config, ref)
        if answer.status != 200:
            return f"the search failed ({answer.problem or answer.status}); nothing proposed"
        if hit is None:
            return "the search found no candidate; check that this work exists"
        try:
            score = float(hit.get("score") or 0.0)
        except (TypeError, ValueError):
            score = 0.0
        return Resolved(str(hit["DOI"]), score, mismatches(ref, crossref_record(hit)))

    def close(self) -> None:
        self.registry.save()
