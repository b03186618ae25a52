"""Provides `LossPlot`: the loss of every step so far, its trailing mean and two baselines.

The x axis spans the configured number of steps from the start, so the curve
grows into it. The history is downsampled to about two points per column
before plotting (plotext's cost grows with the number of points).
"""

from textual_plotext import PlotextPlot

LOSS = (95, 135, 175)
MEAN = (255, 215, 0)
UNIFORM = (215, 95, 95)
BIGRAM = (95, 215, 135)
VIEWED = (255, 135, 255)


def nice_ticks(total, count=4):
    """About `count` + 1 round step numbers from 0 to `total`."""
    raw = max(1, total / count)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    candidates = (m * magnitude for m in (1, 2, 2.5, 5, 10))
    step = min((c for c in candidates if c >= raw and c == int(c)), default=raw)
    ticks, x = [], 0
    while x <= total:
        ticks.append(int(x))
        x += step
    return ticks


class LossPlot(PlotextPlot, can_focus=True):
    """Loss per step (dots), its trailing mean (line), uniform and bigram references."""

    def __init__(self, history, total_steps, mean_window, start=0, **kwargs):
        super().__init__(**kwargs)
        self.history = history
        self.total_steps = total_steps
        self.start = start  # the step the history starts after (a loaded checkpoint's)
        self.mean_window = mean_window
        self.uniform = None
        self.bigram = None
        self.viewed_step = None  # time travel: the step the other panels show, marked by a line
        self.border_title = "loss"
        self._legend()

    def set_baselines(self, uniform, bigram):
        self.uniform, self.bigram = uniform, bigram
        self._legend()
        self.replot()

    def _legend(self):
        rgb = "rgb({},{},{})".format
        parts = [f"[{rgb(*LOSS)}]⠂ step[/]", f"[{rgb(*MEAN)}]━ mean({self.mean_window})[/]"]
        if self.uniform is not None:
            parts.append(f"[{rgb(*UNIFORM)}]─ uniform[/]")
        if self.bigram is not None:
            parts.append(f"[{rgb(*BIGRAM)}]─ bigram[/]")
        self.border_subtitle = " ".join(parts)

    def on_resize(self):
        self.replot()

    def replot(self):
        """Rebuild the plot's data from the history; call after it changed."""
        plt = self.plt
        plt.clear_data()
        width = max(10, self.size.width)
        xs, ys, xm, means = self.history.series(2 * width, first_step=self.start + 1)
        values = list(ys)
        if xs:
            plt.scatter(xs, ys, marker="braille", color=LOSS)
            plt.plot(xm, means, marker="braille", color=MEAN)
        right = max(self.total_steps, 1)
        for value, name, color in ((self.uniform, "uniform", UNIFORM), (self.bigram, "bigram", BIGRAM)):
            if value is not None:
                values.append(value)
                plt.horizontal_line(value, color=color)
                plt.text(f"{name} {value:.2f}", x=right, y=value, alignment="right", color=color)
        if self.viewed_step is not None:
            plt.vertical_line(self.viewed_step, color=VIEWED)
        low, high = (min(values), max(values)) if values else (0.0, 4.0)
        pad = max(0.05, (high - low) * 0.08)
        plt.ylim(max(0.0, low - pad), high + pad)
        plt.xlim(0, right)
        ticks = nice_ticks(right)
        plt.xticks(ticks, [f"{t:,}" for t in ticks])
        self.refresh()
