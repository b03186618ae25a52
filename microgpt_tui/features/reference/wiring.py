"""Provides the reference screens' wiring: ? (every key), i (explain a panel), b (about), y (glossary) and
k (the code), each filled with this session's figures.

These keys change nothing: each reads a view and pushes its screen. What the
screens reach of the UI (the focused panel) is read here too.
"""

from __future__ import annotations

from microgpt_tui import texts
from microgpt_tui.core.views import Change
from microgpt_tui.features.forward.screen import ForwardScreen
from microgpt_tui.features.reference import glossary
from microgpt_tui.features.reference.about_screen import AboutContents, AboutScreen
from microgpt_tui.features.reference.code import CodeView
from microgpt_tui.features.reference.code_screen import CodeScreen
from microgpt_tui.features.reference.explain_screen import ExplainScreen
from microgpt_tui.features.reference.glossary_screen import GlossaryScreen
from microgpt_tui.features.reference.state import Reference
from microgpt_tui.features.tour.panel import TourPanel
from microgpt_tui.language import _
from microgpt_tui.screens.help import HelpScreen
from microgpt_tui.shell import Shell
from microgpt_tui.wiring import Wiring


def focused_panel(app: Shell) -> str | None:
    """The id of the panel the learner focused (the tour's panel while the tour has focus), or None."""
    focused = app.main.focused
    if isinstance(focused, TourPanel) and focused.card is not None:
        return focused.card.panel
    return focused.id if focused is not None and focused.id in texts.PANELS else None


def _help(app: Shell, reference: Reference) -> None:
    """Every key and what it does, greyed where it does not apply now."""
    app.push_screen(HelpScreen(app.help_rows()))


def _explain(app: Shell, reference: Reference) -> None:
    """Explain the focused panel in plain words (or choose a panel)."""
    app.push_screen(ExplainScreen(reference.explanations(), focused_panel(app), remake=reference.explanations))


def _about(app: Shell, reference: Reference) -> None:
    """Compare microgpt, with this session's figures, to production LLMs."""

    def contents() -> AboutContents:  # (again after a language switch: AboutScreen.retranslate)
        rows, footer = reference.about_rows()
        return _(texts.ABOUT_TITLE), [_(cell) for cell in texts.ABOUT_HEADER], rows, footer, _(texts.ABOUT_HINT)

    app.push_screen(AboutScreen(*contents(), remake=contents))


def _glossary(app: Shell, reference: Reference, term: str | None = None) -> None:
    """The glossary, at `term` (else at the explained or focused panel's term)."""
    screen = app.screen
    panel = screen.shown if isinstance(screen, ExplainScreen) else focused_panel(app)
    shown = term or glossary.PANEL_TERMS.get(panel or "")
    app.push_screen(GlossaryScreen(reference.glossary(), shown, remake=reference.glossary))


def _code(app: Shell, reference: Reference) -> None:
    """The engine's own source behind the focused panel (or the forward view's stage), its lines lit with
    their live values."""
    if isinstance(app.screen, ForwardScreen):  # the forward view's stage: its lines, following ↑ ↓

        def staged() -> CodeView:
            return reference.code_view(None, reference.rules.forward_view().selected)

        app.push_screen(CodeScreen(staged(), follow_stage=True, remake=staged), lambda _: app.apply(Change()))
    else:
        panel = focused_panel(app)
        app.push_screen(CodeScreen(reference.code_view(panel), remake=lambda: reference.code_view(panel)))


def _follow(reference: Reference, screen: CodeScreen) -> None:
    if screen.follow_stage:  # (opened from the forward view: its lines follow the stage)
        screen.follow(reference.code_view(None, reference.rules.forward_view().selected))


WIRING = Wiring(
    "reference",
    app_actions={"help": _help, "explain": _explain, "about": _about, "glossary": _glossary, "code": _code},
    followers={CodeScreen: _follow},
)
