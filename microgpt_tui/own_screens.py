"""Provides the actions that open the app's own screens: help, explain, glossary, about, code, embeddings.

These keys ask the lab for nothing that changes: each reads a view (the
explanations with this session's numbers, the code lit with live values) and
pushes its screen. The App takes each function as its `action_*` method
(`action_help = own_screens.help_screen`), so the App's body stays a list of
keys. What the screens reach of the UI (the focused panel) is read here too.
"""

from __future__ import annotations

from microgpt_tui import texts
from microgpt_tui.core.views import Change
from microgpt_tui.features.embeddings.screen import EmbeddingScreen
from microgpt_tui.features.forward.screen import ForwardScreen
from microgpt_tui.features.reference import glossary
from microgpt_tui.features.reference.about_screen import AboutScreen
from microgpt_tui.features.reference.code_screen import CodeScreen
from microgpt_tui.features.reference.explain_screen import ExplainScreen
from microgpt_tui.features.reference.glossary_screen import GlossaryScreen
from microgpt_tui.features.tour.panel import TourPanel
from microgpt_tui.screens.help import HelpScreen
from microgpt_tui.shell import Shell


def focused_panel(app: Shell) -> str | None:
    """The id of the panel the learner focused (the tour's panel while the tour has focus), or None."""
    focused = app.main.focused
    card = app.lab.touring.card
    if isinstance(focused, TourPanel) and card is not None:
        return card.panel
    return focused.id if focused is not None and focused.id in texts.PANELS else None


def help_screen(app: Shell) -> None:
    """Every key and what it does, greyed where it does not apply now."""
    app.push_screen(HelpScreen(app.help_rows()))


def embeddings(app: Shell) -> None:
    screen = EmbeddingScreen(app.lab.trainer.tokenizer)
    screen.follow(*app.lab.embeddings.snapshot())  # (then the app hands it each newer step's rows)
    app.push_screen(screen)


def explain(app: Shell) -> None:
    """Explain the focused panel in plain words (or choose a panel)."""
    app.push_screen(ExplainScreen(app.lab.reference.explanations(), focused_panel(app)))


def about(app: Shell) -> None:
    """Compare microgpt, with this session's figures, to production LLMs."""
    rows, footer = app.lab.reference.about_rows()
    app.push_screen(AboutScreen(texts.ABOUT_TITLE, texts.ABOUT_HEADER, rows, footer, texts.ABOUT_HINT))


def glossary_screen(app: Shell, term: str | None = None) -> None:
    """The glossary, at `term` (else at the explained or focused panel's term)."""
    screen = app.screen
    panel = screen.shown if isinstance(screen, ExplainScreen) else focused_panel(app)
    app.push_screen(GlossaryScreen(app.lab.reference.glossary(), term or glossary.PANEL_TERMS.get(panel or "")))


def code(app: Shell) -> None:
    """The engine's own source behind the focused panel (or the forward view's stage), its lines lit with
    their live values."""
    if isinstance(app.screen, ForwardScreen):  # the forward view's stage: its lines, following ↑ ↓
        view = app.lab.reference.code_view(None, app.lab.forward.view().selected)
        app.push_screen(CodeScreen(view, follow_stage=True), lambda _: app.apply(Change()))
    else:
        app.push_screen(CodeScreen(app.lab.reference.code_view(focused_panel(app))))
