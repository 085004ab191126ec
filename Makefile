# Two commands set up a fresh machine:  `make site`  and  `make test`.
# Each installs what it needs; nothing is fetched at run time but registry packages.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: help site serve test lint coverage check check-external check-references render bench browser-deps test-data clean

# The engine that builds the HTML: empty means the project's choice (`engine:` in mkdocs.yml,
# default zensical). `make site ENGINE=mkdocs` builds with Material for MkDocs instead.
ENGINE ?=
ENGINE_ARG := $(if $(ENGINE),--engine $(ENGINE))

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /\1\t/' | expand -t 18

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[test]'
	touch $(STAMP)

site: $(STAMP)  ## check and build the site into site/ with Zensical (ENGINE=mkdocs: Material for MkDocs); atomic
	$(PY) -m generator build $(ENGINE_ARG)
	@echo "preview it: make serve   (then open http://127.0.0.1:8000/)"

serve: $(STAMP)  ## live preview at http://127.0.0.1:8000/ (re-renders on save; the engine's own server)
	$(PY) -m generator serve $(ENGINE_ARG)

check: $(STAMP)  ## every source and site check
	$(PY) -m generator check $(ENGINE_ARG)

check-external: $(STAMP)  ## also check every external link (network; cached in .cache/)
	$(PY) -m generator check --external

check-references: $(STAMP)  ## compare every bibliography entry with Crossref and PubMed (network; cached in .cache/)
	$(PY) -m generator check --verify-references

render: $(STAMP)  ## write the rendered Markdown tree and its config to build/tree (what every engine builds)
	$(PY) -m generator render --out build/tree

# Chromium comes from Debian's packages and axe-core from npm: test tools
# never download browsers of their own.
# Installing needs root; another apt process holding the lock is waited for (up to 10 min),
# not failed on; a usable Chromium already present is never reinstalled.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "Chromium is missing. Install Debian's package as root: sudo apt-get install chromium"; exit 1; fi; \
	  apt-get -o DPkg::Lock::Timeout=600 update -qq \
	  && apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

# Real public inputs for the tests: biblatex's own example database, from Debian's
# texlive-bibtex-extra package (downloaded with apt-get, no root needed; only the one file is
# kept), and Pandoc's own citation tests as the pandoc of the same Debian version reads them
# (site_tests/fetch_pandoc_tests.sh). Without them, the tests that read them are skipped and say why.
TEST_DATA := .cache/test-data/biblatex-examples.bib
PANDOC_TESTS := .cache/test-data/pandoc-citations.json
test-data: $(TEST_DATA) $(PANDOC_TESTS)  ## real public inputs for the tests (biblatex examples, Pandoc's citation tests; Debian)
$(PANDOC_TESTS): site_tests/pandoc_corpus.py site_tests/fetch_pandoc_tests.sh | $(STAMP)
	@mkdir -p $(dir $(PANDOC_TESTS))
	@sh site_tests/fetch_pandoc_tests.sh $(PANDOC_TESTS) $(PY) \
	  || echo "note: could not fetch Debian's pandoc packages; the Pandoc citation tests will be skipped"
# Every .bib file of the package is kept too (texlive-bib/, 109 files: Beebe's bibliographies,
# biblatex's and its styles' examples, bib2gls's), for test_real_bibliographies.py.
$(TEST_DATA):
	@mkdir -p $(dir $(TEST_DATA))
	@cd $(dir $(TEST_DATA)) && { rm -rf texlive-bib && mkdir texlive-bib \
	  && apt-get download -q texlive-bibtex-extra >/dev/null 2>&1 \
	  && dpkg-deb --fsys-tarfile texlive-bibtex-extra_*.deb | tar -x -C texlive-bib --wildcards '*.bib' \
	  && cp "$$(find texlive-bib -name biblatex-examples.bib -path '*bibtex/bib*')" biblatex-examples.bib.part \
	  && mv biblatex-examples.bib.part biblatex-examples.bib; rm -f texlive-bibtex-extra_*.deb biblatex-examples.bib.part; } \
	  || echo "note: could not fetch Debian's texlive-bibtex-extra; the tests of real bibliographies will be skipped"
	@test -s $(TEST_DATA) || rm -f $(TEST_DATA)

lint: $(STAMP)  ## ruff on the code and the tests, mypy --strict on the package
	$(PY) -m ruff check generator site_tests bench
	$(PY) -m mypy generator

# The suite runs in TEST_WORKERS processes (pytest-xdist), each taking whole test files so a
# file's module fixtures are built once: `make test TEST_WORKERS=0` runs it in this process.
TEST_WORKERS ?= 2
test: lint browser-deps test-data  ## lint, then the whole suite: unit, property, whole-site and browser tests
	$(PY) -m pytest -q $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)

coverage: $(STAMP) browser-deps test-data  ## the suite under coverage, worker processes and child commands included
	rm -f .coverage .coverage.*
	$(PY) -m coverage run -m pytest -q
	$(PY) -m coverage combine -q
	$(PY) -m coverage report

bench: $(STAMP)
	$(PY) bench/linear_regexes.py
	$(PY) bench/terms.py
	$(PY) bench/links.py
	$(PY) bench/build.py
	$(PY) bench/page_weight.py
	$(PY) bench/search_weight.py
	$(PY) bench/legacy_import.py

clean:
	rm -rf site build .cache
