"""One-pass, case-insensitive, whole-word matching of many names (Aho–Corasick)."""
from __future__ import annotations

from typing import Iterable, Iterator

import ahocorasick


def plurals(name: str) -> set[str]:
    """Simple English plural forms of a name's last word (hormone/hormones, axis/axes)."""
    head, _, last = name.rpartition(" ")
    prefix = f"{head} " if head else ""
    lower = last.lower()
    forms = {last + "s"}
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(last + "es")
    if lower.endswith("is"):
        forms.add(last[:-2] + "es")
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        forms.add(last[:-1] + "ies")
    return {prefix + f for f in forms}


def fold(text: str) -> str:
    """Lower-case without changing length, so match offsets stay valid in the original."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class Matcher:
    """Finds names in text; built once per glossary and reused for every page."""

    def __init__(self, names: Iterable[tuple[str, str]]):
        self._auto = ahocorasick.Automaton()
        for name, slug in names:
            for form in {name, *plurals(name)}:
                key = fold(form.strip())
                if key and key not in self._auto:
                    self._auto.add_word(key, (len(key), slug))
        self.empty = len(self._auto) == 0
        if not self.empty:
            self._auto.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Leftmost-longest, non-overlapping whole-word matches as (start, end, slug)."""
        if self.empty or not text:
            return []
        candidates = []
        n = len(text)
        for end_index, (length, slug) in self._auto.iter(fold(text)):
            start, end = end_index - length + 1, end_index + 1
            if (start == 0 or not _is_word(text[start - 1])) and (end == n or not _is_word(text[end])):
                candidates.append((start, -length, slug))
        candidates.sort()
        found = []
        last_end = 0
        for start, neg_len, slug in candidates:
            if start >= last_end:
                found.append((start, start - neg_len, slug))
                last_end = start - neg_len
        return found

    def slugs(self, text: str) -> Iterator[str]:
        for _, _, slug in self.find(text):
            yield slug
