"""The reading-level yardstick: syllables as spoken, and sentences as a reader takes them in."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.render.readability import score_markdown, score_text
from generator.render.syllables import syllables, vowel_groups

HAND = Path(__file__).parent / "data" / "handcounted.txt"


def hand_counted() -> list[tuple[str, int]]:
    rows = [line.split() for line in HAND.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [(word, int(count)) for word, count in rows]


def test_the_fixture_is_long_enough_to_mean_something() -> None:
    assert len(hand_counted()) >= 150


def test_every_word_of_the_hand_counted_passage() -> None:
    wrong = [(w, n, syllables(re.sub(r"[^\w'’-]", "", w))) for w, n in hand_counted()
             if syllables(re.sub(r"[^\w'’-]", "", w)) != n]
    assert wrong == []


def test_the_passage_scores_what_the_hand_counts_give() -> None:
    rows = hand_counted()
    words, syl = len(rows), sum(n for _, n in rows)
    sentences = sum(w.endswith((".", "!", "?")) for w, _ in rows)
    by_hand = 0.39 * words / sentences + 11.8 * syl / words - 15.59
    score = score_text(" ".join(w for w, _ in rows))
    assert (score.words, score.sentences, score.syllables) == (words, sentences, syl)
    assert score.fkgl == pytest.approx(by_hand, abs=0.5)


@pytest.mark.parametrize("word, count", [
    # Where hyphenation points (the old yardstick) fall short of syllables.
    ("testosterone", 4), ("medicine", 3), ("menopause", 3), ("hormone", 2), ("several", 3),
    # Acronyms are spelled out, letter by letter; a plural "s" adds nothing.
    ("LH", 2), ("FSH", 3), ("HPG", 3), ("hCG", 3), ("SERMs", 4), ("WHO", 5),
    # Numbers are read digit by digit; compounds are the sum of their parts.
    ("2026", 5), ("7", 2), ("IGF-1", 4), ("self-harm", 2),
    # Words the dictionary lacks fall back to vowel groups.
    ("gonadorelin", 5), ("tesamorelin", 5), ("ibutamoren", 5),
])
def test_words_count_as_they_are_said(word: str, count: int) -> None:
    assert syllables(word) == count


@pytest.mark.parametrize("word, count", [
    ("cake", 1), ("table", 2), ("hated", 2), ("boxes", 2), ("jumped", 1), ("free", 1), ("rhythm", 1),
    ("banana", 3), ("queue", 1), ("glands", 1), ("peptide", 2), ("agreed", 2),
])
def test_the_vowel_group_fallback(word: str, count: int) -> None:
    assert vowel_groups(word) == count


def test_each_list_item_is_one_sentence_with_or_without_a_full_stop() -> None:
    listed = score_markdown("Common signs are:\n\n- feeling tired,\n- low mood\n- less interest in sex.\n")
    assert listed.sentences == 4 and listed.words == 11
    # The same words run together are one long sentence, and read harder.
    run_on = score_markdown("Common signs are feeling tired, low mood and less interest in sex.\n")
    assert run_on.sentences == 1 and run_on.fkgl > listed.fkgl


def test_stored_scores_skip_the_second_markdown_pass_and_equal_fresh_ones(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from generator.render import readability

    bodies = ["A hormone is a messenger. It travels in the blood.", "- one item\n- two items, longer ones\n",
              "Testosterone replacement therapy is monitored with haematocrit measurements [@smith2019]."]
    path = tmp_path / "scores.json"
    first = readability.StoredScores(path)
    fresh = [first(b) for b in bodies]
    assert fresh == [readability.score_text(readability.prose(b)) for b in bodies]
    first.save()
    readability.score_markdown.cache_clear()
    monkeypatch.setattr(readability, "prose", lambda body: (_ for _ in ()).throw(AssertionError("scored again")))
    second = readability.StoredScores(path)
    assert [second(b) for b in bodies] == fresh  # from the file: prose() is never called
    with pytest.raises(AssertionError, match="scored again"):
        second("A body never seen before.")


def test_stored_scores_from_another_scorer_version_are_ignored(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import hashlib
    import json

    from generator.render import readability

    body = "A hormone is a messenger."
    key = hashlib.sha256(body.encode()).hexdigest()
    path = tmp_path / "scores.json"
    path.write_text(json.dumps({"version": "forged", "scores": {key: [1, 99, 1, 0]}}))
    assert readability.StoredScores(path)(body) == readability.score_text(readability.prose(body))
    path.write_text("not json")
    assert readability.StoredScores(path)(body).words == 5
    assert not readability.user_cache().is_relative_to(Path(__file__).resolve().parents[1])


def test_bodies_prefetched_in_worker_processes_score_as_in_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A build with no stored scores scores new bodies in worker processes first (prefetch).
    In a fresh process (one that may fork): every body is then stored, prose() is never called
    in the build process, the scores equal serial ones, and no thread is left behind (the
    page workers fork later and refuse to while another thread runs)."""
    import json
    import os
    import subprocess
    import sys

    from generator.render import readability

    bodies = [f"Body {i}. " + "A hormone is a messenger in the blood, monitored often. " * (i % 7 + 1)
              + "\n\n- an item\n" * (i % 3) for i in range(5 * readability.CHUNK)]
    script = (
        "import json, sys, threading\n"
        "from pathlib import Path\n"
        "from generator.render import readability\n"
        "bodies = json.loads(sys.stdin.read())\n"
        "scores = readability.StoredScores(Path(sys.argv[1]), processes=2)\n"
        "scores.prefetch(bodies + bodies[:5])\n"
        "readability.prose = lambda body: (_ for _ in ()).throw(AssertionError('scored here'))\n"
        "print(json.dumps([list(readability.astuple(scores(b))) for b in bodies]), threading.active_count())\n")
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "s.json")], input=json.dumps(bodies),
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(root)}, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    got, threads = done.stdout.rsplit(" ", 1)
    expected = [list(readability.astuple(readability.score_text(readability.prose(b)))) for b in bodies]
    assert json.loads(got) == expected
    assert int(threads) == 1
