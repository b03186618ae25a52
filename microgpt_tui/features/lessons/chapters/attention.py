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
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Open, Press, Question, Reveal, Say
from microgpt_tui.language import _, ngettext

HELD = 100  # held-out names an ablation is measured on
NONE = -1  # a reveal with no right choice: what it needs is not there yet
RUNGS = (("names", "no attention"), ("names", "microgpt"), (COPY, "no attention"), (COPY, "microgpt"))


def head_label(head: tuple[int, int], layers: int) -> str:
    if layers == 1:
        return _("head {head}").format(head=head[1])
    return _("layer {layer} head {head}").format(layer=head[0], head=head[1])


def heads(live: Live) -> str:
    cfg = live.config
    if not live.session.attends:
        return _("This run has no attention (n_layer 0 or attention off): the next steps need a run that has it.")
    if cfg.n_layer == 1:
        said = _(
            "Attention lets a position read the positions before it. This model has {n_head} heads in its one "
            "layer, each working on {head_dim} of the {n_embd} numbers. The attention panel shows one head: a row "
            "is a position looking, a column one it looks at. Press l to see the next head."
        )
    else:
        said = _(
            "Attention lets a position read the positions before it. This model has {n_head} heads in each of its "
            "{n_layer} layers, each working on {head_dim} of the {n_embd} numbers. The attention panel shows one "
            "head: a row is a position looking, a column one it looks at. Press l to see the next head."
        )
    return said.format(n_head=cfg.n_head, n_layer=cfg.n_layer, head_dim=cfg.head_dim, n_embd=cfg.n_embd)


def ablations(live: Live) -> tuple[dict[tuple[int, int], float], float, tuple[int, int] | None]:
    names = held_out_names(live.session.docs)[:HELD]
    got = ablation_losses(live.model, live.tokenizer, names)
    return {head: got.rise(head) for head in got.without}, got.intact, got.worst


def ablate_question(live: Live) -> Question:
    layers = live.config.n_layer
    choices = tuple(head_label(head, layers) for head in heads_of(live.model)) or (_("no head"),)

    def settle(live: Live) -> Reveal:
        rises, intact, worst = ablations(live)
        if worst is None:
            return Reveal(NONE, _("This run has no head to switch off."))
        said = _(", ").join(f"{head_label(h, layers)} {rise:+.4f}" for h, rise in rises.items())
        text = (
            _(
                "On {held} held-out words the loss is {intact:.4f} with every head; switching one off changes it by "
                "{said}. {Head} matters most here, by {rise:.4f}."
            )
            if live.session.dataset_name == COPY  # (the copy task's documents are words, not names)
            else _(
                "On {held} held-out names the loss is {intact:.4f} with every head; switching one off changes it by "
                "{said}. {Head} matters most here, by {rise:.4f}."
            )
        )
        return Reveal(
            heads_of(live.model).index(worst),
            text.format(
                held=HELD, intact=intact, said=said, Head=head_label(worst, layers).capitalize(), rise=rises[worst]
            ),
        )

    prompt = (
        _("Which head's ablation (switching it off) raises the loss on held-out words most?")
        if live.session.dataset_name == COPY
        else _("Which head's ablation (switching it off) raises the loss on held-out names most?")
    )
    return Question(prompt, choices, settle)


def ablate(live: Live) -> str:
    return _(
        "Press z to switch the selected head off (u undoes it; the weights never change): its output is "
        "replaced by zeros, and the next-token panel shows the probabilities without it."
    )


def climb(live: Live) -> str:
    return _(
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
        return _("still training")
    return f"{got.held_out:.3f}" if got.held_out is not None else _("no held-out name left")


def names(live: Live) -> str:
    runs = landed(live)
    without, with_ = runs.get(("names", "no attention")), runs.get(("names", "microgpt"))
    if without is not None and with_ is not None and without.held_out is not None and with_.held_out is not None:
        gap = without.held_out - with_.held_out
        if f"{abs(gap):.3f}" == "0.000":  # (the sentence quotes the gap to 3 places: say which way it went)
            said = _(
                "On names, held-out loss without attention: {without}; with it: {with_}. Attention leaves it the "
                "same to three decimals. Chapter 9 measures what each part of the model adds; the copy task next is "
                "built so that attention is needed."
            )
        elif gap > 0:
            said = _(
                "On names, held-out loss without attention: {without}; with it: {with_}. Attention takes {gap:.3f} "
                "off it. Chapter 9 measures what each part of the model adds; the copy task next is built so that "
                "attention is needed."
            )
        else:
            said = _(
                "On names, held-out loss without attention: {without}; with it: {with_}. Attention adds {gap:.3f} to "
                "it: on these runs it made the loss worse. Chapter 9 measures what each part of the model adds; the "
                "copy task next is built so that attention is needed."
            )
            gap = -gap
    else:
        said = _(
            "On names, held-out loss without attention: {without}; with it: {with_}. Chapter 9 measures what each "
            "part of the model adds; the copy task next is built so that attention is needed."
        )
        gap = 0.0
    return said.format(without=figure(without), with_=figure(with_), gap=gap)


def copy_question(live: Live) -> Question:
    choices = (_("with attention"), _("without attention"), _("about the same (within 0.05)"))

    def settle(live: Live) -> Reveal:
        runs = landed(live)
        without, with_ = runs.get((COPY, "no attention")), runs.get((COPY, "microgpt"))
        if without is None or with_ is None or without.held_out is None or with_.held_out is None:
            left = len(RUNGS) - len(runs)
            return Reveal(
                NONE,
                ngettext(
                    "{count} run of the four still training: no answer yet. Once w shows them, backspace and enter "
                    "ask again.",
                    "{count} runs of the four still training: no answer yet. Once w shows them, backspace and enter "
                    "ask again.",
                    left,
                ).format(count=f"{left:,}"),
            )
        gap = without.held_out - with_.held_out
        answer = 2 if abs(gap) < 0.05 else (0 if gap > 0 else 1)
        return Reveal(
            answer,
            _(
                "On copy-task words none of them trained on: without attention {without:.3f}, with it {with_:.3f}, a "
                "gap of {gap:.3f}, after {steps} steps each. Without attention every copied letter is a guess among "
                "{letters} letters, as the first four are."
            ).format(
                without=without.held_out,
                with_=with_.held_out,
                gap=gap,
                steps=f"{with_.rung.steps:,}",
                letters=len(set("".join(live.session.ladder.docs(COPY)))) - 1,
            ),
        )

    return Question(
        _(
            "On the copy task, which run has the lower loss on held-out words? (The answer waits for the runs: w "
            "shows them as they land.)"
        ),
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
    choices = tuple(_("head {head}").format(head=h) for h in range(n_head))

    def settle(live: Live) -> Reveal:
        got = live.session.ladder.climbed.get((COPY, "microgpt"))
        if got is None or got.final is None:
            return Reveal(
                NONE, _("The copy-task run with attention is still training: no answer yet (backspace, enter: again).")
            )
        scores = copying(got, live.session.ladder.docs(COPY))
        best = strongest(scores)
        assert best is not None
        said = _(", ").join(
            _("head {head} {share:.2f}").format(head=h, share=share) for (_l, h), share in scores.items()
        )
        return Reveal(
            best[1],
            _(
                "Averaged over the copied letters of {held} held-out words, the weight each head puts on the letter "
                "its position must repeat: {said}. Head {head} does the copying."
            ).format(held=HELD, said=said, head=best[1]),
        )

    return Question(_("In the copy-task run with attention, which head looks at the letter to copy?"), choices, settle)


def adopt(live: Live) -> str:
    if live.session.dataset_name != COPY or not live.session.attends:
        return _(
            "The copy-task run with attention is still training, so it is not live yet: once w lists it, backspace "
            "and enter make it live."
        )
    head = live.session.selection.head
    scores = attention_on(live.model, live.tokenizer, held_out_names(live.session.docs)[:HELD], copy_pairs)
    share = scores.get((live.session.selection.layer, head), 0.0)
    return _(
        "That run is now the live one (the run before it waits in w), and the panel shows head {head} on a "
        "copy-task word. A row after the bar predicts a copied letter; the letter it repeats sits four positions "
        "back, and head {head} puts {share:.0%} of its weight there, on average over {held} held-out words."
    ).format(head=head, share=share, held=HELD)


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
