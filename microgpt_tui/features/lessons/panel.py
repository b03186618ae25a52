"""Provides `LessonPanel`: the chapter menu, or the chapter's step, docked under the view it teaches with.

It is not a dialog: every key it does not bind goes on to the screen it sits on (the main screen's keys,
the forward view's), because a chapter asks the learner to press the real keys. It binds enter (next, or
choose in the menu), backspace (back), the number keys (an answer), ↑/↓ in the menu only, and esc on the
main screen only (elsewhere esc still closes the view), and reports them to the app as messages.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import RenderResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from microgpt_tui.features.lessons.card import LessonCard, MenuCard

KEYS = "enter next · backspace back · esc pause (L resumes)"
MENU_KEYS = "↑/↓ choose · enter start or resume · esc close"
STATUS = {"done": "✓", "started": "◐", "": " "}


class LessonPanel(Widget, can_focus=True):
    """One card: the menu of chapters, or a chapter's step (with an Ask step's choices)."""

    BINDINGS = [
        Binding("enter", "next", "lesson: next", show=False, tooltip="Go on (in the menu: start the chapter)"),
        Binding("backspace", "back", "lesson: back", show=False, tooltip="Back one step of the chapter"),
        Binding("escape", "end", "lesson: pause", show=False, tooltip="Close the lesson panel (L resumes)"),
        Binding("up", "move(-1)", "chapter ↑", show=False, tooltip="The chapter above"),
        Binding("down", "move(1)", "chapter ↓", show=False, tooltip="The chapter below"),
        *(Binding(str(n), f"answer({n})", f"answer {n}", show=False, tooltip=f"Answer {n}") for n in range(1, 10)),
    ]

    card: reactive[LessonCard | MenuCard | None] = reactive(None, layout=True)

    class Next(Message):
        """enter."""

    class Back(Message):
        """backspace."""

    class End(Message):
        """esc on the main screen."""

    class Move(Message):
        def __init__(self, delta: int) -> None:
            super().__init__()
            self.delta = delta

    class Answer(Message):
        def __init__(self, choice: int) -> None:
            super().__init__()
            self.choice = choice

    def __init__(self, card: LessonCard | MenuCard | None = None, on_main: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_main = on_main  # esc is the panel's only there: over a view it closes the view
        self.set_reactive(LessonPanel.card, card)
        self._title(card)

    def watch_card(self, card: LessonCard | MenuCard | None) -> None:
        self._title(card)
        self.set_class(isinstance(card, MenuCard), "-menu")

    def _title(self, card: LessonCard | MenuCard | None) -> None:
        if isinstance(card, MenuCard):
            done = sum(row.status == "done" for row in card.rows)
            self.border_title = f"lessons · {done} of {len(card.rows)} chapters done"
            self.border_subtitle = MENU_KEYS
        elif card is not None:
            lines = f" · lines {card.lines[0]}–{card.lines[1]}" if card.lines else ""
            self.border_title = f"chapter {card.number} · {card.title} · {card.at}/{card.total}{lines}"
            self.border_subtitle = (
                KEYS if self.on_main else KEYS.replace("esc pause (L resumes)", "esc closes the view")
            )
        else:
            self.border_title = "lessons"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        card = self.card
        if action == "end":
            return self.on_main
        if action == "move":
            return isinstance(card, MenuCard)
        if action == "answer":
            choice = parameters[0] if parameters else 0
            return (
                isinstance(card, LessonCard)
                and card.answer is None
                and isinstance(choice, int)
                and choice <= len(card.choices)
            )
        return True

    def render(self) -> RenderResult:
        card = self.card
        if isinstance(card, MenuCard):
            return self._menu(card)
        if card is None:
            return Text("")
        text = Text.from_markup(card.body)
        if card.choices:
            text.append("\n")
            for i, choice in enumerate(card.choices):
                mark = " "
                style = ""
                if card.answer is not None and i == card.answer:
                    mark, style = "✓", "bold green"
                elif card.guess == i:
                    mark, style = "•", "bold" if card.answer is None else "red"
                text.append(f"{mark}{i + 1} ", style="bold")
                text.append(choice, style=style)
                text.append("   ")
        text.append("\n")
        text.append_text(Text.from_markup("▸ " + card.prompt, style="bold"))
        return text

    def _menu(self, card: MenuCard) -> Text:
        room = max(1, self.content_size.height or len(card.rows))
        first = min(max(0, card.cursor - room + 1), max(0, len(card.rows) - room))  # (the cursor stays in sight)
        text = Text(no_wrap=True, overflow="ellipsis")
        for row in card.rows[first : first + room]:
            chosen = row.number == card.cursor
            line = Text(f"{'▶' if chosen else ' '} {STATUS[row.status]} {row.number:>2} ", style="bold")
            line.append(row.title, style="bold")
            line.append(f" — {row.summary}", style="" if chosen else "dim")
            line.truncate(max(10, self.content_size.width), overflow="ellipsis")
            if chosen:
                line.stylize("reverse")
            text.append_text(line)
            text.append("\n")
        text.rstrip()
        return text

    def action_next(self) -> None:
        self.post_message(self.Next())

    def action_back(self) -> None:
        self.post_message(self.Back())

    def action_end(self) -> None:
        self.post_message(self.End())

    def action_move(self, delta: int) -> None:
        self.post_message(self.Move(delta))

    def action_answer(self, choice: int) -> None:
        self.post_message(self.Answer(choice))
