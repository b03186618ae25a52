"""Nearest training name: exact Levenshtein distances, brute-force agreement, pruning on 32k names."""

import random

import pytest

from microgpt_data import bundled_names_path, load_documents
from microgpt_engine.insight import names
from microgpt_engine.insight.names import NameIndex, edit_distance, nearest, unshared_characters


def test_edit_distance_on_textbook_pairs():
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("flaw", "lawn") == 2
    assert edit_distance("", "abc") == edit_distance("abc", "") == 3
    assert edit_distance("emma", "emma") == 0
    assert edit_distance("ab", "ba") == 2


def test_edit_distance_with_a_limit_is_exact_within_it_and_limit_plus_one_beyond():
    assert edit_distance("kitten", "sitting", limit=3) == 3
    assert edit_distance("kitten", "sitting", limit=1) == 2
    assert edit_distance("abcdef", "uvwxyz", limit=2) == 3


def test_a_training_name_is_its_own_nearest_at_distance_zero():
    assert nearest("ava", ["emma", "ava", "avah"]) == ("ava", 0)


def brute_force(name, docs):
    """Every name, ranked as NameIndex documents: distance, length gap, shorter first, order."""
    docs = list(dict.fromkeys(docs))
    key = lambda k: (  # noqa: E731
        edit_distance(name, docs[k]),
        abs(len(docs[k]) - len(name)),
        len(docs[k]) > len(name),
        k,
    )
    best = min(range(len(docs)), key=key)
    return docs[best], edit_distance(name, docs[best])


def test_nearest_agrees_with_a_brute_force_scan():
    rng = random.Random(4)
    letters = "aeilmnorsy"
    docs = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) for _ in range(300)]
    index = NameIndex(docs)
    for _ in range(200):
        name = "".join(rng.choice(letters + "xz") for _ in range(rng.randint(0, 11)))
        assert index.nearest(name) == brute_force(name, docs), name


def test_unshared_characters_never_exceed_the_edit_distance():
    rng = random.Random(5)
    for _ in range(500):
        a = "".join(rng.choice("abcde") for _ in range(rng.randint(0, 8)))
        b = "".join(rng.choice("abcxyz") for _ in range(rng.randint(0, 8)))
        assert unshared_characters(a, b) <= edit_distance(a, b)


def test_an_empty_name_list_is_refused():
    with pytest.raises(ValueError):
        nearest("emma", [])


def test_nearest_over_the_32k_bundled_names_fills_a_table_for_under_a_tenth_of_them(monkeypatch):
    """What keeps a query fast is the pruning (length buckets, unshared characters): count the
    distance tables it fills instead of timing it, which a busy machine would make flaky."""
    docs = load_documents(bundled_names_path())
    assert len(docs) > 30_000
    index = names.NameIndex(docs)
    filled = []
    exact = names.edit_distance
    monkeypatch.setattr(names, "edit_distance", lambda a, b, limit=None: filled.append(b) or exact(a, b, limit))
    rng = random.Random(6)
    queries = ["zzzzzzzzzzzzzzz", "qwertyuiopasdfg", "kaelynnora"]
    queries += ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(15)) for _ in range(3)]
    for name in queries:
        filled.clear()
        found = index.nearest(name)
        assert 0 < len(filled) < len(docs) / 10, (name, len(filled))
        assert found.distance == exact(name, found.doc)
    assert index.nearest("emmaline").distance <= 1
