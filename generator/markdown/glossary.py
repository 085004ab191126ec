"""The glossary as the extensions use it: terms plus one matcher, built once per build."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Reporter
from generator.markdown.matcher import Matcher
from generator.model import Location, Term
from generator.model.tiers import tier_rank
from generator.sources.filecache import cached, file_key, folder_key

# What the terms extension needs of each term, in one file a rendered tree carries
# (tree.py): its slug, names and level. Definitions are not in it (tooltips.js reads each
# term's tip.json), so a wording edit leaves it as it is.
INDEX_FILE = "glossary-index.json"


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
    def from_terms(cls, terms: dict[str, Term]) -> Glossary:
        return cls(terms, Matcher((name, t.slug) for t in terms.values() for name in t.names))


def index_json(terms: dict[str, Term]) -> str:
    """The glossary index (INDEX_FILE) for `terms`."""
    entries = [{"slug": t.slug, "names": t.names, "level": t.level}
               for t in sorted(terms.values(), key=lambda t: t.slug)]
    return json.dumps({"terms": entries}, ensure_ascii=False, indent=0) + "\n"


def _from_index(path: Path) -> Glossary:
    data = json.loads(path.read_text(encoding="utf-8"))
    where = Location(path, 1)
    return Glossary.from_terms({e["slug"]: Term(e["slug"], e["names"][0], e["names"][1:], "", "", e["level"], [], [],
                                                None, where) for e in data["terms"]})


def load_glossary(source: Path) -> Glossary:
    """Load (or reuse) the glossary: a folder of term files, or a rendered tree's index
    (INDEX_FILE). Reloaded only when a file changes. An extension asks once per page: the
    index costs one stat a page, a folder one scan (6 ms at 2,000 terms)."""
    from generator.sources.files import GLOSSARY, source_files
    from generator.sources.load import load_term

    if source.suffix == ".json" and source.is_file():
        return cached("glossary", file_key([source]), lambda: _from_index(source))
    folder = source

    def build() -> Glossary:
        rep = Reporter(folder.parent)
        files = source_files(rep, folder.parent, GLOSSARY, folder)
        terms = {t.slug: t for p, text in files if (t := load_term(rep, p, text)) is not None}
        rep.raise_errors()
        return Glossary.from_terms(terms)

    return cached("glossary", folder_key(folder, set(GLOSSARY.suffixes)), build)
