"""Provides the probe: any text the learner types, read by the model exactly as a training document.

`read_text` keeps what the model can read: the characters of the vocabulary,
the first block_size of them; it says why it left anything out. `probe_sequence`
turns the kept text into the `SequenceView` the attention and token panels
draw (kind "probe"), from the engine's own evaluation of it. The lab shows it
through the lens like any document, so the probe follows time travel and
ablations; `probe_view` is the probe screen's table of that shown sequence.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from microgpt_engine import Tokenizer, Trainer
from microgpt_engine.ops import neg_log
from microgpt_tui.core.labels import visible, visible_text
from microgpt_tui.core.sequence import SequenceView
from microgpt_tui.language import N_, _, ngettext

PROBE_TAG = N_("probe")  # (the tag of a probe's sequence: the panels and the views say "probe")


@dataclass(frozen=True)
class ProbeRow:
    """One prediction: after `input` at `pos`, the probability of the character that came next."""

    pos: int
    input: str  # label of the token read here
    next: str  # label of the token after it
    p: float
    nll: float  # -log p


@dataclass(frozen=True)
class ProbeView:
    """What the probe screen shows for the typed text."""

    typed: str  # as typed
    text: str  # what the model reads (in the vocabulary, at most block_size characters)
    labels: tuple[str, ...]  # every token of the document: ◆, the characters, ◆
    ids: tuple[int, ...]
    rows: tuple[ProbeRow, ...]
    loss: float  # the mean of the rows' -log p: the document's loss
    uniform: float
    bigram: float | None
    notes: tuple[str, ...]  # what was left out, and why
    tag: str = ""  # the lens (time travel, ablation), as on the panels


def read_text(typed: str, tokenizer: Tokenizer, block_size: int) -> tuple[str, tuple[str, ...]]:
    """(the text the model can read, notes on what it could not)."""
    known = set(tokenizer.chars)
    outside = sorted({ch for ch in typed if ch not in known}, key=typed.index)
    kept = "".join(ch for ch in typed if ch in known)
    notes = []
    if outside:
        shown = ", ".join(f"‘{visible(ch)}’" for ch in outside)
        hints = [f"‘{ch.lower()}’" for ch in outside if ch.lower() != ch and ch.lower() in known]
        if hints:
            note = ngettext(
                "{shown} is not in the vocabulary (the vocabulary has {hints}): the model has no token for it, so it "
                "is left out. It only knows the {count} characters of its training data, plus ◆.",
                "{shown} are not in the vocabulary (the vocabulary has {hints}): the model has no token for them, so "
                "they are left out. It only knows the {count} characters of its training data, plus ◆.",
                len(outside),
            )
        else:
            note = ngettext(
                "{shown} is not in the vocabulary: the model has no token for it, so it is left out. It only knows "
                "the {count} characters of its training data, plus ◆.",
                "{shown} are not in the vocabulary: the model has no token for them, so they are left out. It only "
                "knows the {count} characters of its training data, plus ◆.",
                len(outside),
            )
        notes.append(note.format(shown=shown, hints=", ".join(hints), count=len(tokenizer.chars)))
    if len(kept) > block_size:
        notes.append(
            _(
                "cropped to the first {block_size} characters (“{kept}”): the block size; the model never sees more, "
                "and in training neither does a longer name"
            ).format(block_size=block_size, kept=visible_text(kept[:block_size]))
        )
        kept = kept[:block_size]
    return kept, tuple(notes)


def probe_sequence(trainer: Trainer, text: str, step: int) -> SequenceView:
    """`text` evaluated by the trainer's live model, as the panels show a document (no graph, no update)."""
    seq = SequenceView.from_eval(trainer.evaluate(text), text, step)
    return replace(seq, kind="probe", tag=PROBE_TAG)


def probe_view(
    seq: SequenceView, typed: str, notes: tuple[str, ...], tokenizer: Tokenizer, uniform: float, bigram: float | None
) -> ProbeView:
    """The probe screen's table of `seq` (the probe as the panels show it: through the lens)."""
    ids = tokenizer.document(seq.text)[: len(seq.probs) + 1]  # (a cropped text's last ◆ is never read)
    labels = tuple(tokenizer.label(i) for i in ids)
    rows = []
    for pos, (probs, target) in enumerate(zip(seq.probs, seq.targets)):
        assert target is not None
        p = probs[target]
        rows.append(ProbeRow(pos, seq.labels[pos], tokenizer.label(target), p, neg_log(p)))
    assert seq.loss is not None
    return ProbeView(typed, seq.text, labels, tuple(ids), tuple(rows), seq.loss, uniform, bigram, notes, seq.tag)
