"""Provides `StatusBar`: training numbers on one line, the latest event on the next."""

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

from microgpt_tui.core.labels import learning_rate, number_or_dash
from microgpt_tui.core.views import Status
from microgpt_tui.language import N_, _, ngettext
from microgpt_tui.texts import STATUS_TOOLTIPS

MODE_NAMES = {"paused": N_("PAUSED"), "training": N_("TRAINING"), "sampling": N_("SAMPLING")}
MODES = {"paused": "#d7af5f", "training": "#5fd75f", "sampling": "#87afff"}


class StatusBar(Widget, can_focus=True):
    """step / total, loss, EMA, lr, steps/s, mode, parameter count, dataset; a tooltip for each."""

    DEFAULT_CSS = "StatusBar { height: 2; }"

    status: reactive[Status] = reactive(Status)
    """What to show; the app replaces it as a whole."""

    def render(self) -> RenderResult:
        return status_text(self.status, self.content_size.width or None)[0]

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """The tooltip explains the field under the pointer (texts.STATUS_TOOLTIPS)."""
        at = event.get_content_offset(self)
        if at is None:
            return
        name = (
            "note"
            if at.y >= 1
            else next(
                (f for a, b, f in status_text(self.status, self.content_size.width or None)[1] if a <= at.x < b), None
            )
        )
        tip = STATUS_TOOLTIPS.get(name) if name is not None else None
        self.tooltip = _(tip) if tip else None


DROPPABLE = ("params", "docs", "ema")  # what a narrow status line leaves out, first to last


Fields = list[tuple[int, int, str]]  # (start cell, end cell, name) of each field on the first line


def status_text(s: Status, width: int | None = None) -> tuple[Text, Fields]:
    """The two lines for `s`, and where each field sits on the first: [(start cell, end cell, name)].

    When the first line is wider than `width`, whole fields drop out (`DROPPABLE`) instead of the line
    ending in an ellipsis.
    """
    for n in range(len(DROPPABLE) + 1):
        text, fields = _status_text(s, DROPPABLE[:n], width)
        if width is None or cell_len(text.plain.split("\n")[0].rstrip()) <= width:
            break
    return text, fields


def crop_words(line: str, width: int | None) -> str:
    """`line` if it fits in `width` cells, else its longest start ending at a whole word, then "…"."""
    if width is None or cell_len(line) <= width:
        return line
    words = line.split(" ")
    kept = ""
    for word in words:
        longer = f"{kept} {word}" if kept else word
        if cell_len(longer) + 1 > width:
            break
        kept = longer
    kept = kept.rstrip(" ·:,;—-")  # (no dangling separator before the ellipsis)
    return kept + "…" if kept else set_cell_size(line, max(width - 1, 0)) + "…"  # (cells: a CJK character is 2)


def _status_text(s: Status, dropped: Sequence[str], width: int | None = None) -> tuple[Text, Fields]:
    text = Text(no_wrap=True, overflow="ellipsis")
    fields: Fields = []

    def span(name: str, start: int) -> None:
        fields.append((start, text.cell_len, name))

    def field(name: str, shown: str, style: str = "bold") -> None:
        start = text.cell_len
        text.append(f"{_(name)} ", style="dim").append(shown, style=style).append("  ")
        span(name, start)

    field(N_("step"), f"{s.step:,}/{s.total:,}")
    field(N_("loss"), number_or_dash(s.loss, ".3f"))
    if "ema" not in dropped:
        field(N_("ema"), number_or_dash(s.ema, ".3f"))
    field(N_("lr"), learning_rate(s.lr))
    if s.mode == "training" and s.show_rate and s.rate is not None:  # (none until two steps have come in)
        start = text.cell_len
        shown = f"{s.rate:.0f}"
        per_second = ngettext("step/s", "steps/s", int(shown))
        text.append(shown, style="bold").append(f" {per_second}  ", style="dim")
        span("rate", start)
    if s.speed != "max speed":  # the speed control, once it is set to a pace (} back to max)
        field(N_("speed"), s.speed.split(" ")[0] + "/s", "bold #ffaf5f")
    start = text.cell_len
    text.append(
        f" {_(MODE_NAMES.get(s.mode, s.mode.upper()))} ", style=f"bold black on {MODES.get(s.mode, 'white')}"
    ).append("  ")
    span("mode", start)
    if "params" not in dropped:
        field(N_("params"), f"{s.num_params:,}")
    start = text.cell_len
    text.append(s.dataset, style="bold")
    if "docs" not in dropped:
        text.append(" " + _("{count} docs").format(count=f"{s.n_docs:,}"), style="dim")
    span("dataset", start)
    text.append("\n")
    note = _(s.note) if s.note else _("press space to take one training step, r to run, s to sample, ? for help")
    text.append(crop_words(note, width), style="italic")  # (ends at a word, never mid-word)
    return text, fields
