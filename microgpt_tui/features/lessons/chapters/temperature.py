"""Chapter 10, sampling and temperature: the same model at a few temperatures, side by side.

The names are the live model's, drawn with an RNG of their own (seeded by the run's seed), so the run's
own samples and its RNG are untouched; the probabilities are the sampler's (`Sampler.probabilities`).
"""

from __future__ import annotations

import random

from microgpt_engine import Sampler
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Press, Question, Reveal, Say
from microgpt_tui.language import _

TEMPERATURES = (0.2, 0.5, 1.0, 1.5)
EACH = 5  # names per temperature


def first_probs(live: Live, temperature: float) -> list[float]:
    """The model's distribution of the first character (after BOS) at `temperature`."""
    return Sampler(live.model, live.tokenizer, None, temperature).probabilities()


def side_by_side(live: Live) -> dict[float, list[str]]:
    out = {}
    for t in TEMPERATURES:
        rng = random.Random(live.config.seed)  # the same draws at each temperature: only T differs
        out[t] = [Sampler(live.model, live.tokenizer, rng, t).run() for _ in range(EACH)]
    return out


def how(live: Live) -> str:
    return _(
        "Sampling starts from ◆, runs the model, divides each logit by the temperature T, turns the logits into "
        "probabilities and draws one token; then again from there, until ◆ comes out. T below 1 sharpens the "
        "distribution, above 1 flattens it."
    )


def top_question(live: Live) -> Question:
    probs = first_probs(live, 1.0)
    order = sorted(range(len(probs)), key=lambda i: -probs[i])[:4]
    shown = sorted(order)
    choices = tuple(live.tokenizer.label(i) for i in shown)

    def settle(live: Live) -> Reveal:
        now = first_probs(live, 1.0)
        best = max(shown, key=lambda i: now[i])
        cold, hot = first_probs(live, TEMPERATURES[0]), first_probs(live, TEMPERATURES[-1])
        return Reveal(
            shown.index(best),
            _(
                "After ◆ the model gives {char} p = {p:.1%} at T 1; at T {cold_t} it gives it {cold:.1%}, at T "
                "{hot_t} {hot:.1%}."
            ).format(
                char=live.label(best),
                p=now[best],
                cold_t=TEMPERATURES[0],
                cold=cold[best],
                hot_t=TEMPERATURES[-1],
                hot=hot[best],
            ),
        )

    return Question(_("Which of these first characters does the model find most likely after ◆?"), choices, settle)


def table(live: Live) -> str:
    names = side_by_side(live)
    lines = [f"T {t}: " + ", ".join(live.q(name) or _("(empty)") for name in got) for t, got in names.items()]
    distinct = {t: len(set(got)) for t, got in names.items()}
    return _(
        "The same model, the same random draws, four temperatures:\n{lines}\nDistinct samples of {each}: {counts}."
    ).format(lines="\n".join(lines), each=EACH, counts=_(", ").join(f"T {t} {n}" for t, n in distinct.items()))


def plus(live: Live) -> str:
    return _("The app samples at T {temperature:g}. Press + to raise it by 0.1 (- lowers it).").format(
        temperature=live.session.selection.temperature
    )


def press_s(live: Live) -> str:
    return _("Now press s: a sample drawn at T {temperature:g}.").format(temperature=live.session.selection.temperature)


CHAPTER = Chapter(
    "temperature",
    "Sampling and temperature",
    "the same model at a few temperatures, side by side",
    (
        Say(how),
        Ask(top_question),
        Say(table),
        Press("+", ("temperature",), plus),
        Press("s", ("sample",), press_s),
    ),
)
