"""The tokenizer: sorted characters plus BOS, round trips, clear errors."""

import pytest

from microgpt_engine import Tokenizer, TokenizerError


def test_vocabulary_is_sorted_unique_chars_plus_bos():
    tok = Tokenizer.from_documents(["emma", "bob"])
    assert tok.chars == ["a", "b", "e", "m", "o"]
    assert tok.bos == 5 and tok.vocab_size == 6


def test_document_is_wrapped_in_bos_and_round_trips():
    tok = Tokenizer.from_documents(["emma", "ava"])
    ids = tok.document("emma")
    assert ids[0] == ids[-1] == tok.bos
    assert tok.decode(ids) == "emma"
    assert [tok.label(i) for i in ids] == ["◆", "e", "m", "m", "a", "◆"]


def test_unicode_and_uppercase_grow_the_vocabulary():
    docs = ["Zoë", "José", "🙂x"]
    tok = Tokenizer.from_documents(docs)
    for d in docs:
        assert tok.decode(tok.encode(d)) == d
    assert tok.vocab_size == len(set("".join(docs))) + 1


def test_unknown_character_is_a_clear_error():
    tok = Tokenizer.from_documents(["abc"])
    with pytest.raises(TokenizerError, match="'z' is not in the vocabulary"):
        tok.encode("abz")
