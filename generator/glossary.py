"""The glossary as the extensions use it: terms plus one matcher, built once per build."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import Reporter
from .filecache import cached, folder_key
from .matcher import Matcher
from .model import Term
from .tiers import tier_rank


@dataclass
class Glossary:
    terms: dict[str, Term]
    matcher: Matcher
    _explained: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def explained_at(self, tier: str) -> frozenset[str]:
        """Slugs a page at `tier` explains: those whose level is that tier or deeper."""
        if tier not in self._explained:
            rank = tier_rank(tier)
            self._explained[tier] = frozenset(s for s, t in self.terms.items() if rank <= tier_rank(t.level))
        return self._explained[tier]

    @classmethod
    def from_terms(cls, terms: dict[str, Term]) -> "Glossary":
        return cls(terms, Matcher((name, t.slug) for t in terms.values() for name in t.names))


def load_glossary(folder: Path) -> Glossary:
    """Load (or reuse) the glossary in `folder`; reloaded only when a file changes."""
    from .load import load_term
    from .sources import GLOSSARY, source_files

    def build() -> Glossary:
        rep = Reporter(folder.parent)
        files = source_files(rep, folder.parent, GLOSSARY, folder)
        terms = {t.slug: t for p, text in files if (t := load_term(rep, p, text)) is not None}
        rep.raise_errors()
        return Glossary.from_terms(terms)

    return cached("glossary", folder_key(folder, set(GLOSSARY.suffixes)), build)
