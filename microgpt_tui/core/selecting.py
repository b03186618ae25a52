"""Provides `Selecting`: the intents that move the selection (position, head, layer, temperature, before/after).

The selection is the session's (every panel reads it); these intents are the
only ones that move it on a key, apart from sampling keeping the newest
character selected.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from microgpt_tui.core.said import Said
from microgpt_tui.core.views import Change
from microgpt_tui.language import N_

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session

TEMPERATURES = (0.1, 3.0)  # the range + and - move the sampling temperature in


class Selecting:
    """What the panels look at: the position, the head and layer, all heads or one, before or after a step."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules

    def temperature(self, delta: float) -> Change:
        """The sampling temperature moves by `delta`, within TEMPERATURES (the interlocks tell the sampler)."""
        session = self.session
        low, high = TEMPERATURES
        value = round(min(max(session.selection.temperature + delta, low), high), 2)
        session.selection = replace(session.selection, temperature=value)
        return session.say(Said(N_("sampling temperature {value}"), value=f"{value:g}"))

    def move(self, delta: int) -> Change:
        seq = self.session.sequence
        if seq is not None and len(seq):
            self.session.set_position(self.session.selection.position + delta)
        return Change()

    def head(self, delta: int) -> Change:
        sel = self.session.selection
        self.session.selection = replace(sel, head=(sel.head + delta) % self.session.trainer.config.n_head)
        return Change()

    def layer(self, delta: int) -> Change:
        sel = self.session.selection
        self.session.selection = replace(sel, layer=(sel.layer + delta) % self.session.trainer.config.n_layer)
        return Change()

    def toggle_before_after(self) -> Change:
        """d: after a step, the panels show the model before its update (the one after it behind the bars),
        and the parameter table what the update did to each matrix; d again: back."""
        session = self.session
        before = not session.selection.before_update
        session.selection = replace(session.selection, before_update=before)
        seq = session.sequence
        known = seq is not None and seq.kind == "train"
        step = f"{seq.step:,}" if seq is not None and known else ""
        if self.rules.ablation:  # behind the bars: the same weights with every head on
            if before:
                template = (
                    N_("before step {step}'s update, still ablated (every head on behind the bars) · d: after")
                    if known
                    else N_("before the last step's update, still ablated (every head on behind the bars) · d: after")
                )
            else:
                template = (
                    N_("after step {step}'s update, still ablated (every head on behind the bars) · d: before")
                    if known
                    else N_("after the last step's update, still ablated (every head on behind the bars) · d: before")
                )
        elif before:
            template = (
                N_("before step {step}'s update (its result behind the bars); the table: what it did · d: after")
                if known
                else N_("before the last step's update (its result behind the bars); the table: what it did · d: after")
            )
        else:
            template = (
                N_("after step {step}'s update: the model now (the one before behind the bars) · d: before")
                if known
                else N_("after the last step's update: the model now (the one before behind the bars) · d: before")
            )
        return session.say(Said(template, step=step))

    def toggle_heads(self) -> Change:
        self.session.selection = replace(self.session.selection, all_heads=not self.session.selection.all_heads)
        return Change()
