"""Sentences that once said more than is true, checked against real runs in English and in 中文: −ln p is one
position's term of a loss that is their mean; attention's gap and the ladder's drops are said the way they went;
chapter 7's "last 100 steps" before there are 100; chapter 11's vocabulary with BOS in it; and the checker's
verdict on a script whose loss it could only read as printed."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from check_helpers import TINY, variant
from cli_helpers import in_process
from lesson_helpers import run_jobs
from rich.cells import cell_len

import microgpt_data
from microgpt_engine import Config, Trainer
from microgpt_tui import language
from microgpt_tui.core.lab import Lab
from microgpt_tui.features.forward.strips import ending
from microgpt_tui.features.lessons.chapters import attention, forward_pass, ladder, loss, production, training
from microgpt_tui.features.lessons.live import Live

SMALL = Config(n_embd=8, n_head=4, steps=200)


@pytest.fixture
def both():
    """Calls `said(f)`: f() in English, then in 中文 (the language set back to English after)."""

    def said(f):
        texts = []
        for lang in ("en", "zh"):
            language.set_language(lang)
            texts.append(f())
        language.set_language("en")
        return texts

    yield said
    language.set_language("en")


def lab_after(
    tmp_path, steps: int, docs: list[str] | None = None, config: Config = SMALL, dataset: str = "names.txt"
) -> Lab:
    docs = docs or microgpt_data.built_in("names")[0][:300]
    lab = Lab(Trainer(docs, config), docs, dataset, tmp_path / f"c{steps}{dataset}.json")
    lab.begin()
    for _ in range(steps):
        lab.stepping.step()
    lab.ladder.held = 20  # (a rung's held-out loss on fewer names: what is checked is the sentence it makes)
    return lab


def live_after(tmp_path, steps: int, docs: list[str] | None = None) -> Live:
    lab = lab_after(tmp_path, steps, docs)
    return Live(lab.session, lab.rules)


def test_a_positions_minus_log_p_is_one_term_of_a_loss_that_is_their_mean(tmp_path, both):
    live = live_after(tmp_path, 1)
    record = live.latest
    assert record is not None
    terms = [-math.log(position.probs[position.target]) for position in record.positions]
    assert len(terms) > 1 and math.isclose(math.fsum(terms) / len(terms), record.loss, rel_tol=1e-12)
    view = live.forward()
    assert view.trace is not None and view.target is not None
    nll = f"−ln p = {-math.log(view.trace.probs[view.target]):.2f}"
    en, zh = both(lambda: forward_pass.stages(live))
    assert f"this position's term is {nll}, and the loss is the mean of the terms over the positions." in en
    assert f"这个位置的一项是 {nll}，而损失 (loss) 是这些项在所有位置上的平均。" in zh
    labels = [live.label(i) for i in range(live.vocab_size)]
    en, zh = both(lambda: ending(view.trace, view.target, labels))  # (the forward view's last line)
    assert en.endswith(f"{nll}: one of the terms the loss averages")
    assert zh.endswith(f"{nll}：损失 (loss) 是各位置这一项的平均")
    assert max(cell_len(f"  ↳ {text}") for text in (en, zh)) < 80  # (the view draws it on one line: it must fit)


def attention_says(gap: float) -> tuple[str, str]:
    """What chapter 8 must say of a held-out gap (without attention minus with it), in English and in 中文."""
    if f"{abs(gap):.3f}" == "0.000":
        return "Attention leaves it the same to three decimals.", "到小数点后三位，注意力没有改变它。"
    if gap > 0:
        return f"Attention takes {gap:.3f} off it.", f"注意力让它减少了 {gap:.3f}。"
    return f"Attention adds {-gap:.3f} to it: on these runs it made the loss worse.", f"注意力让它增加了 {-gap:.3f}："


def test_attentions_gap_is_said_the_way_it_went(tmp_path, both):
    lab = lab_after(tmp_path, 4, config=replace(SMALL, steps=4))
    live = Live(lab.session, lab.rules)
    keys = [("names", "no attention"), ("names", "microgpt")]
    lab.ladder.climb(keys)
    run_jobs(lab)
    book = lab.session.ladder
    without, with_ = book.climbed[keys[0]], book.climbed[keys[1]]
    assert without.held_out is not None and with_.held_out is not None
    gap = without.held_out - with_.held_out
    # the two runs as they landed, then swapped (the gap the other way), then level
    for first, second in ((without, with_), (with_, without), (without, replace(with_, held_out=without.held_out))):
        book.climbed[keys[0]], book.climbed[keys[1]] = first, second
        assert first.held_out is not None and second.held_out is not None
        en, zh = both(lambda: attention.names(live))
        want_en, want_zh = attention_says(first.held_out - second.held_out)
        assert want_en in en and want_zh in zh, (en, zh)
    assert f"{abs(gap):.3f}" != "0.000"  # (the real runs differ: the level case above is made, not measured)


def test_the_ladder_says_when_no_rung_lowers_the_loss(tmp_path, both):
    lab = lab_after(tmp_path, 4, config=replace(SMALL, steps=4))
    live = Live(lab.session, lab.rules)
    names = ladder.rung_names()
    lab.ladder.climb([("names", name) for name in names])
    run_jobs(lab)
    book = lab.session.ladder
    held = {name: book.climbed["names", name].held_out for name in names}
    drops = [held[b] - held[a] for a, b in zip(names, names[1:])]  # type: ignore[operator]
    en, zh = both(lambda: ladder.steps(live))
    assert ("The largest drop is" in en) == (min(drops) < 0) and ("No rung lowers it." in en) == (min(drops) >= 0)
    for i, name in enumerate(names):  # every rung above the one before it: no drop anywhere
        book.climbed["names", name] = replace(book.climbed["names", name], held_out=2.0 + i / 10)
    en, zh = both(lambda: ladder.steps(live))
    assert "No rung lowers it." in en and "The largest drop" not in en and "+0.100" in en
    assert "没有哪一级让它下降。" in zh and "降得最多" not in zh


def test_the_chapter_3_summary_names_no_dataset_s_vocabulary(tmp_path):
    copy = live_after(tmp_path, 0, microgpt_data.built_in("copy")[0])
    assert copy.vocab_size != 27 and "27" not in loss.CHAPTER.summary  # (27 is the names' vocabulary only)
    assert "ln(vocab size)" in loss.CHAPTER.summary


@pytest.mark.parametrize("dataset", ["names", "copy"])
def test_chapter_11s_vocabulary_is_one_token_per_character_and_bos(tmp_path, dataset, both):
    docs = microgpt_data.built_in(dataset)[0][:300]
    live = live_after(tmp_path, 0, docs)
    assert live.vocab_size == len(set("".join(docs))) + 1
    en, zh = both(lambda: production.here(live))
    assert f"a vocabulary of {live.vocab_size} tokens (one per character, and BOS ◆)" in en
    assert f"有 {live.vocab_size} 个词元 (token)（每个字符一个，外加 BOS ◆）" in zh


def test_chapter_7_averages_the_steps_taken_while_there_are_fewer_than_100(tmp_path, both):
    for steps in (1, 7, 101):
        live = live_after(tmp_path, steps)
        losses = live.session.history.losses
        now = f"{math.fsum(losses[-100:]) / min(100, len(losses)):.3f}"
        assert len(losses) == steps
        below = training.below_question(live).settle(live).text
        held = training.held_question(live).settle(live).text
        curve = training.curve(live)
        zh_below, zh_held = (
            both(lambda live=live: training.below_question(live).settle(live).text)[1],
            both(lambda live=live: training.held_question(live).settle(live).text)[1],
        )
        if steps == 1:
            assert below.startswith(f"The one step taken so far has loss {now}; ")
            assert f"; the one step it has taken had loss {now}." in held
            assert f"1 step done; its loss is {now}" in curve
        elif steps < 100:
            assert below.startswith(f"The {steps} steps taken so far average {now}; ")
            assert f"; the {steps} steps it has taken averaged {now}." in held
            assert f"{steps} steps done; they average {now}" in curve
        else:
            assert below.startswith(f"The last 100 steps average {now}; ")
            assert f"; its last 100 steps averaged {now}." in held
            assert f"{steps} steps done; the last 100 average {now}" in curve
        counted = f"{min(steps, 100)} 步" if steps < 100 else "最近 100 步"
        assert counted in zh_below and counted in zh_held and now in zh_below and now in zh_held


def test_the_checker_says_it_compared_the_printed_loss_when_the_script_keeps_no_loss(tmp_path, both):
    data = tmp_path / "names.txt"
    data.write_text("\n".join(TINY) + "\n", encoding="utf-8")
    renamed = [  # (the learner called it `total`: the checker can read only the line the script prints)
        ("    loss = (1 / n)", "    total = (1 / n)"),
        ("    loss.backward()", "    total.backward()"),
        ("{loss.data:.4f}", "{total.data:.4f}"),
    ]
    # A smaller model and two short samples (the checker reads the settings from the file): the verdict's words
    # are what is checked, and the script runs once per language.
    smaller = [("n_embd = 16", "n_embd = 8"), ("block_size = 16", "block_size = 8")]
    smaller.append(("for sample_idx in range(20):", "for sample_idx in range(2):"))
    script = variant(tmp_path, "total.py", renamed + smaller, steps=2)
    said = {}
    for lang in ("en", "zh"):
        result = in_process("--lang", lang, "check", str(script), "--data", str(data), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        said[lang] = [line for line in result.stdout.splitlines() if not line.startswith("│")]
    printed = [line.split("| loss ")[1] for line in result.stdout.splitlines() if "| loss " in line]
    assert len(printed) == 2  # (what was compared: the loss the script printed, 4 decimals a step)
    assert all(len(figure.split(".")[1]) == 4 for figure in printed)
    verdict = "identical to microgpt for 2 steps (of 2) in the printed loss, to its 4 decimals; the loss at step 2 is "
    assert verdict + printed[1] in said["en"] and not any("to the last bit" in line for line in said["en"])
    zh_verdict = "与 microgpt 在打印出的损失 (loss) 上相同（到它的 4 位小数），共 2 步（总共 2 步）；第 2 步的损失是 "
    assert zh_verdict + printed[1] in said["zh"]


def test_the_gold_lines_mean_is_of_the_steps_taken_while_there_are_fewer_than_its_window(tmp_path, both):
    lab = lab_after(tmp_path, 3)
    history = lab.session.history
    assert history.window > 3 and history.mean is not None
    assert math.isclose(history.mean, math.fsum(history.losses) / 3, rel_tol=1e-12)  # (three losses, not 50)

    def loss_help() -> str:
        return next(body for pid, _, body in lab.reference.explanations() if pid == "loss")

    en, zh = both(loss_help)
    mean = f"{history.mean:.3f}"
    assert f"the mean of the last {history.window} steps (of all of them while there are fewer; {mean} now)" in en
    assert f"最近 {history.window} 步的平均（不足 {history.window} 步时是已走全部步的平均；现在是 {mean}）" in zh


@pytest.mark.parametrize("dataset", ["names", "copy"])
def test_the_ablation_question_names_the_datas_own_documents(tmp_path, dataset, both):
    docs = microgpt_data.built_in(dataset)[0][:300]
    lab = lab_after(tmp_path, 2, docs, dataset=dataset)
    live = Live(lab.session, lab.rules)
    word, zh_word = ("words", "单词") if dataset == "copy" else ("names", "名字")
    (en_q, en_said), (zh_q, zh_said) = both(
        lambda: (attention.ablate_question(live).prompt, attention.ablate_question(live).settle(live).text)
    )
    assert f"the loss on held-out {word} most?" in en_q and en_said.startswith(f"On {attention.HELD} held-out {word} ")
    assert f"留出 (held-out) {zh_word}上" in zh_q and f"个留出 (held-out) {zh_word}上" in zh_said
