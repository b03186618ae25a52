"""Provides `Graphing`: the graph view's state and intents: the last step's autograd graph, opened at once
(the fused tape's, ~20 ms) or built off the UI thread (the plain engine's, ~0.2 s; graph_build.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from microgpt_tui.core.jobs import Job
from microgpt_tui.core.views import Change
from microgpt_tui.features.graph import opening
from microgpt_tui.features.graph.build import GraphBuild, GraphBuilt, GraphPlan
from microgpt_tui.language import _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


class Graphing:
    """The graph view being built (if any), and the intents that open it."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self.building = GraphBuild()  # the plain engine's graph view being built off the UI thread

    async def open_graph(self) -> Change:
        """The autograd graph of the last training step (training pauses first). A small fused tape's view
        (~20 ms) opens at once; the plain engine's (~0.2 s) and a large model's are built on a worker
        (build.py); one past the memory limit is refused (opening.graph_problem)."""
        await self.rules.halt()
        if self.building.running is not None:
            return Change()  # (g again while building: the view asked for first opens when it lands)
        session, trainer = self.session, self.session.trainer
        problem = opening.graph_problem(trainer)
        if problem:
            session.notify(problem, title=_("no graph yet"), severity="warning", timeout=6)
            return session.say(problem)
        if trainer.engine != "plain" and opening.graph_bytes(trainer) < opening.GRAPH_ON_UI_THREAD:
            return Change(
                ask=opening.graph_open(trainer, session.sequence, session.selection.position, session.vocab_labels)
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
            note = _("the graph of step {step:,} is of a run no longer live: not shown (g builds this one's)").format(
                step=plan.step
            )
            session.notify(note, timeout=6)
            return session.say(note)
        if built.view is None:
            note = _("could not build the graph of step {step:,}: {error}").format(step=plan.step, error=built.error)
            session.notify(note, title=_("no graph"), severity="error", timeout=10)
            return session.say(note)
        nodes = len(built.view.graph)
        self.building.count = (id(plan.trainer), plan.step, nodes)
        return session.say(
            _("the graph of step {step:,}: {nodes:,} nodes").format(step=plan.step, nodes=nodes), ask=built.view
        )

    def wait_for_graph(self) -> Change:
        """space or r while the graph is being built: training waits until it opens."""
        reason = _("{building} space and r wait until it opens (the other keys still work)").format(
            building=self.building.note
        )
        self.session.notify(reason, timeout=4)
        return self.session.say(reason)
