"""Provides `ForkScreen`: asks before training from an earlier step rewinds the run, and lets the branch differ."""

from collections.abc import Callable, Mapping
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label

from microgpt_tui.core.views import ForkPlan
from microgpt_tui.language import N_, _
from microgpt_tui.screens.dialog import Dialog

FIELD_NAMES = {"remaining": N_("remaining"), "temperature": N_("temperature")}  # (lr: the status line's word)
ForkChecker = Callable[[Mapping[str, str]], tuple[ForkPlan | None, dict[str, str]]]


class ForkScreen(Dialog[str | ForkPlan | None]):
    """Dismisses with "fork" (rewind, keep the later steps as a branch), a `ForkPlan` (the same, with
    changed lr, remaining steps or temperature), "now" (no training) or None (stay)."""

    AUTO_FOCUS = "#fork"  # the keys answer at once; the fields are a click or tab away

    ID_PREFIX = "fork"
    FRAME_TITLE = N_("train from the past?")
    BINDINGS = [
        Binding(
            "y,f", "choose('fork')", "Fork", tooltip="Rewind to the viewed step and train from there", id="fork.fork"
        ),
        Binding("n", "choose('now')", "Back to now", tooltip="Leave the past without training", id="fork.now"),
        Binding("escape", "cancel", "Stay", tooltip="Keep viewing this step", id="fork.stay"),
    ]

    def __init__(
        self,
        step: int,
        now: int,
        later: int,
        settings: Mapping[str, str] | None = None,
        checker: ForkChecker | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.step, self.now, self.later = step, now, later
        self.settings = dict(settings or {})  # field -> its text now ("lr", "remaining", "temperature")
        self.checker = checker

    def question(self) -> str:
        step, later = self.step, self.later
        figures = {"step": f"{step:,}", "now": f"{self.now:,}", "later": f"{later:,}", "first": f"{step + 1:,}"}
        if later == 1:
            fork = _(
                "Fork from step {step}: the later step ({now}) is kept as a branch, not lost, "
                "and training continues from step {step}."
            )
        else:
            fork = _(
                "Fork from step {step}: the {later} later steps ({first}–{now}) are kept as a branch, not lost, "
                "and training continues from step {step}."
            )
        return (
            _("You are viewing step {step}; the run is at step {now}.").format(**figures)
            + "\n"
            + fork.format(**figures)
            + "\n\n"
            + _("[b]y[/b] fork and train · [b]n[/b] back to now, no training · [b]esc[/b] stay here")
        )

    def compose_answer(self) -> ComposeResult:
        if self.checker is not None:
            with Horizontal(id="fork-settings"):
                for name, text in self.settings.items():
                    yield Label(f"{_(FIELD_NAMES.get(name, name))} ", classes="fork-label")
                    yield Input(text, id=f"fork-{name}", classes="fork-input", compact=True)
            yield self.error_line()
        yield self.button_row(
            self.choice_button(
                _("Fork from step {step}").format(step=f"{self.step:,}"), "fork", id="fork", variant="primary"
            ),
            self.choice_button(N_("Back to now"), "now", id="now"),
            self.choice_button(N_("Stay (esc)"), None, id="stay"),
        )

    def values(self) -> dict[str, str]:
        return {name: self.query_one(f"#fork-{name}", Input).value for name in self.settings}

    def action_choose(self, choice: str | ForkPlan | None) -> None:
        """Fork as typed: unchanged fields fork as before, changed ones make a plan; a bad field says why."""
        if choice != "fork" or self.checker is None:
            self.dismiss(choice)
            return
        values = self.values()
        plan, errors = self.checker(values)
        if plan is None:
            self.show_error(" · ".join(errors.values()))
        else:
            self.dismiss("fork" if values == self.settings else plan)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "fork":  # (the other buttons: Dialog's handler, which runs after this one)
            event.prevent_default()
            self.action_choose("fork")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_choose("fork")
