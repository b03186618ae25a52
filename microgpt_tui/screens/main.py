"""Provides `MainScreen`: the layout of the panels, and the too-small notice."""

from collections.abc import Sequence
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from microgpt_engine import Config
from microgpt_tui.features.panels.attention_panel import AttentionPanel
from microgpt_tui.features.panels.loss_plot import LossPlot
from microgpt_tui.features.panels.param_panel import ParamPanel
from microgpt_tui.features.panels.status_bar import StatusBar
from microgpt_tui.features.panels.token_panel import TokenPanel
from microgpt_tui.features.sampling.samples_panel import SamplesPanel
from microgpt_tui.language import N_, _
from microgpt_tui.widgets.footer import KeysFooter

MIN_WIDTH, MIN_HEIGHT = 80, 24
NARROW, WIDE = 110, 160  # below NARROW the side panels slim down; from WIDE on they grow (app.tcss)


class MainScreen(Screen[None]):
    """Status line; loss and attention over parameters and samples; next-token bars on the right."""

    # Panels take focus only when clicked (i explains the focused one; nothing is focused at
    # first), never by tab: tab cycles the attention heads.
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding(
            "tab",
            "app.head(1)",
            N_("head →"),
            show=False,
            tooltip=N_("Show the next attention head"),
            id="head_next_tab",
        ),
        Binding(
            "shift+tab",
            "app.head(-1)",
            N_("head ←"),
            show=False,
            tooltip=N_("Show the previous attention head"),
            id="head_prev_tab",
        ),
    ]

    def __init__(self, config: Config, vocab_labels: Sequence[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config, self.vocab_labels = config, list(vocab_labels)  # the panels' fixed shape; their data is pushed

    def compose(self) -> ComposeResult:
        # (the size's classes before the panels mount, so that each is styled once for this size: set later, on
        # mount, they restyle the whole screen; check_size then finds them set)
        self.size_classes(self.app.size.width, self.app.size.height, update=False)
        config = self.config
        yield StatusBar(id="status")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                with Horizontal(id="top"):
                    yield LossPlot(id="loss")
                    yield AttentionPanel(config.n_layer, config.n_head, id="attention")
                with Horizontal(id="bottom"):
                    yield ParamPanel(id="params")
                    yield SamplesPanel(id="samples")
            yield TokenPanel(self.vocab_labels, id="tokens")
        yield KeysFooter(compact=True, show_command_palette=False)
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self.check_size(self.app.size.width, self.app.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self.check_size(event.size.width, event.size.height)

    def retranslate(self) -> None:
        """The language changed: the too-small notice in it (switching.py)."""
        self.check_size(self.app.size.width, self.app.size.height)

    def size_classes(self, width: int, height: int, update: bool = True) -> bool:
        """Set the classes app.tcss lays the panels out by for a terminal this size; whether it is too small."""
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(small, "-too-small", update=update)
        self.set_class(width < NARROW, "-narrow", update=update)
        self.set_class(width >= WIDE, "-wide", update=update)
        return small

    def check_size(self, width: int, height: int) -> None:
        """Swap the panels for a notice when the terminal is below the minimum size."""
        small = self.size_classes(width, height)
        if small:
            self.query_one("#too-small", Static).update(
                _(
                    "The terminal is {width}×{height}; microgpt-tui needs at least {min_width}×{min_height}.\n\n"
                    "Enlarge the window (100×30 or more is best), or press q to quit."
                ).format(width=width, height=height, min_width=MIN_WIDTH, min_height=MIN_HEIGHT)
            )
