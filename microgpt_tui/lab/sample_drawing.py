"""Provides `SampleDrawing`: the lab's sampling intents (draw a name, one character at a time, force a letter, leave).

The state stays on the `Lab` (the one owner); this part holds the intents that write it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from microgpt_engine import Sampler
from microgpt_engine.insight.names import NameIndex

from . import inside
from .forcing import forced_letters, resample_from
from .labels import visible
from .samples import temperatures_words
from .sequence import SequenceView
from .views import AskChar, Change

if TYPE_CHECKING:
    from .lab import Lab


class SampleDrawing:
    """The lab's sampling intents (draw a name, one character at a time, force a letter, leave)."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab

    def sample(self) -> Change:
        """Start a new sample; the app's timer reveals a character per tick while auto_sample is on."""
        self.lab._before_sampling()
        self.lab._stop_sampling()
        t = self.lab.trainer
        self.lab.sampler = Sampler(
            t.model, t.tokenizer, t.rng, self.lab.selection.temperature, ablate=self.lab.ablation
        )
        self.lab.sampling_mode = True
        self.lab._say("sampling: n for one character at a time, + / - for temperature, esc stops")
        change = self.advance_sample()
        self.lab.auto_sample = self.lab.sampling
        return change

    def next_char(self) -> Change:
        """Reveal exactly one more character (auto-advance stops)."""
        self.lab.travel.back_to_now()
        self.lab.auto_sample = False
        return self.advance_sample()

    def advance_sample(self, force: int | None = None) -> Change:
        """One more character of the sample (`force`: a token the learner chose)."""
        sampler = self.lab.sampler
        if sampler is None or sampler.done:
            return Change()
        try:
            record = sampler.step(force=force)
        except ArithmeticError as exc:  # e.g. weights blown up by a huge learning rate
            self.lab._stop_sampling()
            note = f"cannot sample: {exc}"
            self.lab._notify(note, severity="error", timeout=8)
            return self.lab._say(note)
        self.lab._set_sequence(
            SequenceView.from_samples(
                sampler.records, self.lab.trainer.tokenizer, sampler.temperature, self.lab.trainer.step_count
            )
        )
        self.lab.selection = replace(self.lab.selection, position=len(sampler.records) - 1)
        if not record.done:
            self.lab.sampling_mode = True  # also after a pause that kept the sample (n goes on with it)
            return Change()
        name, known = self.lab.samples.add(sampler.text)
        shown = {name for name, _ in self.lab.samples.entries}
        self.lab.nearest = {
            n: near for n, near in self.lab.nearest.items() if n in shown
        }  # the log keeps the newest only
        chosen = forced_letters(sampler)
        self.lab.forced = {n: f for n, f in self.lab.forced.items() if n in shown and n != name}
        if chosen:
            self.lab.forced[name] = chosen
        where = "in the training data" if known else self.novelty(name)
        self.lab._stop_sampling(keep=True)
        yours = f"; you chose {', '.join(f'“{name[i]}”' for i in chosen)}" if chosen else ""
        return self.lab._say(f"sampled “{name}” {temperatures_words(sampler.records)}{yours} ({where}). s for another.")

    def ask_force(self) -> Change:
        """Ask for the sample's next character (the sample waits meanwhile)."""
        self.lab.auto_sample = False
        tokenizer = self.lab.trainer.tokenizer
        return Change(ask=AskChar(tuple(tokenizer.chars), tokenizer.label(tokenizer.bos), tokenizer.bos))

    def force(self, token: int | None) -> Change:
        """The learner chose the character at the selected position: it replaces the one drawn there, and the
        model samples on from it (what it drew after that position is dropped)."""
        if token is None or not self.lab._sample_shown():
            return Change()
        assert self.lab.sampler is not None
        self.lab._before_sampling()
        pos = min(self.lab.selection.position, len(self.lab.sampler.records))
        self.lab.sampler = resample_from(self.lab.sampler, pos, self.lab.trainer.rng)
        change = self.advance_sample(force=token)
        if self.lab.sampling:
            self.lab.auto_sample = True  # it samples on from the chosen letter
            label = visible(self.lab.trainer.tokenizer.label(token))
            return self.lab._say(f"you chose “{label}” at pos {pos}: the model samples on from it")
        return change

    def leave_sampling(self) -> Change:
        """Stop sampling (an unfinished sample is dropped): the panels show the training document again."""
        if self.lab.applies("leave_sampling") is not True:
            return Change()
        self.lab._stop_sampling()
        self.lab._set_sequence(
            SequenceView.from_step(self.lab.latest) if self.lab.latest else self.lab._next_document_view()
        )
        return self.lab._say("left sampling: the panels show the training document again · s samples a name")

    def novelty(self, name: str) -> str:
        """What the note says of a new sample: how far it is from the nearest training name."""
        if self.lab.name_index is None:
            return "not in the training data: new"
        near = self.lab.nearest[name] = self.lab.name_index.nearest(name)
        shown = near.doc if len(near.doc) <= 40 else near.doc[:39] + "…"  # a 1 MB line is no name to print
        return f"new; nearest training name “{shown}”, {inside.plural(near.distance, 'edit')} away"

    def names_indexed(self, index: NameIndex) -> Change:
        """The training names are indexed: the samples drawn before get their nearest names."""
        self.lab.name_index = index
        for name, known in self.lab.samples.entries:
            if not known and name not in self.lab.nearest:
                self.lab.nearest[name] = index.nearest(name)
        return Change()
