"""Provides `SampleDrawing`: sampling, its state and its intents (draw a name, one character at a time,
force a letter, leave).

This part owns everything about drawing names: the sampler of the sample on
show, whether the mode reads SAMPLING and the app's timer advances it, the
run's sample log, and what is known of each sample (its nearest training name,
the letters the learner chose). Others read it through the properties; the
interlocks call `stop`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from microgpt_engine import Sampler
from microgpt_engine.insight.names import NameIndex
from microgpt_tui.core.labels import clipped, visible, visible_text
from microgpt_tui.core.lens import Ablation
from microgpt_tui.core.said import Said
from microgpt_tui.core.sequence import SequenceView
from microgpt_tui.core.views import AskChar, Change, SamplesView
from microgpt_tui.features.sampling.forcing import forced_letters, resample_from
from microgpt_tui.features.sampling.sample_log import SampleLog, temperature_label, temperatures_words
from microgpt_tui.language import N_, _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


class SampleDrawing:
    """Sampling: the sampler, the mode, the sample log, and the intents that write them."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self._name_index: NameIndex | None = None  # the training names, indexed off the UI thread
        self.reset(())

    def reset(self, docs: list[str] | tuple[str, ...], same_data: bool = False) -> None:
        """Another run is live: no sample on show, an empty log (`same_data`: the name index still holds)."""
        self._sampler: Sampler | None = None
        self._mode = False  # the mode reads SAMPLING (a sample being written, or waiting for n)
        self._auto = False  # the app's timer reveals one character per tick
        self._samples = SampleLog(docs)
        if not same_data:
            self._name_index = None
        self._nearest: dict[str, tuple[str, int]] = {}  # sampled name not in the data -> (nearest name, edits)
        self._forced: dict[str, tuple[int, ...]] = {}  # sampled name -> the positions of the letters the learner chose

    # -- what others read -----------------------------------------------------------------

    @property
    def sampler(self) -> Sampler | None:
        """The sampler of the sample on show (in progress or finished), or None."""
        return self._sampler

    @property
    def sampling(self) -> bool:
        """A sample is in progress (started and not yet at BOS)."""
        return self._sampler is not None and not self._sampler.done

    @property
    def in_mode(self) -> bool:
        """The mode reads SAMPLING: a sample being written, or one kept waiting for n."""
        return self._mode

    @property
    def auto(self) -> bool:
        """The app's timer should reveal one character per tick."""
        return self._auto

    @property
    def samples(self) -> SampleLog:
        """The live run's sample log (the run keeps the same object)."""
        return self._samples

    @property
    def nearest(self) -> Mapping[str, tuple[str, int]]:
        """Each new sample's nearest training name and how many edits away it is (read-only)."""
        return MappingProxyType(self._nearest)

    @property
    def forced(self) -> Mapping[str, tuple[int, ...]]:
        """Each sample's positions whose letters the learner chose (read-only)."""
        return MappingProxyType(self._forced)

    @property
    def name_index(self) -> NameIndex | None:
        return self._name_index

    @property
    def shown(self) -> bool:
        """A sample (in progress or finished) is on the panels, and the sampler that drew it is kept."""
        seq = self.session.sequence
        return not self.rules.training and self._sampler is not None and seq is not None and seq.kind == "sample"

    def view(self) -> SamplesView:
        """What the samples panel shows: names are the data's, escaped, so they cannot write to the terminal."""
        return SamplesView(
            tuple((visible_text(name), known) for name, known in self._samples.entries),
            visible_text(self._sampler.text) if self.sampling and self._sampler is not None else None,
            tuple((visible_text(name), visible_text(clipped(doc)), d) for name, (doc, d) in self._nearest.items()),
            tuple((visible_text(name), chosen) for name, chosen in self._forced.items()),
            tuple(self._samples.temperatures),
        )

    # -- what the interlocks call ------------------------------------

    def stop(self, keep: bool = False) -> None:
        """Stop auto-advance; unless keep, forget an unfinished sample."""
        self._auto = False
        if not keep and self.sampling:
            self._sampler = None
        self._mode = False

    def use_temperature(self, value: float) -> None:
        """The rest of a sample in progress is drawn at `value`."""
        if self._sampler is not None:
            self._sampler.temperature = value

    def use_ablation(self, ablation: Ablation) -> None:
        """The rest of a sample is drawn with the same heads switched off as the view."""
        if self._sampler is not None:
            self._sampler.ablate = ablation

    def restore(self, names: list[str]) -> None:
        """A saved run's samples, newest first, back in the log."""
        for name in reversed(names):
            self._samples.add(name)

    # -- the intents ------------------------------------------------------------------------

    def sample(self) -> Change:
        """Start a new sample; the app's timer reveals a character per tick while `auto` is on."""
        self.rules.before_sampling()
        self.stop()
        t = self.session.trainer
        self._sampler = Sampler(
            t.model, t.tokenizer, t.rng, self.session.selection.temperature, ablate=self.rules.ablation
        )
        self._mode = True
        self.session.say(N_("sampling: n for one character at a time, + / - for temperature, esc stops"))
        change = self.advance_sample()
        self._auto = self.sampling
        return change

    def next_char(self) -> Change:
        """Reveal exactly one more character (auto-advance stops)."""
        self.rules.back_to_now()
        self._auto = False
        return self.advance_sample()

    def advance_sample(self, force: int | None = None) -> Change:
        """One more character of the sample (`force`: a token the learner chose)."""
        sampler = self._sampler
        if sampler is None or sampler.done:
            return Change()
        try:
            record = sampler.step(force=force)
        except ArithmeticError as exc:  # e.g. weights blown up by a huge learning rate
            self.stop()
            note = Said(N_("cannot sample: {error}"), error=str(exc))
            self.session.notify(note, severity="error", timeout=8)
            return self.session.say(note)
        session = self.session
        session.set_sequence(
            SequenceView.from_samples(
                sampler.records, session.trainer.tokenizer, sampler.temperature, session.trainer.step_count
            )
        )
        session.selection = replace(session.selection, position=len(sampler.records) - 1)
        if not record.done:
            self._mode = True  # also after a pause that kept the sample (n goes on with it)
            return Change()
        name, known = self._samples.add(sampler.text, temperature_label(sampler.records))
        shown = {name for name, _ in self._samples.entries}
        self._nearest = {n: near for n, near in self._nearest.items() if n in shown}  # the log keeps the newest only
        chosen = forced_letters(sampler)
        self._forced = {n: f for n, f in self._forced.items() if n in shown and n != name}
        if chosen:
            self._forced[name] = chosen
        where = self.in_data(name) if known else self.novelty(name)
        self.stop(keep=True)
        at = temperatures_words(sampler.records)
        if chosen:
            yours = ", ".join(f"“{name[i]}”" for i in chosen)
            return self.session.say(
                Said(
                    N_("sampled “{name}” {at}; you chose {yours} ({where}). s for another."),
                    name=name,
                    at=at,
                    yours=yours,
                    where=where,
                )
            )
        return self.session.say(
            Said(N_("sampled “{name}” {at} ({where}). s for another."), name=name, at=at, where=where)
        )

    def ask_force(self) -> Change:
        """Ask for the sample's next character (the sample waits meanwhile)."""
        self._auto = False
        tokenizer = self.session.trainer.tokenizer
        return Change(ask=AskChar(tuple(tokenizer.chars), tokenizer.label(tokenizer.bos), tokenizer.bos))

    def force(self, token: int | None) -> Change:
        """The learner chose the character at the selected position: it replaces the one drawn there, and the
        model samples on from it (what it drew after that position is dropped)."""
        if token is None or not self.shown:
            return Change()
        assert self._sampler is not None
        self.rules.before_sampling()
        pos = min(self.session.selection.position, len(self._sampler.records))
        self._sampler = resample_from(self._sampler, pos, self.session.trainer.rng)
        change = self.advance_sample(force=token)
        if self.sampling:
            self._auto = True  # it samples on from the chosen letter
            label = visible(self.session.trainer.tokenizer.label(token))
            return self.session.say(
                Said(N_("you chose “{label}” at pos {pos}: the model samples on from it"), label=label, pos=pos)
            )
        return change

    def leave_sampling(self) -> Change:
        """Stop sampling (an unfinished sample is dropped): the panels show the training document again."""
        session = self.session
        if session.sequence is None or session.sequence.kind != "sample":
            return Change()
        self.stop()
        latest = self.rules.latest
        session.set_sequence(SequenceView.from_step(latest) if latest else session.next_document_view())
        return session.say(N_("left sampling: the panels show the training document again · s samples a name"))

    def in_data(self, name: str) -> str:
        """What the note says of a sample that is a line of the data: whether training ever showed it (a ✓ is
        no proof of memorising: 1,000 steps see 1,000 names once each, and common names follow from the letters)."""
        trainer = self.session.trainer
        seen = trainer.docs[: min(trainer.step_count, len(trainer.docs))]
        return _("in the data, and trained on") if name in seen else _("in the data, but never trained on")

    def novelty(self, name: str) -> str:
        """What the note says of a new sample: how far it is from the nearest training name."""
        if self._name_index is None:
            return _("in no line of the data: new")
        near = self._nearest[name] = self._name_index.nearest(name)
        if near.distance == 1:
            return Said(N_("new; nearest training name “{near}”, 1 edit away"), near=clipped(near.doc))
        return Said(N_("new; nearest training name “{near}”, {n} edits away"), near=clipped(near.doc), n=near.distance)

    def names_indexed(self, index: NameIndex) -> Change:
        """The training names are indexed: the samples drawn before get their nearest names."""
        self._name_index = index
        for name, known in self._samples.entries:
            if not known and name not in self._nearest:
                self._nearest[name] = index.nearest(name)
        return Change()
