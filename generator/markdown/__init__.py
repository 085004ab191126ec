"""Python-Markdown extensions. They hold all term and citation logic, so any
engine that runs Python-Markdown (MkDocs, Zensical, plain `markdown`) gives the
same HTML."""

# The extensions' names as mkdocs.yml lists them, in one place for the plugin and `render`.
TERMS_EXT = "generator.markdown.terms"
CITE_EXT = "generator.markdown.cite"
SANITIZE_EXT = "generator.markdown.sanitize"  # always last: cleans the finished HTML


def sanitizer_last(extensions: list) -> list:  # type: ignore[type-arg]
    """`extensions` (names or {name: options}) with the allow-list cleaner once, at the end."""
    kept = [e for e in extensions if e != SANITIZE_EXT and not (isinstance(e, dict) and SANITIZE_EXT in e)]
    return [*kept, SANITIZE_EXT]


DEFAULT_STYLE = "american-medical-association"  # the cite extension's default `style`
