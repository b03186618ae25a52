"""Each chapter question's answer follows the model: on two runs (another seed, data or learning rate) it is
another answer, and each is the one the engine's own numbers give, computed here without the lessons."""

import math
from pathlib import Path

import pytest

from microgpt_engine import Config, Trainer
from microgpt_tui.core.lab import Lab
from microgpt_tui.features.lessons.chapters import adam, autograd, forward_pass, loss, one_step
from microgpt_tui.features.lessons.live import Live

NAMES = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "charlotte", "amelia", "harper", "evelyn", "anna"]
OTHER = ["zed", "quinn", "xavi", "kyzy", "jojo", "wu", "vox", "pip", "bob"]


def live_run(folder: Path, docs=NAMES, steps: int = 0, **config) -> Live:
    """A begun lab on a tiny model, `steps` taken through the space key's intent."""
    settings = {"n_embd": 8, "n_head": 2, "steps": 30, **config}
    lab = Lab(Trainer(docs, Config(**settings)), docs, "d", folder / "ckpt.json")
    lab.begin()
    for _ in range(steps):
        lab.step()
    return Live(lab.session, lab.rules)


def answered(question, live) -> str:
    reveal = question.settle(live)
    assert reveal.answer >= 0, reveal.text
    return question.choices[reveal.answer]


def test_the_most_likely_next_character_is_the_models(tmp_path):
    answers = []
    for seed in (1, 3):
        live = live_run(tmp_path, seed=seed)
        live.session.set_position(1)
        answer = answered(forward_pass.top_question(live), live)
        doc = live.next_doc()
        probs = Trainer(NAMES, Config(n_embd=8, n_head=2, steps=30, seed=seed)).evaluate(doc).positions[1].probs
        assert answer == live.plain(max(range(len(probs)), key=probs.__getitem__))
        answers.append(answer)
    assert answers[0] != answers[1]


def test_the_untrained_loss_is_near_ln_of_the_vocabulary(tmp_path):
    answers = []
    for docs in (NAMES, OTHER):
        live = live_run(tmp_path, docs=docs, seed=2)
        answer = answered(loss.start_question(live), live)
        fresh = Trainer(docs, Config(n_embd=8, n_head=2, steps=30, seed=2))
        first = fresh.step().loss  # step 1's loss, as training computes it
        vocab = fresh.tokenizer.vocab_size
        assert answer == f"ln {vocab} = {math.log(vocab):.2f}" and abs(first - math.log(vocab)) < 0.2
        answers.append(answer)
    assert answers[0] != answers[1]


def test_a_weights_gradient_comes_from_the_positions_that_read_it(tmp_path):
    answers = []
    for docs in (NAMES, OTHER):
        live = live_run(tmp_path, docs=docs, steps=1, seed=4)
        weight, record = autograd.largest_weight(live), live.latest
        assert weight.name == "wte"  # (the matrix view's matrix at first)
        question = autograd.source_question(live)
        answer = answered(question, live)
        reads = tuple(p for p, token in enumerate(record.tokens[: len(record.positions)]) if token == weight.row)
        assert answer == autograd.where(reads, len(record.positions))  # wte[row] is read where row is the input
        assert math.isclose(sum(c for _, c in weight.uses), weight.grad, rel_tol=1e-12, abs_tol=1e-15)
        answers.append(answer)
    assert answers[0] != answers[1]


def test_the_nudge_agrees_with_autograd_on_the_chapters_weight(tmp_path):
    live = live_run(tmp_path, steps=1)
    text = autograd.nudged(live)
    weight = autograd.largest_weight(live)
    said = float(text.split("autograd said ")[1].split(" ")[0])
    estimate = float(text.split("slope is ")[1].split(";")[0])
    assert said == pytest.approx(weight.grad, abs=1e-6) and estimate == pytest.approx(weight.grad, rel=1e-4)


def update_data(before: dict, after: dict, name: str) -> float:
    """std(new − old) / std(new) of one matrix, from the weights themselves."""
    new = [w for row in after[name] for w in row]
    delta = [a - b for a, b in zip(new, (w for row in before[name] for w in row))]

    def std(xs):
        mean = sum(xs) / len(xs)
        return math.sqrt(sum((x - mean) ** 2 for x in xs) / len(xs))

    return std(delta) / std(new)


def test_the_matrix_that_moved_most_for_its_size_is_the_engines(tmp_path):
    answers = []
    for seed in (1, 3):
        live = live_run(tmp_path, steps=1, seed=seed)
        answer = answered(adam.ratio_question(live), live)
        before, after = live.before_weights(), live.model.weights
        ratios = {name: update_data(before, after, name) for name in live.model.shapes}
        assert answer == max(ratios, key=ratios.__getitem__)
        answers.append(answer)
    assert answers[0] != answers[1]


def test_adams_step_on_one_weight_is_the_change_the_weight_made(tmp_path):
    live = live_run(tmp_path, steps=3)
    text = adam.one_weight(live)
    step = float(text.split("so the step is ")[1].split(":")[0])
    change = float(text.split("a change of ")[1].rstrip(").")[:9])
    assert step == change != 0


def test_whether_the_names_loss_goes_down_is_the_steps(tmp_path):
    answers = []
    for lr in (0.01, 3.0):
        live = live_run(tmp_path, lr=lr, seed=1)
        question = one_step.direction_question(live)
        doc = live.next_doc()
        lab_step(live)
        answer = answered(question, live)
        record = live.latest
        assert record.doc == doc
        after = live.session.trainer.evaluate(doc).loss
        assert answer == ("down" if after < record.loss else "up")
        answers.append(answer)
    assert answers == ["down", "up"]


def lab_step(live: Live) -> None:
    """space: one step through the training feature's intent (the lab's own)."""
    live.rules.f.stepping.step()


def test_the_character_that_gains_most_is_the_steps(tmp_path):
    answers = []
    for seed in (1, 2):
        live = live_run(tmp_path, seed=seed)
        live.session.set_position(2)
        question = one_step.gain_question(live)
        doc = live.next_doc()
        before = live.session.trainer.evaluate(doc).positions[2].probs
        lab_step(live)
        answer = answered(question, live)
        after = live.session.trainer.evaluate(doc).positions[2].probs
        gains = {live.plain(t): after[t] - before[t] for t in range(len(before)) if live.plain(t) in question.choices}
        assert answer == max(gains, key=gains.__getitem__)
        answers.append(answer)
    assert answers[0] != answers[1]


# -- the chapters' other checkable sentences, on a real run ------------------------------------------------


def test_the_losss_mean_of_minus_ln_p_is_the_steps_loss(tmp_path):
    live = live_run(tmp_path, steps=2)
    text = loss.breakdown(live)
    mean = text.split("Their mean, ")[1].split(",")[0]
    assert mean == f"{live.latest.loss:.4f}" and f"the step's loss: {live.latest.loss:.4f}" in text


def test_the_forward_view_ends_in_the_token_panels_p_and_its_minus_ln_p_and_a_samples_temperature(tmp_path):
    from microgpt_tui.features.forward.strips import ending

    live = live_run(tmp_path, steps=1)
    live.session.set_position(2)
    view, seq = live.forward(), live.shown
    p = seq.probs[2][seq.targets[2]]
    assert ending(view.trace, view.target, view.vocab_labels).startswith(
        f"p(next {live.tokenizer.label(seq.targets[2])}) = {p * 100:.1f}%  −ln p = {-math.log(p):.2f}"
    )
    assert f"−ln p = {-math.log(p):.2f}" in forward_pass.stages(live)
    live.rules.f.drawing.sample()  # s: a sample, drawn at the session's temperature
    live.rules.f.drawing.advance_sample()
    live.session.set_position(0)
    view, seq = live.forward(), live.shown
    assert seq.kind == "sample"
    t = seq.drawn_at(0)
    line = ending(view.trace, view.target, view.vocab_labels)
    assert line.startswith(f"drawn at temperature {t:g}: softmax(logits / {t:g})")
    assert f"{seq.probs[0][seq.targets[0]] * 100:.1f}%" in line  # the sampler's own p, at that temperature


@pytest.mark.parametrize("n_layer", [1, 2])
def test_the_forward_view_scrolls_to_the_row_its_selected_stage_is_drawn_on(n_layer):
    from rich.console import Console

    from microgpt_engine.insight.forward_trace import trace_forward
    from microgpt_tui.features.forward.strips import ForwardStrips

    trainer = Trainer(NAMES, Config(n_embd=8, n_head=2, n_layer=n_layer))
    vocab = [trainer.tokenizer.label(i) for i in range(trainer.tokenizer.vocab_size)]
    trace = trace_forward(trainer.model, trainer.tokenizer.document("emma"), 2)
    strips = ForwardStrips(trace.stages, vocab, 0, "the end")
    console = Console(width=100)
    drawn = ["".join(s.text for s in line) for line in console.render_lines(strips, pad=False)]
    assert len(drawn) == strips.line_count() and drawn[-1].strip() == "↳ the end"
    for index, stage in enumerate(trace.stages):
        assert drawn[strips.row_of(index)].lstrip("▶ ").split()[0] == stage.name


def test_adams_first_step_moves_every_weight_with_a_gradient_by_lr_and_the_largest_change_is_the_engines(tmp_path):
    live = live_run(tmp_path, steps=1)
    before, after, record = live.before_weights(), live.model.weights, live.latest
    graph = live.graph()
    for name, (rows, cols) in live.model.shapes.items():
        for r in range(rows):
            for c in range(cols):
                if abs(graph.grad(graph.param_id(name, r, c))) > 1e-5:  # (a thousand times ε = 1e-8)
                    assert abs(after[name][r][c] - before[name][r][c]) == pytest.approx(record.lr, rel=1e-3)
    live = live_run(tmp_path, steps=4)
    before, after = live.before_weights(), live.model.weights
    largest = max(abs(a - b) for n in after for ra, rb in zip(after[n], before[n]) for a, b in zip(ra, rb))
    assert f"The largest change of any weight this step: {largest / live.latest.lr:.2f} × lr_t." in adam.one_weight(
        live
    )
