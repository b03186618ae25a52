"""Chapter 2, the forward pass at one position, stage by stage, ending in p of the actual next character and
its −ln p; the temperature a sample divides the logits by."""

from __future__ import annotations

import math

from microgpt_engine.ops import softmax_floats
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Open, Press, Question, Reveal, Say


def intro(live: Live) -> str:
    cfg = live.config
    plural = "s" if cfg.n_layer != 1 else ""
    if not cfg.n_layer:
        blocks = "goes straight on (this run has no Transformer block)"
    elif not cfg.attention:
        blocks = f"runs {cfg.n_layer} block{plural} of an MLP alone (attention is off in this run)"
    else:
        blocks = f"runs {cfg.n_layer} Transformer block{plural} (attention, then an MLP, each adding to this vector)"
    return (
        f"The forward pass turns one token at one position into {live.vocab_size} probabilities for the next. It "
        f"adds the token's row of wte to the position's row of wpe ({cfg.n_embd} numbers each), {blocks}, and "
        "lm_head gives one score, a logit, per token. softmax turns the scores into probabilities."
    )


OPENED = (
    "This is the real forward view (v): a row per stage, in the order the code computes it, its numbers as "
    "cells (red above 0, blue below) and its length |x|. ↑/↓ select a stage. It ends in p of the actual next "
    "character and −ln p."
)


def stages(live: Live) -> str:
    view = live.forward()
    trace = view.trace
    if trace is None:
        return f"The forward view has nothing to trace now: {live.q(view.message)}."
    logits, probs = trace.logits, trace.probs
    top = max(range(len(probs)), key=lambda i: (probs[i], -i))
    text = (
        f"At position {trace.pos} (input {live.label(trace.token)}) the {len(trace.stages)} stages end in "
        f"{len(logits)} logits from {min(logits):+.2f} to {max(logits):+.2f}; softmax makes them probabilities "
        f"that sum to 1. The largest is {live.label(top)}: {probs[top]:.1%}."
    )
    if view.target is not None and trace.temperature is None:
        p = probs[view.target]
        text += (
            f" The actual next character, {live.label(view.target)}, has p = {p:.1%}: this position adds "
            f"−ln p = {-math.log(p):.2f} to the loss."
        )
    return text


def top_question(live: Live) -> Question:
    seq = live.shown
    if seq is None or not seq.probs:
        probs: list[float] = [1.0 / live.vocab_size] * live.vocab_size
        pos, context, target = 0, "◆", None
    else:
        pos = min(live.position, len(seq.probs) - 1)
        probs, target = list(seq.probs[pos]), seq.targets[pos]
        context = "".join(live.q(label) for label in seq.labels[: pos + 1])
    order = sorted(range(len(probs)), key=lambda i: (-probs[i], i))
    candidates = [order[0], *([target] if target is not None else []), *order[2:5], order[1]]
    choices = sorted(list(dict.fromkeys(candidates))[:4])  # the top one, the truth and others, by id

    def settle(live: Live) -> Reveal:
        best = max(range(len(probs)), key=lambda i: (probs[i], -i))
        ranked = ", ".join(f"{live.label(t)} {probs[t]:.1%}" for t in sorted(choices, key=lambda t: -probs[t]))
        return Reveal(
            choices.index(best),
            f"The model's probabilities after {context}: {ranked}. The largest of all {len(probs)} is "
            f"{live.label(best)}. The token panel's bars and the view's last stage are these numbers.",
        )

    return Question(
        f"After {context} (position {pos}), which of these does the model give the highest probability?",
        tuple(live.plain(t) for t in choices),
        settle,
    )


def temperature(live: Live) -> str:
    t = live.session.selection.temperature
    view = live.forward()
    text = (
        f"Sampling (s) runs the same forward pass, then divides the logits by the temperature, now T = {t:g}, "
        "before the softmax: below 1 the likely characters get likelier, above 1 the bars flatten. The view "
        "says the temperature on the stage that uses it, the probabilities, when it shows a sampled character."
    )
    if view.trace is not None and t > 0:
        logits = view.trace.logits
        raw, cooled = softmax_floats(list(logits)), softmax_floats([x / t for x in logits])
        top = max(range(len(raw)), key=lambda i: (raw[i], -i))
        text += f" Here {live.label(top)}: {raw[top]:.1%} at T 1, {cooled[top]:.1%} at T {t:g}."
    return text


CHAPTER = Chapter(
    "forward",
    "The forward pass",
    "one position, stage by stage, to p and −ln p",
    (
        Say(intro),
        Open("forward", "v", lambda live: OPENED),
        Press("→", ("move",), lambda live: "Press → for the next position: every stage is computed again for it."),
        Press(
            "↓",
            ("forward_stage",),
            lambda live: (
                "Press ↓, again and again, to walk down the stages to the last, probs: under it, p of the "
                "actual next character and its −ln p."
            ),
        ),
        Say(stages),
        Ask(top_question),
        Say(temperature),
    ),
    lines=("def linear(", 'return linear(x, state_dict["lm_head"])'),
)
