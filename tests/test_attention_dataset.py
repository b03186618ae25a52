"""The copy task (a dataset where attention is necessary), picked by name wherever data is picked, and the
engine's measures of what each head does (`insight/heads.py`): the answers follow the model."""

from __future__ import annotations

import math
import os

import pytest
from cli_helpers import assert_one_line_error, cli

import microgpt_data
from microgpt_data.copy_task import copy_documents, copy_pairs
from microgpt_engine import Config, Trainer
from microgpt_engine.insight.heads import ablation_losses, attention_on, heads_of, strongest
from microgpt_engine.insight.held_out import held_out_names
from microgpt_engine.insight.ladder import Rung, climb, climb_apart, pair_losses
from microgpt_engine.train import evaluate_tokens
from microgpt_tui.features.runs.settings_form import COPY, check

SMALL = Config(n_embd=8, n_head=4, steps=30, lr=0.03)


def test_the_copy_task_is_every_word_once_and_its_pairs_point_at_the_letter_to_repeat():
    docs = copy_documents()
    assert len(docs) == len(set(docs)) == 8**4 and docs == copy_documents()  # deterministic, no repeats
    assert docs[0] == "aaaa|aaaa" and docs[-1] == "hhhh|hhhh"
    tokenizer = Trainer(docs, Config(steps=1, n_embd=8)).tokenizer
    for doc in ("cafe|cafe", "hgba|hgba"):
        tokens = tokenizer.document(doc)
        pairs = copy_pairs(doc)
        assert len(pairs) == 4
        # the query at q predicts token q + 1, which is the token at the key it is paired with
        assert all(tokens[q + 1] == tokens[k] and k < q for q, k in pairs)
    assert copy_pairs("emma") == [] and copy_pairs("ab|cd") == []


def test_the_copy_task_is_picked_by_name_on_the_command_line_and_in_the_settings(tmp_path):
    result = cli("train", "--dataset", "copy", "--steps", "2", "--n-embd", "8", "--plain", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    samples = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if line.startswith("sample ")]
    assert len(samples) == 20 and set("".join(samples)) <= set("abcdefgh|")  # drawn from the copy task's 10 tokens
    both = cli("train", "--dataset", "copy", "--data", "x.txt", "--steps", "1", cwd=tmp_path)
    assert_one_line_error(both, 2, "--data x.txt and --dataset copy both name the data: give one of them")
    choice, errors = check({}, "fused", COPY, "", Config(), ["emma"], "names.txt")
    assert not errors and choice is not None
    assert list(choice.docs) == copy_documents() and choice.dataset_name == "copy"
    assert microgpt_data.built_in("names")[1] == "names.txt"
    with pytest.raises(microgpt_data.DataError, match="not a built-in dataset"):
        microgpt_data.built_in("cats")


@pytest.fixture(scope="module")
def trained() -> dict[int, Trainer]:
    """Two tiny models on the copy task, seeds 1 and 3, a few steps each."""
    docs = copy_documents()
    out = {}
    for seed in (1, 3):
        trainer = Trainer(docs, Config(**{**SMALL.to_dict(), "seed": seed}))
        for _ in range(SMALL.steps):
            trainer.step()
        out[seed] = trainer
    return out


def test_which_head_attends_to_the_letter_to_copy_follows_the_model(trained):
    words = held_out_names(copy_documents())[:40]
    answers = {}
    for seed, trainer in trained.items():
        scores = attention_on(trainer.model, trainer.tokenizer, words, copy_pairs)
        # the same share, computed here from the attention rows the engine hands out
        for layer, head in heads_of(trainer.model):
            shares = []
            for word in words:
                rows = trainer.evaluate(word).attention[layer][head]
                shares += [rows[q][k] for q, k in copy_pairs(word)]
            assert scores[layer, head] == pytest.approx(sum(shares) / len(shares), rel=1e-12)
        answers[seed] = strongest(scores)
    assert answers[1] != answers[3]  # another seed, another head: nothing is written down


def test_which_head_s_ablation_hurts_most_follows_the_model(trained):
    words = held_out_names(copy_documents())[:40]
    worst = {}
    for seed, trainer in trained.items():
        got = ablation_losses(trainer.model, trainer.tokenizer, words)
        tokens = [trainer.tokenizer.document(w) for w in words]
        for head in heads_of(trainer.model):
            mine = sum(evaluate_tokens(trainer.model, trainer.tokenizer, t, {head}).loss for t in tokens) / len(tokens)
            assert got.without[head] == pytest.approx(mine, rel=1e-12)
        worst[seed] = got.worst
        assert got.worst == max(got.without, key=got.without.__getitem__)
    assert worst[1] != worst[3]


def test_a_rung_is_measured_on_the_held_out_words_it_never_trained_on():
    docs = copy_documents()
    rung = climb(docs, Rung("tiny", SMALL, SMALL.steps))
    assert rung.history is not None and rung.history.now == SMALL.steps and rung.final is not None
    assert rung.unseen == len(set(held_out_names(docs)) - set(Trainer(docs, SMALL).docs[: SMALL.steps]))
    table = climb(docs, Rung("bigram table", None, SMALL.steps))
    tokenizer = Trainer(docs, SMALL).tokenizer
    # add-one smoothing: a pair never counted costs a finite loss, ln(vocab + following) at most
    losses = pair_losses([], tokenizer, ["abcd|abcd"], 16)
    assert losses["abcd|abcd"] == pytest.approx(math.log(tokenizer.vocab_size))
    assert table.held_out is not None and table.last100 is None and table.params == tokenizer.vocab_size**2


def test_a_rung_climbed_apart_trains_in_a_child_process_and_gives_the_same_run():
    """The ladder's job trains each rung in a process of its own: the live run keeps its core and its lock."""
    docs = copy_documents()
    rung = Rung("tiny", Config(**{**SMALL.to_dict(), "steps": 5}), 5, held=20)
    here, apart = climb(docs, rung), climb_apart(docs, rung)
    assert apart is not None and apart.pid not in (0, os.getpid()) and here.pid == os.getpid()
    assert apart.history.losses == here.history.losses and apart.held_out == here.held_out
