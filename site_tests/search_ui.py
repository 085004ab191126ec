"""Using the site's search box (docs/assets/search.js) in a real page, as a reader does: open
it from the header, type, and read the results it lists."""
from __future__ import annotations

from typing import Any

# One item per result: where it goes, the name and depth it shows, and its snippet.
RESULTS = """() => [...document.querySelectorAll('.site-search__result')].map(li => ({
  href: new URL(li.querySelector('a').href).pathname,
  title: li.querySelector('.site-search__name').innerText.trim(),
  depth: (li.querySelector('.site-search__depth') || {innerText: ''}).innerText.trim(),
  snippet: li.querySelector('.site-search__snippet').innerText.trim(),
  text: li.innerText,
}))"""


def open_search(page: Any) -> None:
    page.locator(".site-search-open").click()
    page.wait_for_selector("dialog.site-search[open] input:focus")


def query(page: Any, text: str) -> list[dict[str, str]]:
    """Type `text` into the open search box; the results once the status says they are shown."""
    box = page.locator(".site-search__input")
    box.fill("")
    page.wait_for_function("() => document.querySelector('.site-search__status').textContent === ''")
    box.fill(text)
    page.wait_for_function(
        """q => { const s = document.querySelector('.site-search__status').textContent;
                  return s.includes('“' + q + '”') || s.startsWith('Search is not available'); }""", arg=text)
    return page.evaluate(RESULTS)  # type: ignore[no-any-return]


def search(page: Any, url: str, text: str) -> list[dict[str, str]]:
    """Open `url`, open search and search for `text`."""
    if page.url != url:
        page.goto(url)
    if not page.locator("dialog.site-search[open]").count():
        open_search(page)
    return query(page, text)
