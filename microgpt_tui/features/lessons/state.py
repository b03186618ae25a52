"""Provides `Lessons`: the chapter menu, the chapter in progress, its step, and the intents that move them.

Plain state, no widgets. The app tells it which of its actions happened (`event`, as it tells the tour);
a `Press` step waits for one of them, an `Ask` may wait for one between the guess and the reveal. An
`Open` step leaves the action to run in `opening` (a chapter's start asks first for the main screen:
`home`): the app runs it as if its key were pressed (the real
view, opened by its own intent). Chapter 0 is the guided tour of the screen: choosing it asks the app
to start the tour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from microgpt_tui import user_state
from microgpt_tui.core import textbook
from microgpt_tui.core.views import Change
from microgpt_tui.features.lessons.card import LessonCard, MenuCard, MenuRow
from microgpt_tui.features.lessons.chapters import CHAPTERS
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.progress import Progress
from microgpt_tui.features.lessons.steps import Ask, Chapter, Open, Press, Question, Reveal, Say
from microgpt_tui.language import _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session

TOUR = "tour"  # the chapter that is the guided tour


class Lessons:
    """The lessons in a session: the menu, the chapter on, its step, and what the learner answered."""

    def __init__(
        self,
        session: Session,
        rules: Interlocks,
        remember: bool = False,
        state_path: Path | None = None,
        chapters: Sequence[Chapter] = CHAPTERS,
    ) -> None:
        """`remember`: a real launch, whose progress is kept in the user's state file (`state_path`)."""
        self.session, self.rules = session, rules
        self.live = Live(session, rules)
        self.chapters = tuple(chapters)
        self.progress = Progress((state_path or user_state.default_path()) if remember else None)
        self.menu_open = False
        self.cursor = 1 if len(self.chapters) > 1 else 0  # (chapter 1: the tour is 0)
        self.chapter: Chapter | None = None
        self.index = 0  # the step on show
        self.question: Question | None = None  # the Ask step's question, made when it was reached
        self.guess: int | None = None
        self.reveal: Reveal | None = None
        self._light()
        self.opening: str | None = None  # an action for the app to run now (an Open step's, the tour)
        self.home = False  # the app is to close the views over the main screen first (a chapter starts there)

    # -- what is on ----------------------------------------------------------------------------

    @property
    def on(self) -> bool:
        """The lesson panel is up (the menu or a chapter)."""
        return self.menu_open or self.chapter is not None

    @property
    def number(self) -> int:
        return self.chapters.index(self.chapter) if self.chapter is not None else -1

    def complete(self, chapter: Chapter) -> bool:
        return chapter.key in self.progress.done

    def lines(self, chapter: Chapter) -> tuple[int, int] | None:
        """The textbook lines `chapter` teaches (None: it names none)."""
        return textbook.span(*chapter.lines) if len(chapter.lines) == 2 else None

    def _light(self) -> None:
        """The code view marks the lines of the finished chapters (the session carries them to it)."""
        spans = (self.lines(c) for c in self.chapters if self.complete(c))
        self.session.taught = tuple(span for span in spans if span is not None)

    def take_opening(self) -> str | None:
        opening, self.opening = self.opening, None
        return opening

    def take_home(self) -> bool:
        home, self.home = self.home, False
        return home

    # -- the intents -------------------------------------------------------------------------------

    def open_menu(self) -> Change:
        """The chapter menu (a chapter in progress stays where it is: choosing it resumes it)."""
        if self.chapter is not None:
            self.cursor = self.number
        self.menu_open = True
        return self.session.say(_("lessons: ↑/↓ choose a chapter, enter starts it (or resumes it), esc closes"))

    def move(self, delta: int) -> Change:
        if self.menu_open:
            self.cursor = (self.cursor + delta) % len(self.chapters)
        return Change()

    def begin_from(self, saved: Mapping[str, Any]) -> None:
        """Begin from `saved` progress, remembered nowhere (a replay begins where the recorded session did)."""
        self.progress = Progress(None, dict(saved))
        self._light()

    def chapter_key(self) -> str | None:
        """The chapter on show, by its key (a share code carries it)."""
        return self.chapter.key if self.chapter is not None else None

    def open_key(self, key: str) -> Change:
        """Open the chapter a share code names (where it was left in this session's progress)."""
        keys = [chapter.key for chapter in self.chapters]
        if key not in keys:
            return self.session.say(
                _("the code names a lesson chapter this version does not have ({key})").format(key=repr(key))
            )
        return self.choose(keys.index(key))

    def choose(self, number: int | None = None) -> Change:
        """Start (or resume, where it was left) the chapter under the cursor, or chapter `number`."""
        if number is not None:
            if not 0 <= number < len(self.chapters):
                return Change()
            self.cursor = number
        chapter = self.chapters[self.cursor]
        self.menu_open = False
        if chapter.key == TOUR:
            self.chapter = None
            self.home, self.opening = True, "tour"
            self.progress.done.add(TOUR)
            self.progress.save()
            return Change()
        if chapter is not self.chapter:
            self.chapter = chapter
            at = self.progress.at.get(chapter.key, 0)
            at = at if at < len(chapter.steps) else 0
            # A chapter starts on the main screen; resumed past an Open step, the view it opened opens again.
            opened = [step.action for step in chapter.steps[:at] if isinstance(step, Open)]
            self.home, self.opening = True, (opened[-1] if opened else None)
            self._arrive(at)
        return self.session.say(_("chapter {number}: {title}").format(number=self.number, title=_(chapter.title)))

    def next(self) -> Change:
        """enter: the menu chooses; a chapter goes on where the step allows."""
        if self.menu_open:
            return self.choose()
        chapter, step = self.chapter, self._step
        if chapter is None:
            return Change()
        if step is None:  # the last card: back to the menu
            return self._advance()
        if isinstance(step, Press) and self._can(step.on):
            return self.session.say(_("this step waits for {key}: press it (it really happens)").format(key=step.key))
        if isinstance(step, Ask) and self.reveal is None:
            question = self.question
            if question is not None and self.guess is not None and self._can(question.wait):
                return self.session.say(_("press {key} to see the answer").format(key=question.wait_key))
            if self.guess is None:
                return self.session.say(_("pick an answer first: a number key"))
            return self._settle()  # (its key cannot happen now: reveal what the run says)
        return self._advance()

    def back(self) -> Change:
        if self.chapter is not None and self.index > 0:
            self._arrive(self.index - 1, opening=False)
        return Change()

    def answer(self, choice: int) -> Change:
        """A number key on an Ask step: the learner's guess (1-based), then the reveal (or the key it waits for)."""
        question = self.question
        if question is None or self.guess is not None or not 1 <= choice <= len(question.choices):
            return Change()
        self.guess = choice - 1
        if question.wait and self._can(question.wait):
            return self.session.say(
                _("your guess: {choice}; now press {key}").format(
                    choice=question.choices[self.guess], key=question.wait_key
                )
            )
        return self._settle()

    def event(self, action: str) -> Change:
        """The app performed `action`: a step waiting for it moves on."""
        step = self._step
        if isinstance(step, Press) and action in step.on:
            return self._advance()
        question = self.question
        if question is not None and self.guess is not None and self.reveal is None and action in question.wait:
            return self._settle()
        return Change()

    def end(self) -> Change:
        """esc: close the panel; the chapter keeps its place (choosing it again resumes it)."""
        if self.menu_open and self.chapter is not None:
            self.menu_open = False
            return Change()
        was = self.chapter
        self.menu_open, self.chapter, self.question = False, None, None
        if was is None:
            return Change()
        return self.session.say(
            _("chapter {number} paused: L and enter resume it").format(number=self.chapters.index(was))
        )

    def retranslate(self) -> Change:
        """The language changed: a question not yet guessed is asked again in the new one (its choices from the
        run as it is now, as on arriving at it); one guessed keeps the words it was asked and answered in, with
        the figures of that moment. Every other text is made anew with each card."""
        step = self._step
        if isinstance(step, Ask) and self.question is not None and self.guess is None:
            self.question = step.make(self.live)
        return Change()

    # -- the card --------------------------------------------------------------------------------

    def card(self) -> LessonCard | MenuCard | None:
        if self.menu_open:
            rows = tuple(
                MenuRow(
                    n,
                    _(c.title),
                    _(c.summary),
                    "done" if self.complete(c) else ("started" if self.progress.at.get(c.key) else ""),
                )
                for n, c in enumerate(self.chapters)
            )
            return MenuCard(rows, self.cursor)
        chapter, step = self.chapter, self._step
        if chapter is None:
            return None
        total = len(chapter.steps)
        if step is None:  # past the last step
            lines = self.lines(chapter)
            if not self.complete(chapter):
                body = _("The chapter's steps are done; a question it asked is still unanswered (backspace).")
            elif lines is None:
                body = _("Chapter {number} is complete: every question answered.").format(number=self.number)
            else:
                body = _(
                    "Chapter {number} is complete: every question answered. It taught lines {first}–{last} of "
                    "microgpt.py: the code view (k) marks them ✓."
                ).format(number=self.number, first=lines[0], last=lines[1])
            prompt = _("press [b]enter[/b] for the menu") if self.index >= total else ""
            return LessonCard(self.number, _(chapter.title), total, total, body, prompt, lines=self.lines(chapter))
        live = self.live
        if isinstance(step, Ask) and self.question is not None:
            question, reveal = self.question, self.reveal
            body = question.prompt + (f"\n{reveal.text}" if reveal is not None else "")
            if reveal is not None:
                if reveal.answer < 0:
                    prompt = _("no answer · press [b]enter[/b] to go on")
                elif reveal.answer == self.guess:
                    prompt = _("right · press [b]enter[/b] to go on")
                else:
                    prompt = _("not this time · press [b]enter[/b] to go on")
            elif self.guess is not None:
                prompt = _("now press [b]{key}[/b] to see").format(key=escape(question.wait_key))
            else:
                prompt = _("your guess? press [b]1[/b]–[b]{last}[/b]").format(last=len(question.choices))
            answer = reveal.answer if reveal is not None else None
            return LessonCard(
                self.number,
                _(chapter.title),
                self.index + 1,
                total,
                body,
                prompt,
                question.choices,
                self.guess,
                answer,
                self.lines(chapter),
            )
        body = step.text(live)  # type: ignore[union-attr]
        if isinstance(step, Press):
            prompt = _("press [b]{key}[/b]").format(key=escape(step.key))
            if not self._can(step.on):
                why = next((self.rules.why_not_reason(a) for a in step.on if self.rules.why_not_reason(a)), None)
                prompt = _("{why} · [b]enter[/b] goes on").format(why=escape(why or _("that key does nothing now")))
        else:
            prompt = _("[b]enter[/b] goes on")
        return LessonCard(self.number, _(chapter.title), self.index + 1, total, body, prompt, lines=self.lines(chapter))

    # -- moving ----------------------------------------------------------------------------------

    @property
    def _step(self) -> Say | Open | Press | Ask | None:
        chapter = self.chapter
        if chapter is None or self.index >= len(chapter.steps):
            return None
        return chapter.steps[self.index]

    def _can(self, actions: tuple[str, ...]) -> bool:
        return any(self.rules.applies(action) is True for action in actions)

    def _advance(self) -> Change:
        chapter = self.chapter
        if chapter is None:
            return Change()
        if self.index >= len(chapter.steps):  # enter on the last card: back to the menu
            self.chapter = None
            self.cursor = min(self.chapters.index(chapter) + 1, len(self.chapters) - 1)
            self.menu_open = True
            return Change()
        self._arrive(self.index + 1)
        return Change()

    def _arrive(self, index: int, opening: bool = True) -> None:
        chapter = self.chapter
        assert chapter is not None
        self.index, self.question, self.guess, self.reveal = index, None, None, None
        step = self._step
        if isinstance(step, Open) and opening:
            self.opening = step.action
        elif isinstance(step, Ask):
            self.question = step.make(self.live)
        self.progress.at[chapter.key] = index
        self._check_complete(chapter)
        self.progress.save()

    def _settle(self) -> Change:
        question, chapter = self.question, self.chapter
        assert question is not None and chapter is not None
        self.reveal = question.settle(self.live)
        self.progress.answered.setdefault(chapter.key, set()).add(self.index)
        self._check_complete(chapter)
        self.progress.save()
        return Change()

    def _check_complete(self, chapter: Chapter) -> None:
        asks = {i for i, step in enumerate(chapter.steps) if isinstance(step, Ask)}
        if asks <= self.progress.answered.get(chapter.key, set()) and (asks or self.index >= len(chapter.steps)):
            self.progress.done.add(chapter.key)
            self._light()
