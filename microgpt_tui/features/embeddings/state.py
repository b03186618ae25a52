"""Provides `EmbeddingRows`: the embedding map's data, the token embeddings (wte) of the latest finished step."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


class EmbeddingRows:
    """wte as of the latest finished step, read without touching a training trainer."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules

    def snapshot(self) -> tuple[int | None, list[list[float]] | None]:
        """(step, wte rows) as of the latest finished step: while the worker trains, the copy it
        handed over; otherwise the model's own (the trainer is idle). Always a copy."""
        if self.rules.training:
            handed = self.rules.handed_wte
            if handed is None:
                return None, None
            step, wte = handed
            return step, [list(row) for row in wte]
        return self.session.trainer.step_count, [row[:] for row in self.session.trainer.model.weights["wte"]]
