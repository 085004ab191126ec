"""One-pass, case-insensitive, whole-word matching of many names (Aho–Corasick)."""
from __future__ import annotations

import string
from collections.abc import Iterable, Iterator

import ahocorasick

# Everything that is not part of a word becomes a space before matching, in the
# text and in the names alike. A name is stored as " name", so a hit can only
# start at a word boundary and the automaton never reports hits inside words.
# It also makes "HPG-axis" and "HPG axis" the same name, which readers expect.
_SEPARATORS = {ord(c): " " for c in string.punctuation.replace("_", "") + string.whitespace
               + "\u00a0\u2010\u2011\u2012\u2013\u2014\u2018\u2019\u201c\u201d\u2026\x02\x03"}


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
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low.translate(_SEPARATORS)


def leftmost_longest(matches: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """From overlapping (start, end, slug) matches keep the leftmost, then the longest, without overlap."""
    found: list[tuple[int, int, str]] = []
    reach = 0
    for start, end, slug in sorted(matches, key=lambda m: (m[0], m[0] - m[1])):
        if start >= reach:
            found.append((start, end, slug))
            reach = end
    return found


class Matcher:
    """Finds names in text; built once per glossary and reused for every page."""

    def __init__(self, names: Iterable[tuple[str, str]]):
        self._auto = ahocorasick.Automaton()
        for name, slug in names:
            for form in {name, *plurals(name)}:
                key = " " + " ".join(fold(form).split())
                if len(key) > 1 and key not in self._auto:
                    self._auto.add_word(key, (len(key) - 1, slug))
        self.empty = len(self._auto) == 0
        if not self.empty:
            self._auto.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Leftmost-longest, non-overlapping whole-word matches as (start, end, slug)."""
        if self.empty or not text:
            return []
        # Offsets in `padded` are one more than in `text`: its first char is the boundary.
        padded = " " + fold(text) + " "
        found = []
        for last, (length, slug) in self._auto.iter_long(padded):
            if padded[last + 1] != " ":
                # The longest name ran into a longer word ("hormonex"); a shorter
                # one may still fit here, so take the exhaustive path for this text.
                return self._find_all(padded)
            found.append((last - length, last, slug))
        return found

    def _find_all(self, padded: str) -> list[tuple[int, int, str]]:
        return leftmost_longest((last - length, last, slug) for last, (length, slug) in self._auto.iter(padded)
                                if padded[last + 1] == " ")

    def slugs(self, text: str) -> Iterator[str]:
        for _, _, slug in self.find(text):
            yield slug
