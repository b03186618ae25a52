"""Provides `QuizCard`: predict-then-reveal as a Rich renderable.

Before the learner guesses, the model's distribution is hidden: only the
context and the question show. After the guess, the distribution appears with
the actual next character (▸), the learner's guess (●) and the model's top
choice (▲) marked, and the running score under it.
"""

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Group
from rich.style import Style
from rich.text import Text

from microgpt_tui.core.labels import visible
from microgpt_tui.core.said import spoken
from microgpt_tui.core.views import QuizCard
from microgpt_tui.language import _
from microgpt_tui.renderables.prob_bars import ProbabilityBars

GUESS = Style(color="#ffd75f", bold=True)
TOP = Style(color="#87d7ff", bold=True)
HIT, MISS = "#5fd75f", "#ff8787"


def render_card(card: QuizCard, labels: Sequence[str], height: int) -> Group:
    """The card for `height` lines: header, verdict or question, score, bars."""
    labels = [visible(label) for label in labels]
    context = card.context if len(card.context) <= 16 else "…" + card.context[-15:]
    text = Text(no_wrap=True, overflow="ellipsis")
    where = _("next sample char after ") if card.live else _("pos {pos} after ").format(pos=card.position)
    text.append(where, style="dim").append(context, style="bold").append("\n")
    p = card.probs
    revealed = p is not None
    if p is not None:
        assert card.actual is not None and card.guess is not None and card.top is not None  # (revealed: all three)
        actual, you, model = _("actual"), _("you"), _("model")
        width = max(map(cell_len, (actual, you, model))) + 1  # (the three answers in one column, in cells)
        text.append(actual.ljust(width - cell_len(actual) + len(actual)))
        text.append(labels[card.actual], style=f"bold {HIT}").append(f"  p {p[card.actual] * 100:.1f}%\n")
        hit = card.guess == card.actual
        text.append(you.ljust(width - cell_len(you) + len(you))).append(labels[card.guess], style=GUESS)
        text.append(f"  {'✓' if hit else '✗'}", style=HIT if hit else MISS).append(f" p {p[card.guess] * 100:.1f}%\n")
        model_hit = card.top == card.actual
        text.append(model.ljust(width - cell_len(model) + len(model))).append(labels[card.top], style=TOP)
        text.append(f"  {'✓' if model_hit else '✗'}", style=HIT if model_hit else MISS)
        text.append(" " + _("top choice") + "\n")
    else:
        text.append(_("what comes next? type it") + "\n", style="bold")
        text.append(_("enter: the name ends (◆)") + "\n", style="dim")
        text.append(_("model's answer: hidden") + "\n", style="dim italic")
    score = _("you {you}/{turns} · model {model}/{turns}").format(
        you=card.learner_hits, model=card.model_hits, turns=card.turns
    )
    text.append(score + "\n", style="bold")
    mean = f"{card.mean_p_actual * 100:.0f}%" if card.turns else "—"
    text.append(_("model mean p(actual) {mean}").format(mean=mean) + "\n", style="dim")
    if card.message:
        text.append(spoken(card.message) + "\n", style="italic #ffaf5f")
    text.append(_("→ next · p/esc leaves") if revealed else _("esc leaves"), style="dim")
    if p is None:
        return Group(text)  # (a Group: the widget draws it as Rich lines, cropped, like the revealed card)
    assert card.actual is not None and card.guess is not None and card.top is not None
    marks = {card.guess: ("●", GUESS), card.top: ("▲", TOP)}
    if card.guess == card.top:
        marks = {card.guess: ("●", GUESS)}
    used = len(text.plain.splitlines())
    bars = ProbabilityBars(labels, p, marked=card.actual, height=max(1, height - used - 1), marks=marks)
    temperature = _("T 1 (raw)") if card.temperature == 1 else f"T {card.temperature:g}"
    key = _("▸ actual  ● you  ▲ model · {temperature}").format(temperature=temperature)
    return Group(text, Text(key, style="dim"), bars)
