"""The glossary as the extensions use it: terms plus one matcher, built once per build."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Reporter, SourceError
from .matcher import Matcher
from .model import Term


@dataclass
class Glossary:
    terms: dict[str, Term]
    matcher: Matcher

    @classmethod
    def from_terms(cls, terms: dict[str, Term]) -> "Glossary":
        return cls(terms, Matcher((name, t.slug) for t in terms.values() for name in t.names))


_cache: dict[tuple, Glossary] = {}


def load_glossary(folder: Path) -> Glossary:
    """Load (or reuse) the glossary in `folder`; reloaded only when a file changes."""
    from .load import load_term

    paths = sorted(folder.glob("*.yml"))
    key = (str(folder.resolve()), tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in paths))
    if key not in _cache:
        rep = Reporter(folder.parent)
        terms = {t.slug: t for p in paths if (t := load_term(rep, p)) is not None}
        rep.raise_errors()
        _cache.clear()
        _cache[key] = Glossary.from_terms(terms)
    return _cache[key]
