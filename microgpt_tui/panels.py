"""Provides `Panels`: hands the lab's views to the main screen's widgets.

The app owns one of these. Each `push_*` reads one immutable view from the lab
and hands it to its widget only when it differs from the one handed last (the
lab's views are memos: an unchanged view is the same object), so a panel
redraws when what it shows changed, not on every intent; `sync`
also reflects the lab's modes in classes (-training, -sampling, -past, -ablated) on the widgets each one styles
and takes the quiz and tour panels down when the lab has closed them. It
decides nothing: what to show is the lab's, how to draw it the widgets'.
"""

from __future__ import annotations

from textual.widget import Widget

from microgpt_tui import texts
from microgpt_tui.core.lab import Lab
from microgpt_tui.core.views import TourCard
from microgpt_tui.features.panels.attention_panel import AttentionPanel
from microgpt_tui.features.panels.loss_plot import LossPlot
from microgpt_tui.features.panels.param_panel import ParamPanel
from microgpt_tui.features.panels.status_bar import StatusBar
from microgpt_tui.features.panels.token_panel import TokenPanel
from microgpt_tui.features.quiz.panel import QuizPanel
from microgpt_tui.features.sampling.samples_panel import SamplesPanel
from microgpt_tui.features.tour.panel import TourPanel
from microgpt_tui.screens.main import MainScreen

TOUR_FOCUS = "-tour-focus"


# Each mode's class, on the widgets app.tcss styles with it (and on no others: setting a class restyles the
# widget it is set on and all below it, so on the screen each r, , or z restyled every widget there is).
MODE_STYLED = {
    "-training": ("#status", "#loss"),
    "-sampling": ("#status", "#attention", "#tokens", "#samples"),
    "-past": ("#status", "#attention", "#tokens", "#params"),
    "-ablated": ("#attention", "#tokens"),
}


class Panels:
    def __init__(self, main: MainScreen, lab: Lab, show_rate: bool = True):
        self.main, self.lab, self.show_rate = main, lab, show_rate
        self.focus_before_quiz: Widget | None = None
        self._quiz_mounted = False  # (so that an intent with no quiz does not search the screen for its panel)
        self._tour_card: TourCard | None = None
        self._handed: dict[str, object] = {}  # panel -> the view handed to it last
        self.handed = 0  # views handed over this session (a benchmark counts them)

    def _new(self, panel: str, view: object, same: bool = False) -> bool:
        """Whether `view` is new for `panel` (then it is remembered as handed). `same`: compare by value
        (a small view made afresh each time, like the status line's); otherwise by identity (a memo)."""
        last = self._handed.get(panel, self)
        if last is view or (same and last == view):
            return False
        self._handed[panel] = view
        self.handed += 1
        return True

    def sync(self) -> None:
        """Everything cheap, after an intent: modes, status, the selection, samples, quiz and tour.

        The parameter table and the loss plot follow too unless training runs
        (then the repaint timer takes them in turns).
        """
        lab, main = self.lab, self.main
        for flag, name in (
            (lab.training, "-training"),
            (lab.mode == "sampling", "-sampling"),
            (lab.viewing_past, "-past"),
            (bool(lab.interventions.ablation), "-ablated"),
        ):
            for styled in MODE_STYLED[name]:  # (a class on the screen would restyle every widget on it)
                main.query_one(styled).set_class(flag, name)
        self.push_status()
        self.push_view()
        self.push_samples()
        if not lab.training:
            self.push_params()
            self.push_loss()
        self._sync_quiz()
        self._sync_tour()

    def reshape(self) -> None:
        """Another run is live: the attention panel's layers and heads, the token panel's vocabulary."""
        lab, main = self.lab, self.main
        config = main.config = lab.trainer.config
        attention = main.query_one("#attention", AttentionPanel)
        attention.n_layer, attention.n_head = (config.n_layer if config.attention else 0), config.n_head
        attention.without = (
            "n_layer 0: the embeddings go straight into lm_head"
            if not config.n_layer
            else "each block keeps only its MLP (attention off)"
        )
        main.query_one("#tokens", TokenPanel).vocab_labels = list(lab.vocab_labels)
        self._handed.clear()  # (everything is drawn anew for the new run)
        self.sync()

    def retranslate(self) -> None:
        """The language changed: every panel is handed its view again, to draw it in the new one."""
        self._handed.clear()
        self.sync()

    def push_status(self) -> None:
        status = self.lab.status(self.show_rate)
        if self._new("status", status, same=True):
            self.main.query_one("#status", StatusBar).status = status

    def push_samples(self) -> None:
        view = self.lab.samples_view()
        if self._new("samples", view, same=True):
            self.main.query_one("#samples", SamplesPanel).view = view

    def push_view(self) -> None:
        """The shown sequence and the selection, to the attention and token panels (and the quiz card)."""
        lab, main = self.lab, self.main
        sel = lab.selection
        shown, attended = lab.shown(), lab.attention_shown()  # (the quiz hides what comes after the asked position)
        if self._new("view", (shown, attended, sel), same=True):  # (the sequences compared by identity: memos)
            attention, tokens = main.query_one("#attention", AttentionPanel), main.query_one("#tokens", TokenPanel)
            tokens.sequence = shown
            attention.sequence = attended
            attention.layer_index, attention.head, attention.all_heads = sel.layer, sel.head, sel.all_heads
            attention.position = tokens.position = sel.position
            tokens.temperature = sel.temperature
        if lab.quizzing.on:
            # query, not query_one: the screen's query_one cache is keyed by its count of DOM changes, so
            # each quiz panel it answered stayed alive there after its removal (up to 1,024 answers kept).
            for quiz in main.query(QuizPanel):  # (none while it is being mounted)
                quiz.card = lab.quiz_card()

    def push_params(self) -> None:
        view = self.lab.param_view()
        if self._new("params", view):
            self.main.query_one("#params", ParamPanel).view = view

    def push_loss(self, resized: bool = False) -> None:
        """The loss plot's view (`resized`: the plot's width changed, so it is drawn anew whatever the view)."""
        plot = self.main.query_one("#loss", LossPlot)
        view = self.lab.loss_view(2 * max(10, plot.size.width))
        if self._new("loss", view) or resized:
            plot.show(view)

    async def open_quiz(self) -> None:
        """The lab opened the quiz: its panel takes the token panel's place, and the focus."""
        if not self.lab.quizzing.on or self.main.query(QuizPanel):
            return
        tokens = self.main.query_one("#tokens")
        self.focus_before_quiz = self.main.focused
        panel = QuizPanel(list(self.lab.vocab_labels), id="quiz")
        self._quiz_mounted = True
        await self.main.query_one("#body").mount(panel, after=tokens)
        tokens.display = False
        panel.focus()

    def keep_quiz_focused(self, widget: Widget) -> None:
        """Keep the keys with the quiz: a click on another panel must not turn letters into commands."""
        if self.lab.quizzing.on and widget.screen is self.main and not isinstance(widget, QuizPanel):
            for panel in self.main.query(QuizPanel):
                panel.focus()

    async def open_tour(self) -> None:
        """The tour is on: its panel under the body (or, already there, the focus back on it)."""
        panels = self.main.query(TourPanel)
        if self.lab.touring.tour is not None and not panels:
            await self.main.mount(TourPanel(id="tour"), after="#body")
        elif panels:
            panels.first().focus()

    def _sync_quiz(self) -> None:
        if self.lab.quizzing.on or not self._quiz_mounted:
            return
        self._quiz_mounted = False
        for panel in self.main.query(QuizPanel):
            before = self.focus_before_quiz
            self.main.set_focus(
                before if before is not None and before.is_attached else None
            )  # first, so the removal does not pass focus on
            panel.remove()
            self.main.query_one("#tokens").display = True
        self.focus_before_quiz = None

    def _sync_tour(self) -> None:
        card = self.lab.touring.card
        if card is self._tour_card:
            return
        self._tour_card = card
        for pid in texts.PANELS:  # (the main screen's panels, by id)
            self.main.query_one(f"#{pid}").set_class(card is not None and pid == card.panel, TOUR_FOCUS)
        panels = self.main.query(TourPanel)
        if card is None:
            panels.remove()
        elif panels:
            panels.first().card = card
            panels.first().focus()
