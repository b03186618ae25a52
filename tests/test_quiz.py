"""Predict-then-reveal: the learner's and the model's hits, and the model's p(actual)."""

import math

import pytest

from microgpt_engine import Tokenizer
from microgpt_engine.insight.quiz import Quiz

TOK = Tokenizer(["a", "b", "c"])  # BOS is token 3
A, B, C, BOS = 0, 1, 2, 3


def test_hits_are_counted_for_learner_and_model_separately():
    quiz = Quiz(TOK)
    probs = [0.1, 0.6, 0.2, 0.1]  # the model bets on "b"
    t1 = quiz.answer("b", probs, actual=B)  # both right
    t2 = quiz.answer("a", probs, actual=A)  # learner right, model wrong
    t3 = quiz.answer("c", probs, actual=B)  # learner wrong, model right
    assert (t1.learner_hit, t1.model_hit, t2.learner_hit, t2.model_hit, t3.learner_hit, t3.model_hit) == (
        True,
        True,
        True,
        False,
        False,
        True,
    )
    assert t3.p_guess == 0.2 and t3.p_actual == 0.6 and t3.model_top == B
    score = quiz.score()
    assert (score.turns, score.learner_hits, score.model_hits) == (3, 2, 2)
    assert score.learner_accuracy == pytest.approx(2 / 3) and score.model_accuracy == pytest.approx(2 / 3)
    assert score.model_mean_p_actual == pytest.approx((0.6 + 0.1 + 0.6) / 3)
    assert score.model_mean_loss == pytest.approx(-(math.log(0.6) * 2 + math.log(0.1)) / 3)


def test_end_of_name_is_guessed_with_an_empty_string_or_the_bos_label():
    quiz = Quiz(TOK)
    probs = [0.1, 0.1, 0.1, 0.7]
    assert quiz.answer("", probs, actual=BOS).learner_hit
    assert quiz.answer("◆", probs, actual=BOS).guess == BOS


def test_a_character_outside_the_vocabulary_is_a_miss_with_no_model_probability():
    quiz = Quiz(TOK)
    turn = quiz.answer("z", [0.25] * 4, actual=A)
    assert (turn.guess, turn.learner_hit, turn.p_guess) == (None, False, 0.0)
    assert quiz.score().learner_hits == 0


def test_model_ties_go_to_the_first_token_and_zero_probability_costs_infinite_loss():
    quiz = Quiz(TOK)
    turn = quiz.answer(C, [0.5, 0.5, 0.0, 0.0], actual=C)  # a token id works as a guess too
    assert turn.model_top == A and turn.learner_hit and not turn.model_hit
    assert quiz.score().model_mean_loss == math.inf


def test_an_empty_quiz_scores_zero():
    quiz = Quiz(TOK)
    assert quiz.score().turns == 0 and quiz.score().learner_accuracy == 0.0
    assert quiz.turns == []
