"""Provides `Reference`: the texts with this session's figures in them: the explanations of the panels, the
glossary, the code lit with live values, the about table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from microgpt_tui import texts
from microgpt_tui.features.reference.code import CodeView, code_view
from microgpt_tui.features.reference.facts import session_facts
from microgpt_tui.features.reference.glossary_entries import GlossaryEntry, glossary_entries
from microgpt_tui.language import _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


def lesson(panel: str) -> str:
    """The pointer to the chapter that teaches `panel` (i points into the lessons)."""
    chapter = texts.PANEL_LESSONS.get(panel)
    return "\n\n" + _(texts.EXPLAIN_LESSON).format(chapter=chapter) if chapter is not None else ""


class Reference:
    """What the explain, glossary, code and about screens show, filled with the live figures."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules

    def facts(self) -> dict[str, str]:
        return session_facts(self.session, self.rules)

    def explanations(self) -> list[tuple[str, str, str]]:
        facts = self.facts()
        return [(pid, _(e.name), texts.fill(_(e.body), facts) + lesson(pid)) for pid, e in texts.PANELS.items()]

    def code_view(self, panel: str | None, stage: str | None = None) -> CodeView:
        """The engine's source behind `panel` (a panel id, or None) or the forward view's `stage`, with the live
        values (code.py)."""
        return code_view(self.session, self.rules, panel, stage)

    def glossary(self) -> tuple[GlossaryEntry, ...]:
        """Every glossary term with this session's figures (glossary.py)."""
        return glossary_entries(self.session, self.rules)

    def about_rows(self) -> tuple[list[tuple[str, ...]], str]:
        facts = self.facts()
        rows = [tuple(texts.fill(_(cell), facts) for cell in row) for row in texts.ABOUT_ROWS]
        return rows, texts.fill(_(texts.ABOUT_FOOTER), facts)
