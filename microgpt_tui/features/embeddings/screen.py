"""Provides `EmbeddingScreen`: the token embeddings (wte) on a 2-D map, moving as training goes.

`engine.embeddings.embedding_map` projects wte onto its two principal
components; this screen draws the result and redraws it at most every
`interval` seconds when a newer step has finished. It never reads the live
weights while the worker trains: the app hands over the copy of wte the worker
made after its last step (handed over by the app: `follow`).
"""

import math
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from microgpt_engine import Tokenizer
from microgpt_engine.insight.embeddings import EmbeddingPoint, embedding_map
from microgpt_tui.core.labels import DASH
from microgpt_tui.features.embeddings.scatter import STYLES, TokenScatter
from microgpt_tui.language import N_, _
from microgpt_tui.styled_text import styled
from microgpt_tui.widgets.footer import KeysFooter


class EmbeddingMap(Widget):
    """The scatter of tokens; sized to the widget."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.points: list[tuple[str, float, float]] = []

    def render(self) -> RenderResult:
        if not self.points:
            return Text(_("no embeddings yet"), style="dim")
        return TokenScatter(self.points, height=self.content_size.height)


def share(fraction: float) -> str:
    """A share of the variance, or a dash when blown-up weights leave none to split (nan)."""
    return f"{fraction:.0%}" if math.isfinite(fraction) else DASH


class EmbeddingScreen(ModalScreen[None]):
    """Where each character's vector sits, flattened to the two directions it varies most in."""

    BINDINGS = [
        Binding("escape,e", "dismiss", N_("close"), tooltip=N_("Back to the main screen"), id="embeddings.close"),
        Binding(
            "space", "step", N_("step"), tooltip=N_("One training step, then redraw the map"), id="embeddings.step"
        ),
        Binding(
            "r", "run", N_("run/pause"), tooltip=N_("Run or pause training and watch the map move"), id="embeddings.run"
        ),
    ]
    APP_ACTIONS = frozenset({"step", "run"})  # the app's own actions that apply over this dialog

    def __init__(self, tokenizer: Tokenizer, interval: float = 0.75, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tokenizer = tokenizer
        self.interval = interval
        self.shown_step: int | None = None  # the step whose weights are drawn
        self._latest: tuple[int | None, list[list[float]] | None] = (None, None)  # handed over by the app
        self.explained: list[float] = []
        self.points: Sequence[EmbeddingPoint] = []

    def compose(self) -> ComposeResult:
        yield Static(id="embeddings-title")
        yield EmbeddingMap(id="embeddings-map")
        yield Static(id="embeddings-legend")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.redraw()
        self.set_interval(self.interval, self.redraw)

    def follow(self, step: int | None, wte: list[list[float]] | None) -> None:
        """The app hands over the embedding rows of the latest finished step (a copy); the map is redrawn
        at most every `interval` seconds."""
        self._latest = (step, wte)

    def redraw(self) -> None:
        """Recompute the map if a newer step has finished since the last drawing."""
        step, wte = self._latest
        if wte is None or step is None or step == self.shown_step:
            return  # (a step number names its weights: a fork retrains a step to the same numbers)
        fit = embedding_map({"wte": wte}, self.tokenizer)
        self.shown_step, self.explained = step, fit.explained
        chart = self.query_one(EmbeddingMap)
        chart.points = [(p.label, p.x, p.y) for p in fit.points]
        chart.refresh()
        self.points = fit.points
        self.retranslate()

    def retranslate(self) -> None:
        """The title and the legend in the language now chosen."""
        if self.shown_step is not None:
            self.query_one("#embeddings-title", Static).update(self.title_text(self.shown_step))
            self.query_one("#embeddings-legend", Static).update(self.legend(self.points))

    def title_text(self, step: int) -> Text:
        x, y = self.explained
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(
            styled(
                _("{name} (wte) by PCA · step {step:,} · explained variance: {across}, {up} (together {together})"),
                name=(_("token embeddings"), "bold"),
                step=step,
                across=(_("across {share}").format(share=share(x)), "bold"),
                up=(_("up {share}").format(share=share(y)), "bold"),
                together=share(x + y),
            )
        )
        return text

    def legend(self, points: Sequence[EmbeddingPoint]) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(_("vowels"), style=STYLES["vowel"]).append("  ")
        text.append(_("consonants"), style=STYLES["consonant"]).append("  ")
        text.append("◆ BOS", style=STYLES["bos"])
        text.append(
            "  · " + _("{count} tokens · close = similar vectors · ┼ mean · axes stretched").format(count=len(points)),
            style="grey62",
        )
        return text

    async def action_step(self) -> None:
        if await self.app.run_action("step"):  # through the app's one door: the tour sees it
            self.redraw()

    async def action_run(self) -> None:
        await self.app.run_action("run")
