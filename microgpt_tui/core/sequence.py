"""Provides `SequenceView`: the one sequence the attention and token panels look at.

That is the current training document (from a `StepRecord`, or an `EvalRecord`
of the next document before any step), or the name being sampled (from the
sampler's `SampleRecord`s). Either way the panels get the same shape: a label
per input position, attention[layer][head][query] over keys 0..query, and per
position the next-token distribution and the token that came next.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from microgpt_engine import EvalRecord, SampleRecord, StepRecord, Tokenizer


@dataclass(frozen=True)
class SequenceView:
    kind: str  # "next" (not trained on yet), "train" (a step's document) or "sample"
    text: str  # the document, or the sample so far
    labels: list[str]  # the input token at each position: ◆ then the characters
    attention: list  # [layer][head][query] -> weights over keys 0..query
    probs: list[list[float]]  # [pos] -> next-token distribution
    targets: list[int | None]  # [pos] -> the true next token, or the sampled one
    step: int = 0  # training steps done when this was recorded
    loss: float | None = None  # the document's loss (before the update)
    loss_after: float | None = None  # the same document after the update
    temperature: float | None = None  # sampling only: the sampler's temperature now (for the next draw)
    temperatures: list[float] = field(default_factory=list)  # sampling: [pos] -> the T its bars were computed at
    done: bool = True  # a sample that has reached BOS (or the block size)
    forced: list[bool] = field(default_factory=list)
    tag: str = ""  # what the lens changed, for the panel titles ("step 3/5", "ABLATED L1H2")
    probs_before: list[list[float]] | None = None  # with an ablation: [pos] -> the distribution with every head on
    # (after a single step: the probabilities before its update, and the drawn model is the one after it)
    probs_after: list[list[float]] | None = None  # a single step's document after its update: [pos] -> distribution
    attention_after: list | None = None  # ... and its attention
    ghost: list[list[float]] | None = None  # [pos] -> the other side of the update, drawn behind the bars

    def __len__(self) -> int:
        return len(self.labels)

    def drawn_at(self, pos: int) -> float | None:
        """The temperature the sampled character at `pos` was drawn at (None for a document: its raw T 1).
        + and - change the temperature of the next draw only: each drawn character keeps its own."""
        if self.kind != "sample":
            return None
        return self.temperatures[pos] if pos < len(self.temperatures) else self.temperature

    @classmethod
    def from_step(cls, record: StepRecord) -> SequenceView:
        n = len(record.positions)
        after = record.after
        return cls(
            kind="train",
            text=record.doc,
            labels=record.labels[:n],
            attention=record.attention,
            probs=[p.probs for p in record.positions],
            targets=[p.target for p in record.positions],
            step=record.step,
            loss=record.loss,
            loss_after=record.loss_after,
            probs_after=[p.probs for p in after.positions] if after is not None else None,
            attention_after=after.attention if after is not None else None,
        )

    @classmethod
    def from_eval(cls, record: EvalRecord, doc: str, step: int) -> SequenceView:
        n = len(record.positions)
        return cls(
            kind="next",
            text=doc,
            labels=record.labels[:n],
            attention=record.attention,
            probs=[p.probs for p in record.positions],
            targets=[p.target for p in record.positions],
            step=step,
            loss=record.loss,
        )

    @classmethod
    def from_samples(
        cls, records: list[SampleRecord], tokenizer: Tokenizer, temperature: float | None, step: int
    ) -> SequenceView:
        """Rows of the heatmap: one per generated position, each from its own record."""
        n_layer = len(records[0].attention) if records else 0
        n_head = len(records[0].attention[0]) if records and records[0].attention else 0  # (n_layer 0: none)
        attention = [[[r.attention[li][h] for r in records] for h in range(n_head)] for li in range(n_layer)]
        return cls(
            kind="sample",
            text=records[-1].text if records else "",
            labels=[tokenizer.label(r.token) for r in records],
            attention=attention,
            probs=[r.probs for r in records],
            targets=[r.chosen for r in records],
            step=step,
            temperature=temperature,
            done=bool(records) and records[-1].done,
            forced=[r.forced for r in records],
            temperatures=[r.temperature for r in records],
        )
