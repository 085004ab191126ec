"""Reading Material's search results in a real page: what a reader who types a query sees."""
from __future__ import annotations

from urllib.parse import quote

# Material opens search with the query from `?q=` and lists results as one item per page.
RESULTS = """() => [...document.querySelectorAll('.md-search-result__item')].map(li => {
  const a = li.querySelector('a');
  return {href: new URL(a.href).pathname, title: (a.querySelector('h1, h2') || a).innerText.trim(),
          text: a.innerText};
})"""


def search(page, base: str, query: str) -> list[dict]:  # type: ignore[no-untyped-def]
    page.goto(base + "?q=" + quote(query))
    page.wait_for_function(
        "() => /\\d+ matching|No matching/.test(document.querySelector('.md-search-result__meta')?.innerText || '')")
    return page.evaluate(RESULTS)  # type: ignore[no-any-return]
