"""Tiered educational site generator: topics, glossary, protocols and references in; a
rendered Markdown tree out, which an engine (Zensical by default, or Material for MkDocs)
turns into a site.

Importing the package loads nothing else: `import generator.markdown.terms` must stay cheap
for engines that load our extensions page by page, and no core module may import an engine
(site_tests/test_layers.py). Import what you need from its module, e.g.
`from generator.pipeline import prepare`."""
