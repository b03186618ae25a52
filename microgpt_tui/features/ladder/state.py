"""Provides `Ladder`: the rungs of microgpt trained apart from the live run, on names and on the copy task.

`climb` hands the app one background job (`core/jobs.py`, group "ladder")
that trains the asked rungs one after another, each in a child process of its
own (`insight/ladder.climb_apart`): the live run keeps the interpreter lock,
and while it trains the rung's process is stopped, so training it is not slowed. Each rung lands as it finishes
(`progress`): its figures are kept here, and it joins the runs list (`w`) as a
kept run with its loss curve and final weights, so it can be compared, saved
or sampled like any other. `adopt` makes a climbed rung the live run (its
heatmap is then the attention panel's).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import microgpt_data
from microgpt_data.copy_task import copy_pairs
from microgpt_engine import Trainer
from microgpt_engine.insight.baselines import uniform_loss
from microgpt_engine.insight.heads import Ablations, Head, ablation_losses, attention_on, heads_of
from microgpt_engine.insight.held_out import HELD_OUT, held_out_names, training_order
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.insight.ladder import Climbed, Rung, climb_apart
from microgpt_engine.insight.timetravel import restore
from microgpt_tui.core.jobs import Job
from microgpt_tui.core.ladder_book import Key
from microgpt_tui.core.views import Change
from microgpt_tui.features.ladder.rungs import ladder_rungs
from microgpt_tui.features.runs.saved_runs import SavedRun
from microgpt_tui.features.sampling.sample_log import SampleLog
from microgpt_tui.language import _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session

DATASETS = ("names", microgpt_data.COPY)
MOST = 1000  # steps of a rung at most (microgpt's run)


class Ladder:
    """The climbed rungs, the ones on their way, and the intents that climb and adopt them."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self.held = HELD_OUT  # held-out names each rung is measured on: the runs screen's set (tests take fewer)
        self.book = session.ladder  # what is climbed and on its way (the lessons read it there)
        self._arrived: list[tuple[Key, Climbed | str]] = []  # handed over by the worker, taken on the UI thread
        self._lock = threading.Lock()

    def docs(self, dataset: str) -> list[str]:
        return self.book.docs(dataset)

    @property
    def steps(self) -> int:
        """Every rung's steps: the live run's, up to MOST (a rung is a comparison, not a long run)."""
        return min(self.session.trainer.config.steps, MOST)

    def rungs(self) -> list[Rung]:
        return [replace(rung, held=self.held) for rung in ladder_rungs(self.steps)]

    def rung(self, name: str) -> Rung:
        return next(rung for rung in self.rungs() if rung.name == name)

    def keys(self, which: str) -> list[Key]:
        """The rungs a chapter trains: "attention" (no attention and microgpt, on names and on the copy task) or
        "ladder" (every rung on both)."""
        if which == "attention":  # (the copy task first: the chapter's questions wait for it)
            return [(dataset, name) for dataset in DATASETS[::-1] for name in ("no attention", "microgpt")]
        return [(dataset, rung.name) for dataset in DATASETS for rung in self.rungs()]

    # -- the intents ----------------------------------------------------------------------------

    def climb_set(self, which: str) -> Change:
        return self.climb(self.keys(which))

    def climb(self, keys: Sequence[Key]) -> Change:
        """Train the rungs `keys` names that are neither climbed nor on their way, one after another, apart."""
        new = [key for key in keys if key not in self.book.climbed and key not in self.book.pending]
        if not new:
            left = self.book.waiting(keys)
            if not left:
                return self.session.say(_("already trained"))
            return self.session.say(_("{count} of these rungs still training").format(count=len(left)))
        self.book.pending.extend(new)
        queue = list(self.book.pending)  # (a new job replaces the one running: it takes over its queue)
        work = [(key, self.docs(key[0]), self.rung(key[1])) for key in queue]
        self.session.start(
            Job("ladder", lambda cancelled, report: self._work(work, cancelled, report), self._landed, self._progress)
        )
        names = _(", ").join(_("{rung} on {dataset}").format(rung=rung, dataset=dataset) for dataset, rung in new)
        return self.session.say(_("training apart from the live run: {names} (one after another)").format(names=names))

    def _work(
        self,
        work: list[tuple[Key, list[str], Rung]],
        cancelled: Callable[[], bool],
        report: Callable[[], object],
    ) -> int:
        """On the worker: each rung in its own process, handed over as it lands."""
        done = 0
        for key, docs, rung in work:
            if cancelled():
                break
            try:
                # (held while the live run trains: the ladder never takes its CPU time)
                got: Climbed | str | None = climb_apart(
                    docs, rung, cancelled=cancelled, held=lambda: self.rules.training_on
                )
            except RuntimeError as exc:
                got = str(exc)
            if got is None:
                break
            with self._lock:
                self._arrived.append((key, got))
            report()
            done += 1
        return done

    def _progress(self) -> Change:
        with self._lock:
            arrived, self._arrived = self._arrived, []
        notes = []
        for key, got in arrived:
            if key in self.book.pending:
                self.book.pending.remove(key)
            if isinstance(got, str):
                notes.append(got)
                continue
            self.book.climbed[key] = got
            self._keep(key, got)
            held = f"{got.held_out:.3f}" if got.held_out is not None else _("none left to check")
            notes.append(_("{rung} on {dataset}: held-out loss {held}").format(rung=key[1], dataset=key[0], held=held))
        if not notes:
            return Change()
        if not self.book.pending:
            return self.session.say(_("; ").join(notes))
        return self.session.say(
            _("{notes} ({count} to go)").format(notes=_("; ").join(notes), count=len(self.book.pending))
        )

    def _landed(self, done: int) -> Change:
        return self._progress()

    def _keep(self, key: Key, got: Climbed) -> None:
        """A climbed rung joins the runs list (w): its curve, its final weights, its data."""
        dataset, name = key
        docs = self.docs(dataset)
        shown = microgpt_data.built_in(dataset)[1] if dataset != microgpt_data.COPY else dataset
        config = got.rung.config or self.session.trainer.config
        order = training_order(docs, config.seed) if got.history is not None else None
        self.session.book.add(
            current=False,
            name=f"{name} ({dataset})",
            config=config,
            engine="counts" if got.rung.config is None else "fused",
            dataset=shown,
            history=got.history if got.history is not None else RunHistory(self.session.trainer.model.shapes),
            samples=SampleLog(docs),
            uniform=uniform_loss(len(set("".join(docs))) + 1),  # (its characters and BOS)
            origin=f"ladder: {name} on {dataset}, trained apart from the live run",
            final=got.final,
            rng=got.rng,
            level=got.held_out if got.rung.config is None else None,
            docs=docs,
            order=order,
        )
        self.session.version += 1

    def adopt(self, dataset: str, rung: str) -> Change:
        """Make a climbed rung the live run (the live one stays in the runs list); its best copying head shown."""
        got = self.book.result(dataset, rung)
        if got is None or got.final is None or got.rung.config is None:
            return self.session.say(_("{rung} on {dataset} is not trained yet").format(rung=rung, dataset=dataset))
        docs = self.docs(dataset)
        trainer = Trainer(list(docs), got.rung.config)
        restore(trainer, got.final)
        if got.rng is not None:
            trainer.rng.setstate(got.rng)
        history = got.history
        saved = SavedRun(history, f"{rung} ({dataset})", f"ladder: {rung} on {dataset}", []) if history else None
        self.rules.adopt(trainer, docs, dataset if dataset == microgpt_data.COPY else "names.txt", saved)
        head = self.copying_head() if dataset == microgpt_data.COPY else None
        if head is not None:
            self.session.selection = replace(self.session.selection, layer=head[0], head=head[1], all_heads=False)
            shown = self.session.sequence
            pairs = copy_pairs(shown.text) if shown is not None else []
            if pairs:  # the bar's row: the first that must copy (the panel keeps the selected row in sight)
                self.session.set_position(pairs[0][0])
        return self.session.say(
            _("the live run is now {rung} on {dataset}, trained to step {step}").format(
                rung=rung, dataset=dataset, step=f"{trainer.step_count:,}"
            ),
            new_run=True,
        )

    # -- what the live model does ------------------------------------------------------------------

    def copy_scores(self, limit: int = 100) -> dict[Head, float]:
        """On the live model (when it is on the copy task): each head's attention on the letter to copy, averaged
        over the first `limit` held-out words (the chapter's figure is over the same ones)."""
        trainer = self.session.trainer
        words = held_out_names(self.session.docs)[:limit]
        return attention_on(trainer.model, trainer.tokenizer, words, copy_pairs)

    def copying_head(self) -> Head | None:
        scores = self.copy_scores()
        return max(scores, key=lambda head: (scores[head], -head[0], -head[1]), default=None)

    def ablations(self, limit: int = 200) -> Ablations:
        """On the live model: the held-out loss intact and with each head off (the first `limit` names)."""
        trainer = self.session.trainer
        return ablation_losses(trainer.model, trainer.tokenizer, held_out_names(self.session.docs)[:limit])

    def heads(self) -> list[Head]:
        return heads_of(self.session.trainer.model)
