"""Sources: reading and validating each file format (Markdown topics, YAML data, BibTeX, CSL-JSON).

`load.load_site` turns a project's files into the model (`generator.model`), reporting every
malformed source as `path:line: error: …`.
"""
