"""Render: the model through Jinja templates into the engine-neutral Markdown tree.

`pages` writes each page's Markdown, `tree` the tree and its plugin-free engine config,
`urls` the site's URL scheme; the rest are what pages carry (references, reading scores,
structured data, the search index's synonyms).
"""
