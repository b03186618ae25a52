"""Provides `InsideViews`: the lab's intents that look inside the model: graph, forward pass, matrices, export,
and the texts (facts, code, glossary, about).

The state stays on the `Lab` (the one owner); this part holds the intents that write it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from microgpt_engine.paths import PathError, reason

from .. import texts
from . import inside
from .code import CodeView, code_view
from .facts import session_facts
from .forward import ForwardView
from .glossary import GlossaryEntry, glossary_entries
from .graph_build import GraphBuild, GraphBuilt, GraphPlan
from .matrices import MatrixView
from .views import Change, ForwardOpen, MatrixOpen

if TYPE_CHECKING:
    from .lab import Lab


class InsideViews:
    """The lab's intents that look inside the model: graph, forward pass, matrices, export, the texts."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.building = GraphBuild()  # the plain engine's graph view being built off the UI thread

    async def open_graph(self) -> Change:
        """The autograd graph of the last training step (training pauses first). A small fused tape's view
        (~20 ms) opens at once; the plain engine's (~0.2 s) and a large model's are built on a worker
        (graph_build.py); one past the memory limit is refused (inside.graph_problem)."""
        await self.lab.halt()
        if self.building.running is not None:
            return Change()  # (g again while building: the view asked for first opens when it lands)
        lab, trainer = self.lab, self.lab.trainer
        problem = inside.graph_problem(trainer)
        if problem:
            lab._notify(problem, title="no graph yet", severity="warning", timeout=6)
            return lab._say(problem)
        if trainer.engine != "plain" and inside.graph_bytes(trainer) < inside.GRAPH_ON_UI_THREAD:
            return Change(ask=inside.graph_open(trainer, lab.sequence, lab.selection.position, lab.vocab_labels))
        self.building.running = GraphPlan(
            trainer, trainer.step_count, lab.sequence, lab.selection.position, lab.vocab_labels
        )
        return lab._say(self.building.note, work="graph")

    def graph_work(self) -> GraphPlan:
        """The build the app is to run now (on a worker thread)."""
        assert self.building.running is not None
        return self.building.running

    def graph_landed(self, built: GraphBuilt) -> Change:
        """A build the app ran finished: open its view, unless the run moved on meanwhile."""
        plan, lab = built.plan, self.lab
        if plan is not self.building.running:
            return Change()
        self.building.running = None
        if plan.trainer is not lab.trainer or plan.trainer.step_count != plan.step:
            note = f"the graph of step {plan.step:,} is of a run no longer live: not shown (g builds this one's)"
            lab._notify(note, timeout=6)
            return lab._say(note)
        if built.view is None:
            note = f"could not build the graph of step {plan.step:,}: {built.error}"
            lab._notify(note, title="no graph", severity="error", timeout=10)
            return lab._say(note)
        nodes = len(built.view.graph)
        self.building.count = (id(plan.trainer), plan.step, nodes)
        return lab._say(f"the graph of step {plan.step:,}: {nodes:,} nodes", ask=built.view)

    def wait_for_graph(self) -> Change:
        """space or r while the graph is being built: training waits until it opens."""
        reason = f"{self.building.note} space and r wait until it opens (the other keys still work)"
        self.lab._notify(reason, timeout=4)
        return self.lab._say(reason)

    def open_forward(self) -> Change:
        """The forward pass, stage by stage, at the selected position (the app opens the view)."""
        self.lab.forward.open = True
        return Change(ask=ForwardOpen())

    def close_forward(self) -> Change:
        self.lab.forward.open = False
        return Change()

    def forward_stage(self, delta: int) -> Change:
        """Select the stage `delta` rows below (negative: above) in the forward view."""
        self.lab.forward.move_stage(delta)
        return Change()

    def select_stage(self, name: str) -> Change:
        """Select a forward-view stage by its stable name (forward_trace.stage_names), e.g. from a line of code."""
        self.lab.forward.select(name)
        return Change()

    def forward_view(self) -> ForwardView:
        """The forward view's trace: the shown sequence at the selected position, and the selected stage."""
        return self.lab.forward.view()

    def open_matrix(self, name: str | None = None) -> Change:
        """A weight matrix as a heatmap (the selected row of the parameter table, or `name`)."""
        if name is not None:
            self.lab.matrices.select(name)
        self.lab.matrices.open = True
        return Change(ask=MatrixOpen())

    def close_matrix(self) -> Change:
        self.lab.matrices.open = False
        return Change()

    def select_matrix(self, delta: int) -> Change:
        """The parameter table's selected row (and the matrix view's matrix) `delta` rows down."""
        self.lab.matrices.select_next(delta)
        return Change()

    def matrix_kind(self) -> Change:
        """Cycle what the matrix view shows: weights, gradient, update Δ, Adam m, Adam v."""
        self.lab.matrices.cycle_kind()
        return Change()

    def matrix_move(self, d_row: int, d_col: int) -> Change:
        self.lab.matrices.move(d_row, d_col)
        return Change()

    def matrix_nudge(self) -> Change:
        """The nudge check at the matrix view's cursor: ±h on the weight, the loss again, the slope."""
        return self.lab._say(self.lab.matrices.nudge())

    def matrix_view(self) -> MatrixView:
        return self.lab.matrices.view()

    def embedding_snapshot(self) -> tuple[int | None, list[list[float]] | None]:
        """(step, wte rows) as of the latest finished step: while the worker trains, the copy it
        handed over; otherwise the model's own (the trainer is idle). Always a copy."""
        if self.lab.training:
            handed = self.lab.stepping.wte
            if handed is None:
                return None, None
            step, wte = handed
            return step, [list(row) for row in wte]
        return self.lab.trainer.step_count, [row[:] for row in self.lab.trainer.model.weights["wte"]]

    def export(self, save_svg: Callable[[Path], object]) -> Change:
        """An SVG of the screen (`save_svg(path)`: the app's screenshot) and a CSV of every step, by the checkpoint."""
        folder = self.lab.save_path.parent
        try:
            note = inside.export(folder, self.lab.history, save_svg)
        except (OSError, PathError) as exc:
            note = f"could not export to {folder}: {reason(exc) if isinstance(exc, OSError) else exc}"
            self.lab._notify(note, title="export failed", severity="error", timeout=8)
            return self.lab._say(note)
        self.lab._notify(note, title="exported")
        return self.lab._say(note)

    def facts(self) -> dict[str, str]:
        return session_facts(self.lab)

    def explanations(self) -> list[tuple[str, str, str]]:
        facts = self.facts()
        return [(pid, e.name, texts.fill(e.body, facts)) for pid, e in texts.PANELS.items()]

    def code_view(self, panel: str | None, stage: str | None = None) -> CodeView:
        """The engine's source behind `panel` (a panel id, or None) or the forward view's `stage`, with the live
        values (lab/code.py)."""
        return code_view(self.lab, panel, stage)

    def glossary(self) -> tuple[GlossaryEntry, ...]:
        """Every glossary term with this session's figures (lab/glossary.py)."""
        return glossary_entries(self.lab)

    def about_rows(self) -> tuple[list[tuple[str, ...]], str]:
        facts = self.facts()
        rows = [tuple(texts.fill(cell, facts) for cell in row) for row in texts.ABOUT_ROWS]
        return rows, texts.fill(texts.ABOUT_FOOTER, facts)
