"""Chapter 8, attention: the heads, what each looks at, ablating one; then the copy task, where attention is
necessary, and the head that does the copying.

The figures come from the live model (`insight/heads.py`) and from the runs the ladder trains apart
(`session.ladder`: no attention and microgpt, on names and on the copy task). Nothing is written down.
"""

from __future__ import annotations

from microgpt_data import COPY
from microgpt_data.copy_task import copy_pairs
from microgpt_engine.insight.heads import ablation_losses, attention_on, heads_of, strongest
from microgpt_engine.insight.held_out import held_out_names
from microgpt_engine.insight.ladder import Climbed
from microgpt_engine.insight.timetravel import unflatten
from microgpt_engine.model import GPT
from microgpt_engine.tokenizer import Tokenizer
from microgpt_tui.core.labels import counted
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Open, Press, Question, Reveal, Say

HELD = 100  # held-out names an ablation is measured on
NONE = -1  # a reveal with no right choice: what it needs is not there yet
RUNGS = (("names", "no attention"), ("names", "microgpt"), (COPY, "no attention"), (COPY, "microgpt"))


def head_label(head: tuple[int, int], layers: int) -> str:
    return f"head {head[1]}" if layers == 1 else f"layer {head[0]} head {head[1]}"


def heads(live: Live) -> str:
    cfg = live.config
    if not live.session.attends:
        return "This run has no attention (n_layer 0 or attention off): the next steps need a run that has it."
    where = "its one layer" if cfg.n_layer == 1 else f"each of its {cfg.n_layer} layers"
    return (
        f"Attention lets a position read the positions before it. This model has {cfg.n_head} heads in {where}, "
        f"each working on {cfg.head_dim} of the {cfg.n_embd} numbers. The attention panel shows one head: a row "
        f"is a position looking, a column one it looks at. Press l to see the next head."
    )


def ablations(live: Live) -> tuple[dict[tuple[int, int], float], float, tuple[int, int] | None]:
    names = held_out_names(live.session.docs)[:HELD]
    got = ablation_losses(live.model, live.tokenizer, names)
    return {head: got.rise(head) for head in got.without}, got.intact, got.worst


def ablate_question(live: Live) -> Question:
    layers = live.config.n_layer
    choices = tuple(head_label(head, layers) for head in heads_of(live.model)) or ("no head",)

    def settle(live: Live) -> Reveal:
        rises, intact, worst = ablations(live)
        if worst is None:
            return Reveal(NONE, "This run has no head to switch off.")
        said = ", ".join(f"{head_label(h, layers)} {rise:+.4f}" for h, rise in rises.items())
        return Reveal(
            heads_of(live.model).index(worst),
            f"On {HELD} held-out names the loss is {intact:.4f} with every head; switching one off changes it by "
            f"{said}. {head_label(worst, layers).capitalize()} matters most here, by {rises[worst]:.4f}.",
        )

    return Question("Which head's ablation (switching it off) raises the loss on held-out names most?", choices, settle)


def ablate(live: Live) -> str:
    return (
        "Press z to switch the selected head off (u undoes it; the weights never change): its output is "
        "replaced by zeros, and the next-token panel shows the probabilities without it."
    )


def climb(live: Live) -> str:
    return (
        "To see what attention adds, four runs now train apart from this one, one after another (and only while "
        "this one is not training): names with and without attention, and the copy task with and without it. "
        "A copy-task document is four letters, a bar, and the same four letters again (cafe|cafe): only a model "
        "that looks back can know the copied letters."
    )


def landed(live: Live) -> dict[tuple[str, str], Climbed]:
    book = live.session.ladder
    return {key: got for key in RUNGS if (got := book.climbed.get(key)) is not None}


def figure(got: Climbed | None) -> str:
    if got is None:
        return "still training"
    return f"{got.held_out:.3f}" if got.held_out is not None else "no held-out name left"


def names(live: Live) -> str:
    runs = landed(live)
    without, with_ = runs.get(("names", "no attention")), runs.get(("names", "microgpt"))
    gap = ""
    if without is not None and with_ is not None and without.held_out is not None and with_.held_out is not None:
        gap = f" Attention takes {without.held_out - with_.held_out:.3f} off it."
    return (
        f"On names, held-out loss without attention: {figure(without)}; with it: {figure(with_)}.{gap} Chapter "
        f"9 measures what each part of the model adds; the copy task next is built so that attention is needed."
    )


def copy_question(live: Live) -> Question:
    choices = ("with attention", "without attention", "about the same (within 0.05)")

    def settle(live: Live) -> Reveal:
        runs = landed(live)
        without, with_ = runs.get((COPY, "no attention")), runs.get((COPY, "microgpt"))
        if without is None or with_ is None or without.held_out is None or with_.held_out is None:
            left = len(RUNGS) - len(runs)
            return Reveal(
                NONE,
                f"{counted(left, 'run')} of the four still training: no answer yet. Once w shows them, backspace "
                f"and enter ask again.",
            )
        gap = without.held_out - with_.held_out
        answer = 2 if abs(gap) < 0.05 else (0 if gap > 0 else 1)
        return Reveal(
            answer,
            f"On copy-task words none of them trained on: without attention {without.held_out:.3f}, with it "
            f"{with_.held_out:.3f}, a gap of {gap:.3f}, after {with_.rung.steps:,} steps each. Without attention "
            f"every copied letter is a guess among {len(set(''.join(live.session.ladder.docs(COPY)))) - 1} "
            f"letters, as the first four are.",
        )

    return Question(
        "On the copy task, which run has the lower loss on held-out words? (The answer waits for the runs: w "
        "shows them as they land.)",
        choices,
        settle,
    )


def copying(got: Climbed, docs: list[str]) -> dict[tuple[int, int], float]:
    """Each head of a climbed copy-task run: its mean attention on the letter its position must copy."""
    assert got.final is not None and got.rung.config is not None
    tokenizer = Tokenizer.from_documents(docs)
    shapes = GPT.matrix_shapes(got.rung.config, tokenizer.vocab_size)
    model = GPT(got.rung.config, tokenizer.vocab_size, weights=unflatten(shapes, got.final.weights))
    return attention_on(model, tokenizer, held_out_names(docs)[:HELD], copy_pairs)


def head_question(live: Live) -> Question:
    got = live.session.ladder.climbed.get((COPY, "microgpt"))
    n_head = got.rung.config.n_head if got is not None and got.rung.config is not None else live.config.n_head
    choices = tuple(f"head {h}" for h in range(n_head))

    def settle(live: Live) -> Reveal:
        got = live.session.ladder.climbed.get((COPY, "microgpt"))
        if got is None or got.final is None:
            return Reveal(
                NONE, "The copy-task run with attention is still training: no answer yet (backspace, enter: again)."
            )
        scores = copying(got, live.session.ladder.docs(COPY))
        best = strongest(scores)
        assert best is not None
        said = ", ".join(f"head {h} {share:.2f}" for (_, h), share in scores.items())
        return Reveal(
            best[1],
            f"Averaged over the copied letters of {HELD} held-out words, the weight each head puts on the letter "
            f"its position must repeat: {said}. Head {best[1]} does the copying.",
        )

    return Question("In the copy-task run with attention, which head looks at the letter to copy?", choices, settle)


def adopt(live: Live) -> str:
    if live.session.dataset_name != COPY or not live.session.attends:
        return (
            "The copy-task run with attention is still training, so it is not live yet: once w lists it, backspace "
            "and enter make it live."
        )
    head = live.session.selection.head
    scores = attention_on(live.model, live.tokenizer, held_out_names(live.session.docs)[:HELD], copy_pairs)
    share = scores.get((live.session.selection.layer, head), 0.0)
    return (
        f"That run is now the live one (the run before it waits in w), and the panel shows head {head} on a "
        f"copy-task word. A row after the bar predicts a copied letter; the letter it repeats sits four "
        f"positions back, and head {head} puts {share:.0%} of its weight there, on average over {HELD} held-out "
        f"words."
    )


CHAPTER = Chapter(
    "attention",
    "Attention",
    "heads, what each looks at, ablating one; the copy task",
    (
        Press("l", ("head",), heads),
        Open("ladder_attention", "", climb),
        Ask(ablate_question),
        Press("z", ("ablate_head",), ablate),
        Say(names),
        Ask(copy_question),
        Ask(head_question),
        Open("ladder_adopt_copy", "", adopt),
    ),
)
