"""Provides `ExploringActions`: g (the autograd graph), e (the embedding map), ctrl+x (export),
and the nearest training name of each new sample.

Mixed into `MicroGPTApp`. The engine computes everything: `GraphView` walks
the last step's graph, `embedding_map` does the PCA, `NameIndex` finds the
nearest name, `write_csv` writes the history. This module decides when each
may run (never on the trainer while the worker trains) and where results go.
"""

from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.css.query import NoMatches
from textual.message import Message

from microgpt_engine.insight.export import StepLog, write_csv
from microgpt_engine.insight.graph import GraphView
from microgpt_engine.insight.names import NameIndex

from .screens.embeddings import EmbeddingScreen
from .screens.graph import GraphScreen


@dataclass
class NamesIndexed(Message):
    """The training names are indexed (built off the UI thread at startup)."""

    index: NameIndex


def export_base(folder, step):
    """folder/microgpt-step<step>, with -2, -3, … if an export of that step is already there."""
    base, n = Path(folder) / f"microgpt-step{step}", 1
    while base.with_suffix(".svg").exists() or base.with_suffix(".csv").exists():
        n += 1
        base = Path(folder) / f"microgpt-step{step}-{n}"
    return base


def plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


class ExploringActions:
    """The app's look-inside actions and what they keep: the step log, the name index, the worker's wte copy."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.step_log = StepLog()  # what a CSV export writes: every step taken this session
        self.name_index = None  # NameIndex of the training names, once built
        self.nearest = {}  # sampled name not in the data -> Nearest
        self._wte_copy = None  # the training worker's copy of wte after its latest step (app._drain)...
        self._wte_step = None  # ...and that step; both None from the start of a run to its first copy

    # -- the autograd graph ------------------------------------------------------------

    def graph_problem(self):
        """Why there is no graph to show, or None."""
        trainer = self.trainer
        if trainer.engine != "fused":
            return f"The graph explorer reads the fused engine's tape; this run uses the {trainer.engine} engine (start with --engine fused)."
        if trainer.last_ops is None:
            return "No step's graph to show yet: press space for one training step, then g shows its graph."
        if trainer.last_graph_ids is None:
            return "The last step diverged: its graph holds no numbers to show. Take a step that does not diverge."
        return None

    async def action_graph(self):
        """Open the autograd graph of the last training step (pausing training first)."""
        if self.mode == "training":
            await self._stop_training()
        problem = self.graph_problem()
        if problem:
            self.note = problem
            self._push_history_status()
            self.notify(problem, title="no graph yet", severity="warning", timeout=6)
            return
        trainer = self.trainer
        graph = GraphView(trainer)
        doc = trainer.document(graph.step - 1)  # the document the last step trained on
        tokens = trainer.tokenizer.document(doc[: trainer.config.block_size])[: graph.num_positions + 1]
        seq = self.sequence
        on_this_doc = seq is not None and seq.kind == "train" and seq.step == graph.step
        position = self.position if on_this_doc else 0
        self.push_screen(GraphScreen(graph, self.vocab_labels, tokens, trainer.model.shapes, position))

    # -- the embedding map -------------------------------------------------------------

    def action_embeddings(self):
        """Open the map of the token embeddings."""
        self.push_screen(EmbeddingScreen(self.trainer.tokenizer))

    def embedding_snapshot(self):
        """(step, wte rows) as of the latest finished step: while the worker trains,
        the copy it handed over; otherwise the model's own (the trainer is idle)."""
        if self.mode == "training":
            return self._wte_step, self._wte_copy
        return self.trainer.step_count, self.trainer.model.weights["wte"]

    # -- export ------------------------------------------------------------------------

    def action_export(self):
        self.export_files()

    def export_files(self):
        """An SVG of the screen and a CSV of every step, next to the checkpoint; problems are notified."""
        log = self.step_log
        if self.mode != "training":
            log.drop_after(self.trainer.step_count)  # steps a fork (time travel) undid
        step = log.steps[-1] if len(log) else self.trainer.step_count
        folder = self.save_path.parent
        try:
            base = export_base(folder, step)
            svg = self.save_screenshot(filename=base.name + ".svg", path=str(folder))
            if len(log):
                write_csv(base.with_suffix(".csv"), log.records())
        except OSError as exc:
            self.note = f"could not export to {folder}: {exc.strerror or exc}"
            self.notify(self.note, title="export failed", severity="error", timeout=8)
        else:
            what = f"{base.name}.svg and {base.name}.csv ({plural(len(log), 'step')})" if len(log) else f"{Path(svg).name} (no steps yet, so no CSV)"
            self.note = f"exported {what} to {Path(folder).resolve()}"
            self.notify(self.note, title="exported")
        self._push_history_status()

    # -- nearest training names --------------------------------------------------------

    def _index_names(self):
        self._build_name_index(self.docs)

    @work(thread=True, exclusive=True, group="names", exit_on_error=False)
    def _build_name_index(self, docs):
        self.post_message(NamesIndexed(NameIndex(docs)))

    def on_names_indexed(self, message: NamesIndexed) -> None:
        self.name_index = message.index
        for name, known in self.samples.entries:  # samples drawn before the index was ready
            if not known and name not in self.nearest:
                self.nearest[name] = self.name_index.nearest(name)
        self._push_nearest()

    def _novelty(self, name):
        """What the note says of a new sample: how far it is from the nearest training name."""
        if self.name_index is None:
            return "not in the training data: new"
        near = self.nearest[name] = self.name_index.nearest(name)
        self._push_nearest()
        return f"new; nearest training name “{near.doc}”, {plural(near.distance, 'edit')} away"

    def _push_nearest(self):
        shown = {name for name, _ in self.samples.entries}
        self.nearest = {name: near for name, near in self.nearest.items() if name in shown}
        try:
            panel = self.main.query_one("#samples")
        except NoMatches:  # the index can arrive before the panels exist or after they are gone
            return
        panel.nearest = dict(self.nearest)
