"""Provides `LossPlot`: the loss of every step so far, its trailing mean, two baselines and the earlier runs.

The x axis spans the configured number of steps, so the curve grows into it.
The lab hands over the curves already downsampled to about two points per
column (plotext's cost grows with the number of points); when the plot is
resized it asks for a new view.
"""

from typing import Any

from rich.cells import cell_len
from textual.color import Color
from textual.message import Message
from textual_plotext import PlotextPlot

from microgpt_tui.core.views import LossView
from microgpt_tui.language import _
from microgpt_tui.literal import in_markup
from microgpt_tui.theme_follow import follow_theme

LOSS = (95, 135, 175)
MEAN = (255, 215, 0)
UNIFORM = (215, 95, 95)
BIGRAM = (95, 215, 135)
VIEWED = (255, 135, 255)
# The same lines on a light theme, dark enough to read on its pale background.
ON_LIGHT = {
    LOSS: (40, 80, 140),
    MEAN: (160, 110, 0),
    UNIFORM: (180, 40, 40),
    BIGRAM: (20, 125, 60),
    VIEWED: (160, 0, 160),
}
# Earlier runs: muted, distinct hues, so the live run's bright curves stay in front.
EARLIER = ((120, 120, 160), (160, 120, 100), (100, 150, 130), (150, 110, 150), (140, 140, 100), (110, 140, 170))


def earlier_color(number: int) -> tuple[int, int, int]:
    return EARLIER[number % len(EARLIER)]


def nice_ticks(total: int, count: int = 4) -> list[int]:
    """About `count` + 1 round step numbers from 0 to `total`."""
    raw = max(1, total / count)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    candidates = (m * magnitude for m in (1, 2, 2.5, 5, 10))
    step = min((c for c in candidates if c >= raw and c == int(c)), default=raw)
    ticks: list[int] = []
    x: float = 0
    while x <= total:
        ticks.append(int(x))
        x += step
    return ticks


class LossPlot(PlotextPlot, can_focus=True):
    """Loss per step (dots), its trailing mean (line), uniform and bigram references."""

    class Resized(Message):
        """The plot's width changed: it wants a view with as many points as it now has room for."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view: LossView | None = None
        self.border_title = _("loss")

    def retranslate(self) -> None:
        """The language changed (switching.py)."""
        self.border_title = _("loss")

    def show(self, view: LossView) -> None:
        """Draw `view` (nothing happens if it is the one already drawn)."""
        if view == self.view:
            return
        self.view = view
        self._legend(view)
        self.replot()

    def _legend(self, view: LossView) -> None:
        """The legend under the plot: as much of it as the border has room for, whole entries only.

        The reference lines are labelled inside the plot too, so they are the first to go.
        """
        rgb = "rgb({},{},{})".format
        if view.others:  # the baselines are labelled inside the plot: the legend names the runs
            runs = [(f"━ {view.name}", self._c(MEAN))] + [(f"━ {c.name}", earlier_color(c.number)) for c in view.others]
            choices = [runs[:n] for n in range(len(runs), 0, -1)]
        else:

            def entries(window: str, gap: str = " ") -> list[tuple[str, tuple[int, int, int]]]:
                step, mean, uniform, bigram = _("step"), _("mean"), _("uniform"), _("bigram")
                shown = [(f"⠂{gap}{step}", self._c(LOSS)), (f"━{gap}{mean}{window}", self._c(MEAN))]
                if view.uniform is not None:
                    shown.append((f"─{gap}{uniform}", self._c(UNIFORM)))
                if view.bigram is not None:
                    shown.append((f"─{gap}{bigram}", self._c(BIGRAM)))
                return shown

            full, short = entries(f"({view.window})"), entries("", "")
            choices = [full, short] + [short[:n] for n in range(len(short) - 1, 0, -1)]
        room = self.size.width - 5 if self.size.width else None  # (the corners, a dash and a space each side)
        chosen = next((c for c in choices if room is None or cell_len(" ".join(t for t, _ in c)) <= room), choices[-1])
        # (the run names are the learner's: placed in the markup escaped, never read as markup themselves)
        self.border_subtitle = " ".join(f"[{rgb(*color)}]{in_markup(text)}[/]" for text, color in chosen)

    def on_mount(self) -> None:
        follow_theme(self, LossPlot._redraw)

    def _redraw(self) -> None:
        """The theme changed: the lines and the legend in its colours."""
        if self.view is None:
            return  # (nothing drawn yet)
        self._legend(self.view)
        self.replot()

    def _c(self, color: tuple[int, int, int]) -> tuple[int, int, int]:
        """`color` as drawn on the app's theme: darker on a light one."""
        dark = self.app.current_theme.dark if self.is_attached else True
        return color if dark else ON_LIGHT.get(color, color)

    def _surface(self) -> tuple[int, int, int]:
        return Color.parse(self.app.theme_variables.get("surface", "black")).rgb

    def on_resize(self) -> None:
        if self.view is not None:
            self._legend(self.view)
        self.post_message(self.Resized())
        self.replot()

    def replot(self) -> None:
        """Rebuild the plot's data from the view."""
        plt, view = self.plt, self.view
        plt.clear_data()
        if view is None:
            self.refresh()
            return
        values = list(view.losses)
        right = max(view.total_steps, 1)
        for other in view.others:  # first, so the live run's curves are drawn over them
            color = earlier_color(other.number)
            if other.xs:
                plt.plot(list(other.xs), list(other.means), marker="braille", color=color)
                values.extend(other.means)
                right = max(right, int(other.xs[-1]))
            elif other.level is not None:
                plt.horizontal_line(other.level, color=color)
                values.append(other.level)
        if view.xs:
            plt.scatter(list(view.xs), values, marker="braille", color=self._c(LOSS))
            plt.plot(list(view.xs_mean), list(view.means), marker="braille", color=self._c(MEAN))
        # (the labels inside the plot stay English in every language: plotext counts a wide character as one
        # cell and the plot shifts; the legend under it names the lines in the language)
        for value, name, color in (
            (view.uniform, "uniform", self._c(UNIFORM)),
            (view.bigram, "bigram", self._c(BIGRAM)),
        ):
            if value is not None:
                values.append(value)
                plt.horizontal_line(value, color=color)
                plt.text(
                    f"{name} {value:.2f}", x=right, y=value, alignment="right", color=color, background=self._surface()
                )  # (on the plot's own background: no black box behind the label on a light theme)
        if view.viewed_step is not None:
            plt.vertical_line(view.viewed_step, color=self._c(VIEWED))
        low, high = (min(values), max(values)) if values else (0.0, 4.0)
        pad = max(0.05, (high - low) * 0.08)
        plt.ylim(max(0.0, low - pad), high + pad)
        plt.xlim(0, right)
        ticks = nice_ticks(right)
        positions: list[float] = list(ticks)  # (plotext's annotation asks for floats; the ints go in as they are)
        plt.xticks(positions, [f"{t:,}" for t in ticks])
        self.refresh()
