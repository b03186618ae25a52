"""Provides `NewRunScreen`: asks before a new run takes the place of one with unsaved steps."""

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from microgpt_tui.language import N_, _, ngettext
from microgpt_tui.literal import in_markup
from microgpt_tui.screens.dialog import Dialog


class NewRunScreen(Dialog[str | None]):
    """Dismisses with "save" (save, then start), "start", or None (stay)."""

    ID_PREFIX = "newrun"
    FRAME_TITLE = N_("start a new run?")
    BINDINGS = [
        Binding(
            "s", "choose('save')", N_("Save, then start"), tooltip=N_("Save a checkpoint, then start"), id="newrun.save"
        ),
        Binding("y", "choose('start')", N_("Start"), tooltip=N_("Start the new run without saving"), id="newrun.start"),
        Binding("escape,n", "cancel", N_("Stay"), tooltip=N_("Keep training this run"), id="newrun.stay"),
    ]

    def __init__(self, unsaved_steps: int, run_name: str, save_path: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.unsaved_steps, self.run_name, self.save_path = unsaved_steps, run_name, save_path

    def question(self) -> str:
        n = self.unsaved_steps
        return ngettext(
            "{run} has {count} step not saved to disk. It stays in the runs list (w) either way,\n"
            "but only this session keeps it unless you save it (to {path}).\n\n"
            "[b]s[/b] save, then start · [b]y[/b] start without saving · [b]esc[/b] stay",
            "{run} has {count} steps not saved to disk. It stays in the runs list (w) either way,\n"
            "but only this session keeps it unless you save it (to {path}).\n\n"
            "[b]s[/b] save, then start · [b]y[/b] start without saving · [b]esc[/b] stay",
            n,
        ).format(run=in_markup(self.run_name), count=f"{n:,}", path=in_markup(self.save_path))

    def on_mount(self) -> None:
        self.query_one("#newrun-dialog").border_title = _(self.FRAME_TITLE)  # (Dialog sets the English)

    def retranslate(self) -> None:
        """The language changed while the question is open: its words again."""
        self.on_mount()
        self.query_one("#newrun-question", Static).update(self.question())
        for id, label in (
            ("save", N_("Save, then start")),
            ("start", N_("Start without saving")),
            ("stay", N_("Stay (esc)")),
        ):
            self.query_one(f"#{id}", Button).label = _(label)

    def compose_answer(self) -> ComposeResult:
        yield self.button_row(
            self.choice_button(_("Save, then start"), "save", id="save", variant="primary"),
            self.choice_button(_("Start without saving"), "start", id="start"),
            self.choice_button(_("Stay (esc)"), None, id="stay"),
        )
