"""Provides `LessonPanel`: the chapter menu, or the chapter's step, docked under the view it teaches with.

It is not a dialog: every key it does not bind goes on to the screen it sits on (the main screen's keys,
the forward view's), because a chapter asks the learner to press the real keys. It binds enter (next, or
choose in the menu), backspace (back), the number keys (an answer), ↑/↓ in the menu only, and esc on the
main screen only (elsewhere esc still closes the view), and runs the app's lesson actions for them.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from microgpt_tui.features.lessons.card import LessonCard, MenuCard
from microgpt_tui.features.lessons.wrap import Broken, wrapped
from microgpt_tui.language import N_, _

KEYS = N_("⌫ back · esc pause")
VIEW_KEYS = N_("⌫ back · L menu · esc closes the view")
MENU_KEYS = N_("↑/↓ choose · enter start or resume · esc close")
STATUS = {"done": "✓", "started": "◐", "": " "}
# The number keys' names and tips, one msgid each: Textual's key panel (the palette's "Keys") lists them.
ANSWERS = (
    N_("answer 1"),
    N_("answer 2"),
    N_("answer 3"),
    N_("answer 4"),
    N_("answer 5"),
    N_("answer 6"),
    N_("answer 7"),
    N_("answer 8"),
    N_("answer 9"),
)
ANSWER_TIPS = (
    N_("Answer 1"),
    N_("Answer 2"),
    N_("Answer 3"),
    N_("Answer 4"),
    N_("Answer 5"),
    N_("Answer 6"),
    N_("Answer 7"),
    N_("Answer 8"),
    N_("Answer 9"),
)


class LessonPanel(VerticalScroll, can_focus=True, inherit_bindings=False):
    """One card: the menu of chapters, or a chapter's step (with an Ask step's choices). A card taller than the
    panel scrolls (the mouse wheel, PageUp/PageDown); the arrows stay the view's."""

    BINDINGS = [
        Binding(
            "enter",
            "next",
            N_("lesson: next"),
            show=False,
            tooltip=N_("Go on (in the menu: start the chapter)"),
            id="lesson.next",
        ),
        Binding(
            "backspace",
            "back",
            N_("lesson: back"),
            show=False,
            tooltip=N_("Back one step of the chapter"),
            id="lesson.back",
        ),
        Binding(
            "escape",
            "end",
            N_("lesson: pause"),
            show=False,
            tooltip=N_("Close the lesson panel (L resumes)"),
            id="lesson.end",
        ),
        Binding(
            "L", "menu", N_("lessons"), show=False, tooltip=N_("The chapter menu (over a view too)"), id="lesson.menu"
        ),
        Binding("up", "move(-1)", N_("chapter ↑"), show=False, tooltip=N_("The chapter above"), id="lesson.up"),
        Binding("down", "move(1)", N_("chapter ↓"), show=False, tooltip=N_("The chapter below"), id="lesson.down"),
        *(
            Binding(str(n), f"answer({n})", name, show=False, tooltip=tip, id=f"lesson.answer{n}")
            for n, name, tip in zip(range(1, 10), ANSWERS, ANSWER_TIPS, strict=True)
        ),
        Binding(
            "pageup", "page_up", N_("scroll up"), show=False, tooltip=N_("Scroll the lesson up"), id="lesson.page_up"
        ),
        Binding(
            "pagedown",
            "page_down",
            N_("scroll down"),
            show=False,
            tooltip=N_("Scroll the lesson down"),
            id="lesson.page_down",
        ),
    ]

    card: reactive[LessonCard | MenuCard | None] = reactive(None, layout=True)

    class Redraw(Message):
        """The language changed: the lessons are to hand the panel its card again, in the new one."""

    def __init__(self, card: LessonCard | MenuCard | None = None, on_main: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_main = on_main  # esc is the panel's only there: over a view it closes the view
        self.set_reactive(LessonPanel.card, card)
        self._title(card)
        self.set_class(isinstance(card, MenuCard), "-menu")

    def compose(self) -> ComposeResult:
        yield Static(self._text(), id="lesson-text")

    def watch_card(self, card: LessonCard | MenuCard | None) -> None:
        self._title(card)
        self.set_class(isinstance(card, MenuCard), "-menu")
        for text in self.query("#lesson-text").results(Static):
            text.update(self._text())
            if isinstance(card, MenuCard):
                self.scroll_to(y=max(0, card.cursor - self.scrollable_content_region.height + 1), animate=False)
            else:
                self.scroll_home(animate=False)

    def retranslate(self) -> None:
        """The language changed (switching.py): the titles now, the card once the lessons hand it again."""
        self._title(self.card)
        self.post_message(self.Redraw())

    def _title(self, card: LessonCard | MenuCard | None) -> None:
        if isinstance(card, MenuCard):
            done = sum(row.status == "done" for row in card.rows)
            self.border_title = _("lessons · {done} of {total} chapters done").format(done=done, total=len(card.rows))
            self.border_subtitle = _(MENU_KEYS)
        elif card is not None:
            where = {"number": card.number, "title": card.title, "at": card.at, "total": card.total}
            if card.lines:
                self.border_title = _("chapter {number} · {title} · {at}/{total} · lines {first}–{last}").format(
                    **where, first=card.lines[0], last=card.lines[1]
                )
            else:
                self.border_title = _("chapter {number} · {title} · {at}/{total}").format(**where)
            self.border_subtitle = f"▸ {card.prompt} · {_(KEYS if self.on_main else VIEW_KEYS)}"
        else:
            self.border_title = _("lessons")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        card = self.card
        if action == "end":
            return self.on_main
        if action == "menu":
            return not self.on_main
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

    def _text(self) -> Text | Broken:
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
        text.rstrip()
        return wrapped(text)

    def _menu(self, card: MenuCard) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for row in card.rows:
            chosen = row.number == card.cursor
            line = Text(f"{'▶' if chosen else ' '} {STATUS[row.status]} {row.number:>2} ", style="bold")
            line.append(row.title, style="bold")
            line.append(f" — {row.summary}", style="" if chosen else "dim")
            if chosen:
                line.stylize("reverse")
            text.append_text(line)
            text.append("\n")
        text.rstrip()
        return text

    # Each key runs the app's action at once (not a message, which would queue behind keys typed ahead).

    async def action_next(self) -> None:
        await self.app.run_action("app.lesson_next")

    async def action_back(self) -> None:
        await self.app.run_action("app.lesson_back")

    async def action_end(self) -> None:
        await self.app.run_action("app.lesson_end")

    async def action_menu(self) -> None:
        await self.app.run_action("app.lesson_menu")

    async def action_move(self, delta: int) -> None:
        await self.app.run_action(f"app.lesson_move({delta})")

    async def action_answer(self, choice: int) -> None:
        await self.app.run_action(f"app.lesson_answer({choice})")
