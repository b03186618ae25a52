"""Provides `session_facts`: this session's live figures, as the strings the texts in `texts.py` take.

Every value is already formatted: counts with thousands separators, losses
with two or three decimals, "—" for what is not known yet (no step taken,
the bigram baseline still being computed). It reads the session's state and the
engine's records and computes nothing of its own beyond adding up one
attention row (to show that it sums to 1) and counting samples.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from microgpt_engine import Tokenizer
from microgpt_tui.core.labels import DASH, clipped, counted, learning_rate, number_or_dash, visible, visible_text
from microgpt_tui.core.views import healthy, log_reference
from microgpt_tui.language import N_, _, ngettext

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session

UNKNOWN = DASH
LARGEST_PRODUCTION = 405e9  # Llama 3's largest model, for the about screen's scale
AUTOGRAD = {  # how this session's engine applies the chain rule (the about screen)
    "fused": N_(
        "this session keeps a flat tape of fused nodes (one per dot product, softmax output, RMS scale "
        "or cross-entropy); --engine plain builds microgpt's graph of one Value per operation (the same numbers, to "
        "rounding)"
    ),
    "plain": N_("this session builds microgpt's graph, one Value per +, ×, **, exp, log and relu"),
}


# Percentages the texts quote as examples, filled in like the figures: in a template, "50% costs" or "5% of" reads
# to gettext's checker as a C format (% c, % o), and no translation could match it.
EXAMPLES = {
    "p_half": "50%",
    "p_whole": "100%",
    "ema_share": "5%",  # 1 - β (0.95)
    "pca_share": "60%",
    "p_before": "2.0%",
    "p_after": "2.9%",
}

SCALES = (N_("about {n} trillion"), N_("about {n} billion"), N_("about {n} million"), N_("about {n} thousand"))


def scale_words(ratio: float) -> str:
    """A ratio in words: 'about 97 million'."""
    for size, words in ((1e12, SCALES[0]), (1e9, SCALES[1]), (1e6, SCALES[2]), (1e3, SCALES[3])):
        if ratio >= size:
            return _(words).format(n=f"{ratio / size:.0f}")
    return _("about {n}").format(n=f"{ratio:.0f}")


def attention_row(session: Session, rules: Interlocks) -> tuple[str, list[float]] | None:
    """(label, weights) of the selected row of the shown head, or None."""
    seq, sel = session.sequence, session.selection
    if seq is None or not seq.attention or not seq.labels:
        return None
    rows = seq.attention[sel.layer][sel.head]
    position = min(sel.position, len(rows) - 1)
    return seq.labels[position], rows[position]


def document_tokens(tokenizer: Tokenizer, doc: str, block_size: int) -> tuple[str, str]:
    """'[BOS] e m m a [BOS]' and '26 4 12 12 0 26' for the tokens a step trains on."""
    ids = tokenizer.document(doc[:block_size])
    labels = ["[BOS]" if i == tokenizer.bos else visible(tokenizer.label(i)) for i in ids]
    return " ".join(labels), " ".join(map(str, ids))


def seen_names(steps: int, names: int) -> str:
    """How many of the documents a run of `steps` steps trains on (one a step, in a fixed shuffled order)."""
    if steps < names:
        return _("its {steps} steps see {steps} of the {names} documents, once each").format(
            steps=f"{steps:,}", names=f"{names:,}"
        )
    seen = _("its {steps} steps see each of the {names} documents about {times}×") if steps % names else None
    seen = seen or _("its {steps} steps see each of the {names} documents {times}×")
    return seen.format(steps=f"{steps:,}", names=f"{names:,}", times=f"{steps // names:,}")


def session_facts(session: Session, rules: Interlocks) -> dict[str, str]:
    trainer, sel = session.trainer, session.selection
    config, tokenizer, model = trainer.config, trainer.tokenizer, trainer.model
    history, record = session.history, rules.latest
    seq = session.sequence
    doc = seq.text if seq is not None and seq.kind != "sample" else trainer.document(rules.steps_done)
    doc_tokens, doc_ids = document_tokens(tokenizer, doc, config.block_size)
    row = attention_row(session, rules)
    if row is None:
        row_label, row_sum, row_top = UNKNOWN, UNKNOWN, UNKNOWN
    else:
        label, weights = row
        assert seq is not None  # (attention_row found a row in it)
        top = max(range(len(weights)), key=weights.__getitem__)
        row_label, row_sum = visible(label), f"{sum(weights):.3f}"
        row_top = _("{share} on position {position} ‘{label}’").format(
            share=f"{weights[top]:.0%}", position=top, label=visible(seq.labels[top])
        )
    params = record.params if record is not None else []
    now = history.now if len(history) else None
    lr_now = record.lr if record is not None else None
    n_healthy = sum(
        1 for p in params if now is not None and healthy(history.log_ratio(p.name, now), log_reference(lr_now, p.std))
    )
    entries = rules.sample_entries
    new = sum(1 for _, known in entries if not known)
    samples_so_far = (
        _("{count} sampled, {new} of them new").format(count=len(entries), new=new) if entries else _("no samples yet")
    )
    return {
        "dataset": visible_text(session.dataset_name) or _("the data"),
        "n_docs": f"{len(session.docs):,}",
        "n_chars_total": f"{sum(map(len, session.docs)):,}",
        "n_chars": f"{len(tokenizer.chars)}",
        "vocab_size": f"{tokenizer.vocab_size}",
        "doc": visible_text(clipped(doc)),  # the data's: escaped, and cropped (a 1 MB line froze y for 15 s)
        "doc_tokens": doc_tokens,
        "doc_ids": doc_ids,
        "param_count": f"{model.num_params:,}",
        "n_matrices": f"{len(model.shapes)}",
        "n_layer": f"{config.n_layer}",
        "layers": ngettext("{n} layer", "{n} layers", config.n_layer).format(n=config.n_layer),
        "n_head": f"{config.n_head}",
        "n_embd": f"{config.n_embd}",
        "head_dim": f"{config.head_dim}",
        "block_size": f"{config.block_size}",
        "steps_total": f"{config.steps:,}",
        "steps_counted": ngettext("{count} step", "{count} steps", config.steps).format(count=f"{config.steps:,}"),
        "step": f"{rules.steps_done:,}",
        "steps_in": counted(rules.steps_done, "step"),
        "lr": f"{config.lr:g}",
        "lr_now": learning_rate(lr_now),
        "ref_now": number_or_dash(log_reference(lr_now, params[0].std) if params else None, "+.1f"),
        "uniform": f"{session.uniform:.2f}",
        "bigram": number_or_dash(session.bigram, ".2f") if session.bigram is not None else _("still being computed"),
        "loss": number_or_dash(history.last_loss, ".3f"),
        "loss_after": number_or_dash(record.loss_after if record else None, ".3f"),
        "ema": number_or_dash(history.ema, ".3f"),
        "mean": number_or_dash(history.mean, ".3f"),
        "window": f"{history.window}",
        "temperature": f"{sel.temperature:g}",
        "layer": f"{sel.layer}",
        "head": f"{sel.head}",
        "position": f"{sel.position}",
        "row_label": row_label,
        "row_sum": row_sum,
        "row_top": row_top,
        "n_healthy": f"{n_healthy}" if params else UNKNOWN,
        "samples_so_far": samples_so_far,
        "scale": scale_words(LARGEST_PRODUCTION / model.num_params),
        "autograd": _(AUTOGRAD.get(trainer.engine, trainer.engine)),
        "seen_names": seen_names(config.steps, len(trainer.docs)),
        **EXAMPLES,
    }
