"""Python-Markdown extensions. They hold all term and citation logic, so any
engine that runs Python-Markdown (MkDocs, Zensical, plain `markdown`) gives the
same HTML."""
