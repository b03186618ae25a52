"""Provides `OverwriteScreen`: asks before a save replaces a checkpoint this session did not load or write."""

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding

from microgpt_tui.language import N_, _
from microgpt_tui.literal import in_markup
from microgpt_tui.screens.dialog import Dialog


class OverwriteScreen(Dialog[bool | None]):
    """Dismisses with True (replace the file) or None (keep it, do not save)."""

    ID_PREFIX = "overwrite"
    FRAME_TITLE = N_("replace the checkpoint?")
    BINDINGS = [
        Binding("y", "choose(True)", "Replace", tooltip="Write this session over the file", id="overwrite.yes"),
        Binding("escape,n", "cancel", "Keep it", tooltip="Keep the file, do not save", id="overwrite.no"),
    ]

    def __init__(self, save_path: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.save_path = save_path

    def question(self) -> str:
        holds = _("{path} already holds a checkpoint that this session did not load or write.").format(
            path=in_markup(self.save_path)
        )
        return (
            f"{holds}\n"
            + _("Replace it with this session?")
            + "\n\n"
            + _("[b]y[/b] replace it · [b]n[/b] / [b]esc[/b] keep it (start with --save FILE to save elsewhere)")
        )

    def compose_answer(self) -> ComposeResult:
        yield self.button_row(
            self.choice_button(N_("Replace it"), True, id="replace", variant="error"),
            self.choice_button(N_("Keep it (esc)"), None, id="keep", variant="primary"),
        )
