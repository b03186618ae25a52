"""Provides `TimeTravelActions`: the model as it was at any earlier step, a comparison, a fork.

Mixed into `MicroGPTApp` before `SessionActions`, whose step, run and sample
it wraps: training from an earlier step forks the run (after asking), sampling
returns to now. Every step is recorded into `self.timeline` (an
`engine.timetravel.TrainingHistory`): by the worker thread right after each
`trainer.step()` while training runs, by the UI thread for single steps.
Nothing else reads the timeline while the worker trains, so looking back
always pauses training first.

Viewing is a lens: `self.sequence` stays the live document or sample, and the
panels get `shown_sequence()`, the same text run through the weights of the
viewed step (and without the ablated heads, see actions_interventions.py).
Nothing here writes a weight except `fork`, which the learner confirms.
"""

from textual.app import SystemCommand

from .lens import ablation_label, lens_view, record_at, trends_until
from .screens.compare import CompareScreen
from .screens.fork import ForkScreen
from .screens.goto_step import GoToStepScreen
from .view import SequenceView


class TimeTravelActions:
    """`,` `.` `<` `>` view earlier or later steps, `c` compares, training from the past forks."""

    viewed_step = None
    """The step whose weights the panels show; None: now (the live model)."""
    _lens_cache = None  # (sequence, key, view): the last lens view, reused while nothing changed

    @property
    def viewing_past(self):
        return self.viewed_step is not None

    # -- the lens ---------------------------------------------------------------------

    def lens_step(self, seq):
        """The step whose weights made `seq`'s predictions, or the viewed step."""
        timeline = self.timeline
        if self.viewed_step is not None:
            step = self.viewed_step
        elif seq.kind == "train":
            step = seq.step - 1  # a training step's predictions came before its update
        else:
            step = timeline.now
        return min(max(step, timeline.start), timeline.now)

    def shown_sequence(self):
        """What the attention and token panels show: the live sequence, or it seen through the lens."""
        seq, ablate, timeline = self.sequence, self.ablation, self.timeline
        if seq is None or not seq.probs or (self.viewed_step is None and not ablate):
            return seq
        key = (self.viewed_step, ablate, timeline.now, len(timeline.branches))
        cache = self._lens_cache
        if cache is not None and cache[0] is seq and cache[1] == key:
            return cache[2]
        step = self.lens_step(seq)
        tags = [f"step {step:,}/{timeline.now:,}"] if self.viewed_step is not None else []
        if ablate:
            tags.append(f"ABLATED {ablation_label(ablate)}")
        view = lens_view(seq, timeline.model_at(step), self.trainer.tokenizer, ablate, step, " · ".join(tags))
        self._lens_cache = (seq, key, view)
        return view

    def lens_note(self, note):
        """The status line's second row: what the lens shows (else the latest event).

        Each active lens says what it is and, when it is the only one, which keys apply.
        """
        parts = [part for part in (self.past_note(), self.ablation_note(), self.quiz_note()) if part]
        if not parts:
            return note
        if len(parts) == 1:
            return " · ".join(parts[0])
        return " · ".join(core for core, _ in parts) + " · u undoes ablations and time travel"

    def past_note(self):
        """(what, keys) while viewing an earlier step, else None."""
        if self.viewed_step is None:
            return None
        step, timeline = self.viewed_step, self.timeline
        loss = f", loss {timeline.summary(step).loss:.3f}" if step > timeline.start else ", the initial weights"
        return (
            f"viewing step {step:,} of {timeline.now:,} (now){loss}",
            ", earlier  . later  c compare  u back to now  space/r fork from here",
        )

    # -- moving through time -------------------------------------------------------------

    async def _hold_still(self):
        """Pause training and stop auto-sampling: looking back needs the trainer to stand still."""
        if self.mode == "training":
            await self._stop_training()
        self._stop_sampling(keep=True)

    async def action_view_step(self, delta):
        """Show the model `delta` steps earlier (negative) or later; past the last step is now."""
        await self._hold_still()
        timeline = self.timeline
        current = timeline.now if self.viewed_step is None else self.viewed_step
        target = min(max(current + delta, timeline.start), timeline.now)
        if target == timeline.now:
            if self.viewed_step is not None:
                self.back_to_now()
            else:
                self.notify("this is now: , goes back in time", timeout=3)
        elif target == current:
            self.notify(f"step {target:,} is the earliest there is", timeout=3)
        else:
            self.view_step(target)

    def view_step(self, step):
        """Every panel shows the model as it was after `step` updates, on the same document."""
        self.viewed_step = step
        self.main.set_class(True, "-past")
        self._show_params(step)
        plot = self.main.query_one("#loss")
        plot.viewed_step = step
        plot.replot()
        self._push_view()
        self._push_history_status()
        self.refresh_bindings()

    def back_to_now(self):
        """The live view again: the current weights and the live panels."""
        if self.viewed_step is None:
            return
        self.viewed_step = None
        self.main.set_class(False, "-past")
        panel = self.main.query_one("#params")
        panel.border_title = "parameters"
        panel.trends = self.trends
        panel.params = self.latest.params if self.latest else None
        plot = self.main.query_one("#loss")
        plot.viewed_step = None
        plot.replot()
        self.note = f"back to now: step {self.timeline.now:,}"
        self._push_view()
        self._push_history_status()
        self.refresh_bindings()

    def _show_params(self, step):
        timeline, panel = self.timeline, self.main.query_one("#params")
        panel.trends = trends_until(timeline, step, self.trends.length)
        panel.params = timeline.summary(step).params if step > timeline.start else None
        panel.border_title = f"parameters · step {step:,}"

    async def action_goto_step(self):
        """Ask for a step number and view it (the palette's "go to step…")."""
        await self._hold_still()
        timeline = self.timeline

        def chosen(step):
            if step is None:
                return
            if step == timeline.now:
                self.back_to_now()
            else:
                self.view_step(step)

        self.push_screen(GoToStepScreen(timeline.start, timeline.now, self.viewed_step), chosen)

    async def action_compare(self):
        """Step 0, the viewed step (else the middle one) and now, side by side on the same document."""
        await self._hold_still()
        timeline, seq = self.timeline, self.sequence
        middle = self.viewed_step if self.viewed_step is not None else (timeline.start + timeline.now) // 2
        steps = sorted({timeline.start, middle, timeline.now})
        doc = seq.text[: self.trainer.config.block_size]
        ablate = self.ablation
        columns = []
        for step in steps:  # in increasing order: each replay continues from the last
            name = "now" if step == timeline.now else ("start" if step == timeline.start else "viewed")
            columns.append((f"step {step:,} ({name})", timeline.view_at(step, doc, ablate)))
        tag = f"ABLATED {ablation_label(ablate)}" if ablate else ""
        screen = CompareScreen(
            doc, columns, self.vocab_labels, self.layer, self.head, self.trainer.config.n_head, self.position, tag
        )

        def closed(position):
            if position is not None:
                self.position = min(position, len(self.sequence) - 1)

        self.push_screen(screen, closed)

    # -- training from the past forks -------------------------------------------------------

    def _ask_fork(self, then):
        """Ask before rewinding the run to the viewed step; `then` trains after a fork."""
        step, now = self.viewed_step, self.timeline.now

        def chosen(choice):
            if choice == "fork":
                forked = self.fork_here()
                then()
                self.note = f"{forked} · {self.note}"
                self._push_history_status()
            elif choice == "now":
                self.back_to_now()

        self.push_screen(ForkScreen(step, now, self.timeline.would_discard(step)), chosen)

    def fork_here(self):
        """Rewind the trainer to the viewed step; the later steps become a branch in timeline.branches."""
        timeline, step = self.timeline, self.viewed_step
        discarded = timeline.fork(step)
        self.back_to_now()
        # The app's own running summaries go back with it (in place: the panels hold them).
        beta, window = self.history.beta, self.history.window
        self.history.__init__(beta, window)
        for loss in timeline.losses:
            self.history.add(loss)
        self.trends.__init__(self.trends.length)
        for s in range(max(timeline.start + 1, step - self.trends.length + 1), step + 1):
            self.trends.add(timeline.summary(s).params)
        self.latest = record_at(timeline, step)
        self.sequence = SequenceView.from_step(self.latest) if self.latest else self._next_document_view()
        self.saved_step = min(self.saved_step, step)
        self._wte_copy = self._wte_step = None  # the embedding map's copy came from the discarded steps
        self.note = (
            f"forked at step {step:,}: steps {step + 1:,}–{step + len(discarded):,} are kept as branch "
            f"{len(timeline.branches)} (not lost)"
        )
        self.notify(f"{self.note}; training continues from step {step:,}", title="forked")
        self._dirty = True
        self._repaint()
        return self.note

    # -- wrapped session actions ------------------------------------------------------------

    def action_step(self):
        if self.viewing_past:
            self._ask_fork(super().action_step)
        else:
            super().action_step()

    def action_run(self):
        if self.viewing_past and self.mode != "training":
            self._ask_fork(super().action_run)
        else:
            super().action_run()

    def action_sample(self):
        self.back_to_now()  # samples come from the current model
        super().action_sample()

    def action_next_char(self):
        self.back_to_now()
        super().action_next_char()

    # -- what applies, the palette ------------------------------------------------------------

    def applies_view_step(self):
        return True if self.timeline.now > self.timeline.start else None

    applies_compare = applies_view_step
    applies_goto_step = applies_view_step

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        if self.applies_goto_step():
            yield SystemCommand(
                "go to step… (time travel)",
                "Type a step number: every panel shows the model as it was then",
                lambda: self.run_action("goto_step"),
            )
        if self.viewing_past:
            yield SystemCommand("back to now (time travel)", "Leave the past: the live model again", self.back_to_now)
