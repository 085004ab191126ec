"""Tiered educational site generator: topics, glossary, protocols and references
in; a Material for MkDocs site out."""
from .errors import Diagnostic, SourceError
from .load import load_site
from .model import Site
from .tiers import TIERS
from .pipeline import prepare

__all__ = ["Diagnostic", "SourceError", "TIERS", "Site", "load_site", "prepare"]
