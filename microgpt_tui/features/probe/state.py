"""Provides `Probing`: the probe, its state and its intents: any text the learner types, read as a document.

This part owns what was typed last (and the notes on what the model's
vocabulary or context left out of it); the text box opens with it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from microgpt_tui.core.labels import visible_text
from microgpt_tui.core.views import AskProbe, Change
from microgpt_tui.features.probe.reading import ProbeView, probe_sequence, probe_view, read_text
from microgpt_tui.language import _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


class Probing:
    """The text probed last, and the intents that open the probe's box and read a text."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self._typed = ""  # as typed
        self._notes: tuple[str, ...] = ()  # what reading it left out

    async def open_probe(self) -> Change:
        """The probe's text box (training pauses: the probe reads the model)."""
        await self.rules.hold_still()
        return Change(ask=AskProbe(self._typed))

    def probe(self, typed: str) -> Change:
        """Show `typed` in the panels as the model reads it, like a training document."""
        session = self.session
        if self.rules.training:
            return Change()  # (open_probe paused training)
        self.rules.before_probe()
        text, self._notes = read_text(typed, session.trainer.tokenizer, session.trainer.config.block_size)
        self._typed = typed
        session.set_sequence(probe_sequence(session.trainer, text, session.trainer.step_count))
        view = self.probe_view()
        assert view is not None
        keys = _(
            "← → move along it · , . time travel · z ablates a head · / types another · space trains on the next doc"
        )
        if session.bigram is None:
            said = _("probe “{text}”: loss {loss:.3f} (uniform {uniform:.2f}) · {keys}")
        else:
            said = _("probe “{text}”: loss {loss:.3f} (uniform {uniform:.2f}, bigram {bigram:.2f}) · {keys}")
        return session.say(
            said.format(
                text=visible_text(text), loss=view.loss, uniform=session.uniform, bigram=session.bigram, keys=keys
            )
        )

    def probe_view(self) -> ProbeView | None:
        """The probe as the panels show it (through the lens), or None when they show something else."""
        session, seq = self.session, self.session.sequence
        if seq is None or seq.kind != "probe":
            return None
        shown = self.rules.shown()
        assert shown is not None
        return probe_view(shown, self._typed, self._notes, session.trainer.tokenizer, session.uniform, session.bigram)
