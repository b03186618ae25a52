"""Provides `InsideViews`: the intents that look inside the model: the autograd graph, the embedding map's
rows, export, and the texts with this session's figures (facts, code, glossary, about).

The forward view and the matrix view keep their own intents (forward.py, matrices.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import texts
from . import inside
from .code import CodeView, code_view
from .facts import session_facts
from .glossary import GlossaryEntry, glossary_entries
from .graph_build import GraphBuild, GraphBuilt, GraphPlan
from .jobs import Job
from .views import Change

if TYPE_CHECKING:
    from .interlocks import Interlocks
    from .session import Session


class InsideViews:
    """The intents that look inside the model: graph, embeddings, export, the texts."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self.building = GraphBuild()  # the plain engine's graph view being built off the UI thread

    async def open_graph(self) -> Change:
        """The autograd graph of the last training step (training pauses first). The fused tape's view
        (~20 ms) opens at once; the plain engine's (~0.2 s) is built on a worker (graph_build.py)."""
        await self.rules.halt()
        if self.building.running is not None:
            return Change()  # (g again while building: the view asked for first opens when it lands)
        session, trainer = self.session, self.session.trainer
        problem = inside.graph_problem(trainer)
        if problem:
            session.notify(problem, title="no graph yet", severity="warning", timeout=6)
            return session.say(problem)
        if trainer.engine != "plain":
            return Change(
                ask=inside.graph_open(trainer, session.sequence, session.selection.position, session.vocab_labels)
            )
        plan = self.building.running = GraphPlan(
            trainer, trainer.step_count, session.sequence, session.selection.position, session.vocab_labels
        )
        session.start(Job("graph", lambda cancelled, report: plan.build(), self.graph_landed))
        return session.say(self.building.note)

    def graph_work(self) -> GraphPlan:
        """The build the app is to run now (on a worker thread)."""
        assert self.building.running is not None
        return self.building.running

    def graph_landed(self, built: GraphBuilt) -> Change:
        """A build the app ran finished: open its view, unless the run moved on meanwhile."""
        plan, session = built.plan, self.session
        if plan is not self.building.running:
            return Change()
        self.building.running = None
        if plan.trainer is not session.trainer or plan.trainer.step_count != plan.step:
            note = f"the graph of step {plan.step:,} is of a run no longer live: not shown (g builds this one's)"
            session.notify(note, timeout=6)
            return session.say(note)
        if built.view is None:
            note = f"could not build the graph of step {plan.step:,}: {built.error}"
            session.notify(note, title="no graph", severity="error", timeout=10)
            return session.say(note)
        nodes = len(built.view.graph)
        self.building.count = (id(plan.trainer), plan.step, nodes)
        return session.say(f"the graph of step {plan.step:,}: {nodes:,} nodes", ask=built.view)

    def wait_for_graph(self) -> Change:
        """space or r while the graph is being built: training waits until it opens."""
        reason = f"{self.building.note} space and r wait until it opens (the other keys still work)"
        self.session.notify(reason, timeout=4)
        return self.session.say(reason)

    def embedding_snapshot(self) -> tuple[int | None, list[list[float]] | None]:
        """(step, wte rows) as of the latest finished step: while the worker trains, the copy it
        handed over; otherwise the model's own (the trainer is idle). Always a copy."""
        if self.rules.training:
            handed = self.rules.handed_wte
            if handed is None:
                return None, None
            step, wte = handed
            return step, [list(row) for row in wte]
        return self.session.trainer.step_count, [row[:] for row in self.session.trainer.model.weights["wte"]]

    def export(self, save_svg: Callable[[Path], object]) -> Change:
        """An SVG of the screen (`save_svg(path)`: the app's screenshot) and a CSV of every step, by the checkpoint."""
        folder = self.session.save_path.parent
        try:
            note = inside.export(folder, self.session.history, save_svg)
        except OSError as exc:
            note = f"could not export to {folder}: {exc.strerror or exc}"
            self.session.notify(note, title="export failed", severity="error", timeout=8)
            return self.session.say(note)
        self.session.notify(note, title="exported")
        return self.session.say(note)

    def facts(self) -> dict[str, str]:
        return session_facts(self.session, self.rules)

    def explanations(self) -> list[tuple[str, str, str]]:
        facts = self.facts()
        return [(pid, e.name, texts.fill(e.body, facts)) for pid, e in texts.PANELS.items()]

    def code_view(self, panel: str | None, stage: str | None = None) -> CodeView:
        """The engine's source behind `panel` (a panel id, or None) or the forward view's `stage`, with the live
        values (code.py)."""
        return code_view(self.session, self.rules, panel, stage)

    def glossary(self) -> tuple[GlossaryEntry, ...]:
        """Every glossary term with this session's figures (glossary.py)."""
        return glossary_entries(self.session, self.rules)

    def about_rows(self) -> tuple[list[tuple[str, ...]], str]:
        facts = self.facts()
        rows = [tuple(texts.fill(cell, facts) for cell in row) for row in texts.ABOUT_ROWS]
        return rows, texts.fill(texts.ABOUT_FOOTER, facts)
