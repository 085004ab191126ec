# Two commands set up a fresh machine:  `make site`  and  `make test`.
# Each installs what it needs; nothing is fetched at run time but registry packages.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: help site serve test check check-external check-references render zensical bench browser-deps clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /\1\t/' | expand -t 18

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[test]'
	touch $(STAMP)

site: $(STAMP)  ## build the site into site/ (atomic swap; strict)
	$(PY) -m generator build

serve: $(STAMP)  ## live preview at http://127.0.0.1:8000/ (rebuilds on edits)
	$(VENV)/bin/mkdocs serve

check: $(STAMP)  ## every source and site check
	$(PY) -m generator check

check-external: $(STAMP)  ## also check every external link (network; cached in .cache/)
	$(PY) -m generator check --external

check-references: $(STAMP)  ## compare every bibliography entry with Crossref and PubMed (network; cached in .cache/)
	$(PY) -m generator check --verify-references

render: $(STAMP)  ## write the Markdown tree and a plugin-free config to build/zensical
	$(PY) -m generator render --out build/zensical

zensical: render  ## build the same sources with Zensical (optional engine) into build/zensical/site
	$(PY) -m pip install -q -c requirements.lock -e '.[zensical]'
	cd build/zensical && ../../$(VENV)/bin/zensical build -f mkdocs.yml

# Chromium comes from Debian's packages and axe-core from npm: test tools
# never download browsers of their own.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

test: $(STAMP) browser-deps  ## the whole suite: unit, property, whole-site and browser tests
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/terms.py
	$(PY) bench/links.py
	$(PY) bench/build.py
	$(PY) bench/page_weight.py

clean:
	rm -rf site build .cache
