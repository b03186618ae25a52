"""Provides `StatusBar`: training numbers on one line, the latest event on the next."""

from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

MODES = {"paused": "#d7af5f", "training": "#5fd75f", "sampling": "#87afff"}


@dataclass(frozen=True)
class Status:
    step: int = 0
    total: int = 0
    loss: float | None = None
    ema: float | None = None
    lr: float | None = None
    rate: float | None = None  # steps per second while training
    mode: str = "paused"
    num_params: int = 0
    dataset: str = ""
    n_docs: int = 0
    note: str = ""  # the latest event, in words
    show_rate: bool = True  # False for deterministic screenshots


def value(x, fmt):
    return "—" if x is None else format(x, fmt)


class StatusBar(Widget):
    """step / total, loss, EMA, lr, steps/s, mode, parameter count, dataset."""

    DEFAULT_CSS = "StatusBar { height: 2; }"

    status: reactive[Status] = reactive(Status)
    """What to show; the app replaces it as a whole."""

    def render(self):
        s = self.status
        text = Text(no_wrap=True, overflow="ellipsis")

        def field(label, shown, style="bold"):
            text.append(f"{label} ", style="dim").append(shown, style=style).append("  ")

        field("step", f"{s.step:,}/{s.total:,}")
        field("loss", value(s.loss, ".3f"))
        field("ema", value(s.ema, ".3f"))
        field("lr", value(s.lr, ".2e") if s.lr is not None and s.lr < 1e-3 else value(s.lr, ".4f"))
        if s.mode == "training" and s.show_rate:
            text.append(value(s.rate, ".0f"), style="bold").append(" steps/s  ", style="dim")
        text.append(f" {s.mode.upper()} ", style=f"bold black on {MODES.get(s.mode, 'white')}").append("  ")
        field("params", f"{s.num_params:,}")
        text.append(s.dataset, style="bold").append(f" {s.n_docs:,} docs", style="dim")
        text.append("\n")
        text.append(s.note or "press space to take one training step, r to run, s to sample, ? for help", style="italic")
        return text
