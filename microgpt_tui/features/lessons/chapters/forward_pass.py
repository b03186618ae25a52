"""Chapter 2, the forward pass at one position, stage by stage, ending in p of the actual next character and
its −ln p; the temperature a sample divides the logits by."""

from __future__ import annotations

import math

from microgpt_engine.ops import softmax_floats
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Open, Press, Question, Reveal, Say
from microgpt_tui.language import N_, _, ngettext


def intro(live: Live) -> str:
    cfg = live.config
    figures = {"vocab_size": live.vocab_size, "n_embd": cfg.n_embd, "n_layer": cfg.n_layer}
    if not cfg.n_layer:
        text = _(
            "The forward pass turns one token at one position into {vocab_size} probabilities for the next. It adds "
            "the token's row of wte to the position's row of wpe ({n_embd} numbers each), goes straight on (this run "
            "has no Transformer block), and lm_head gives one score, a logit, per token. softmax turns the scores "
            "into probabilities."
        )
    elif not cfg.attention:
        text = ngettext(
            "The forward pass turns one token at one position into {vocab_size} probabilities for the next. It adds "
            "the token's row of wte to the position's row of wpe ({n_embd} numbers each), runs {n_layer} block of an "
            "MLP alone (attention is off in this run), and lm_head gives one score, a logit, per token. softmax turns "
            "the scores into probabilities.",
            "The forward pass turns one token at one position into {vocab_size} probabilities for the next. It adds "
            "the token's row of wte to the position's row of wpe ({n_embd} numbers each), runs {n_layer} blocks of an "
            "MLP alone (attention is off in this run), and lm_head gives one score, a logit, per token. softmax turns "
            "the scores into probabilities.",
            cfg.n_layer,
        )
    else:
        text = ngettext(
            "The forward pass turns one token at one position into {vocab_size} probabilities for the next. It adds "
            "the token's row of wte to the position's row of wpe ({n_embd} numbers each), runs {n_layer} Transformer "
            "block (attention, then an MLP, each adding to this vector), and lm_head gives one score, a logit, per "
            "token. softmax turns the scores into probabilities.",
            "The forward pass turns one token at one position into {vocab_size} probabilities for the next. It adds "
            "the token's row of wte to the position's row of wpe ({n_embd} numbers each), runs {n_layer} Transformer "
            "blocks (attention, then an MLP, each adding to this vector), and lm_head gives one score, a logit, per "
            "token. softmax turns the scores into probabilities.",
            cfg.n_layer,
        )
    return text.format(**figures)


OPENED = N_(
    "This is the real forward view (v): a row per stage, in the order the code computes it, its numbers as "
    "cells (red above 0, blue below) and its length |x|. ↑/↓ select a stage. It ends in p of the actual next "
    "character and −ln p."
)


def stages(live: Live) -> str:
    view = live.forward()
    trace = view.trace
    if trace is None:
        return _("The forward view has nothing to trace now: {why}.").format(why=live.q(view.message))
    logits, probs = trace.logits, trace.probs
    top = max(range(len(probs)), key=lambda i: (probs[i], -i))
    figures = {
        "pos": trace.pos,
        "token": live.label(trace.token),
        "n_stages": len(trace.stages),
        "n_logits": len(logits),
        "low": f"{min(logits):+.2f}",
        "high": f"{max(logits):+.2f}",
        "top": live.label(top),
        "p_top": f"{probs[top]:.1%}",
    }
    if view.target is not None and trace.temperature is None:
        p = probs[view.target]
        return _(
            "At position {pos} (input {token}) the {n_stages} stages end in {n_logits} logits from {low} to {high}; "
            "softmax makes them probabilities that sum to 1. The largest is {top}: {p_top}. The actual next "
            "character, {target}, has p = {p}: this position's term is −ln p = {nll}, and the loss is the mean of the "
            "terms over the positions."
        ).format(**figures, target=live.label(view.target), p=f"{p:.1%}", nll=f"{-math.log(p):.2f}")
    return _(
        "At position {pos} (input {token}) the {n_stages} stages end in {n_logits} logits from {low} to {high}; "
        "softmax makes them probabilities that sum to 1. The largest is {top}: {p_top}."
    ).format(**figures)


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
            _(
                "The model's probabilities after {context}: {ranked}. The largest of all {n} is {best}. The token "
                "panel's bars and the view's last stage are these numbers."
            ).format(context=context, ranked=ranked, n=len(probs), best=live.label(best)),
        )

    return Question(
        _("After {context} (position {pos}), which of these does the model give the highest probability?").format(
            context=context, pos=pos
        ),
        tuple(live.plain(t) for t in choices),
        settle,
    )


def temperature(live: Live) -> str:
    t = live.session.selection.temperature
    view = live.forward()
    if view.trace is not None and t > 0:
        logits = view.trace.logits
        raw, cooled = softmax_floats(list(logits)), softmax_floats([x / t for x in logits])
        top = max(range(len(raw)), key=lambda i: (raw[i], -i))
        return _(
            "Sampling (s) runs the same forward pass, then divides the logits by the temperature, now T = {t}, "
            "before the softmax: below 1 the likely characters get likelier, above 1 the bars flatten. The view "
            "says the temperature on the stage that uses it, the probabilities, when it shows a sampled character. "
            "Here {top}: {raw} at T 1, {cooled} at T {t}."
        ).format(t=f"{t:g}", top=live.label(top), raw=f"{raw[top]:.1%}", cooled=f"{cooled[top]:.1%}")
    return _(
        "Sampling (s) runs the same forward pass, then divides the logits by the temperature, now T = {t}, "
        "before the softmax: below 1 the likely characters get likelier, above 1 the bars flatten. The view "
        "says the temperature on the stage that uses it, the probabilities, when it shows a sampled character."
    ).format(t=f"{t:g}")


CHAPTER = Chapter(
    "forward",
    N_("The forward pass"),
    N_("one position, stage by stage, to p and −ln p"),
    (
        Say(intro),
        Open("forward", "v", lambda live: _(OPENED)),
        Press("→", ("move",), lambda live: _("Press → for the next position: every stage is computed again for it.")),
        Press(
            "↓",
            ("forward_stage",),
            lambda live: _(
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
