"""Provides `ForwardScreen`: the forward pass at the selected position, stage by stage.

It draws the forward view the app hands it (`follow`: every vector from the
token embedding to the probabilities, see renderables/forward_pass.py)
whenever it changes: a position move, a training step, time travel, the next
sampled character. ↑/↓ select a stage (the app's `forward_stage` intent); the
app's keys for position, training, time travel and sampling work over it.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from microgpt_engine.insight.forward_trace import ForwardTrace
from microgpt_tui.core.views import ForwardView
from microgpt_tui.features.forward.strips import ForwardStrips, ending, stage_details
from microgpt_tui.language import N_, _
from microgpt_tui.screens.following import Resumed
from microgpt_tui.styled_text import styled
from microgpt_tui.widgets.footer import KeysFooter


def strips_of(view: ForwardView, trace: ForwardTrace) -> ForwardStrips:
    """The strips of `view`'s trace, ending in p and -ln p of the next character."""
    return ForwardStrips(trace.stages, view.vocab_labels, view.stage, ending(trace, view.target, view.vocab_labels))


class ForwardStripsView(Widget):
    """The strips, sized to the screen's width; as tall as they are."""

    DEFAULT_CSS = "ForwardStripsView { height: 1; }"  # (set to the strips' line count)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view: ForwardView | None = None

    def render(self) -> RenderResult:
        view = self.view
        if view is None or view.trace is None:
            return Text(view.message if view is not None else "", style="dim")
        return strips_of(view, view.trace)


class ForwardScreen(ModalScreen[None]):
    """Every intermediate vector of microgpt's forward pass, in the order the code computes them."""

    BINDINGS = [
        Binding("escape,v", "close", N_("close"), tooltip=N_("Back to the main screen"), id="forward.close"),
        Binding(
            "up", "app.forward_stage(-1)", N_("stage ↑"), tooltip=N_("Select the stage above"), id="forward.stage_up"
        ),
        Binding(
            "down", "app.forward_stage(1)", N_("stage ↓"), tooltip=N_("Select the stage below"), id="forward.stage_down"
        ),
        # The app's keys the view follows (a modal screen does not pass keys on to the app).
        Binding("left", "app.move(-1)", N_("position ←"), tooltip=N_("The previous position"), id="forward.pos_left"),
        Binding("right", "app.move(1)", N_("position →"), tooltip=N_("The next position"), id="forward.pos_right"),
        Binding(
            "space",
            "app.step",
            N_("step"),
            tooltip=N_("One training step; the view shows its document"),
            id="forward.step",
        ),
        Binding(
            "r",
            "app.run",
            N_("run/pause"),
            tooltip=N_("Run or pause training and watch the vectors move"),
            id="forward.run",
        ),
        Binding(
            "s",
            "app.sample",
            N_("sample"),
            tooltip=N_("Sample a name; the view follows each character"),
            id="forward.sample",
        ),
        Binding(
            "d",
            "app.before_after",
            N_("before/after"),
            tooltip=N_("After a step: the model before / after its update"),
            id="forward.d",
        ),
        Binding(
            "t",
            "tour",
            N_("tour"),
            show=False,
            tooltip=N_("Close this view and start the guided tour on the main screen"),
            id="forward.tour",
        ),
        Binding(
            "n", "app.next_char", N_("next"), show=False, tooltip=N_("One more sampled character"), id="forward.next"
        ),
        Binding(
            "k",
            "app.code",
            N_("code"),
            show=False,
            tooltip=N_("The code of the selected stage, lit; ↑ ↓ there move the stage"),
            id="forward.code",
        ),
        Binding(
            "comma",
            "app.view_step(-1)",
            N_("earlier"),
            key_display=",",
            tooltip=N_("One step back in time"),
            id="forward.earlier",
        ),
        Binding(
            "full_stop",
            "app.view_step(1)",
            N_("later"),
            key_display=".",
            tooltip=N_("One step forward in time"),
            id="forward.later",
        ),
    ]
    # The app's own actions that apply over this view: it follows each of them.
    APP_ACTIONS = frozenset({"step", "run", "move", "view_step", "sample", "next_char", "before_after", "code"})

    class Closed(Message):
        """The view closed, however it was closed: the forward view stops tracing."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shown: ForwardView | None = None
        self._followed: tuple[str, ForwardView] | None = None  # what the app handed over last
        self._bars: dict[str, str] = {}  # the text each one-line bar shows

    def compose(self) -> ComposeResult:
        yield Static(id="forward-title")
        yield Static(id="forward-note")
        with VerticalScroll(id="forward-body", can_focus=False):  # (its arrow keys are the view's)
            yield ForwardStripsView(id="forward-strips")
        yield Static(id="forward-details")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._draw()

    def follow(self, note: str, view: ForwardView) -> None:
        """The app hands over the status note (what the last key did: a step's loss) and the view."""
        self._followed = (note, view)
        self._draw()

    def _draw(self) -> None:
        """Redraw what changed (the view is a memo: the same view is the same object). A relayout of the
        screen costs tens of milliseconds, so only a change in the strips' height asks for one."""
        strips = self.query(ForwardStripsView)
        if not strips or self._followed is None:
            return  # (not composed yet: on_mount draws)
        note, view = self._followed
        self._set("#forward-note", note)
        if view is self.shown:
            return
        self.shown = view
        widget = strips.first()
        widget.view = view
        lines = strips_of(view, view.trace).line_count() if view.trace is not None else 1
        if widget.styles.height is None or widget.styles.height.value != lines:
            widget.styles.height = lines  # (a relayout)
        else:
            widget.refresh()
        if view.trace is not None:  # (the selected stage in sight: at 80x24 the last ones are below the fold)
            strip = strips_of(view, view.trace)
            last = view.stage == len(view.trace.stages) - 1
            row = lines if last else strip.row_of(view.stage)
            self.query_one("#forward-body").scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=False)
        self._set("#forward-title", self.title_text(view))
        details = ""
        if view.trace is not None:
            details = stage_details(view.trace.stages[view.stage], view.vocab_labels, view.trace.temperature)
        self._set("#forward-details", details)

    def _set(self, selector: str, content: str | Text) -> None:
        """Update a one-line bar only when its text changed."""
        text = content if isinstance(content, Text) else Text(content, no_wrap=True, overflow="ellipsis")
        if self._bars.get(selector) != text.plain:
            self._bars[selector] = text.plain
            self.query_one(selector, Static).update(text, layout=False)  # (one line high, always)

    def retranslate(self) -> None:
        """Draw everything again in the language now chosen (the app hands over the view in its words)."""
        self.shown = None
        self._bars.clear()
        self._draw()
        if self.is_current:
            self.app.post_message(Resumed())

    @staticmethod
    def title_text(view: ForwardView) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        name = (_("forward pass"), "bold")
        if view.trace is not None:
            text.append(
                styled(
                    _("{name} · pos {pos} after {context} → next {next}"),
                    name=name,
                    pos=view.trace.pos,
                    context=(view.context, "bold"),
                    next=(view.next_label, "bold #5fd75f"),
                )
            )
        else:
            text.append(*name)
        text.append(f" · {view.source}")
        if view.tag:
            text.append(f" · {_(view.tag)}", style="bold #ffaf5f")
        text.append(" · " + _("←/→ position  ↑/↓ stage"), style="grey62")
        return text

    def on_screen_resume(self) -> None:
        self.app.post_message(Resumed())  # (only the screen on top follows: catch up after one over this)

    def on_unmount(self) -> None:
        self.app.post_message(self.Closed())

    def action_close(self) -> None:
        self.dismiss()

    async def action_tour(self) -> None:
        """The tour points at the main screen's panels: show them, then start it there."""
        self.dismiss()
        await self.app.run_action("app.tour")
