"""Provides the glossary's entries with this session's figures in them (`glossary_entries`).

The terms and their words are `microgpt_tui.glossary`'s; this module adds the
live figure each one quotes, read from the session's state and the engine's
records (the shown sequence's tokens, probabilities and attention, the last
step's parameter statistics, the weights, Adam's settings). Weights are read
only while the trainer stands still: during a run a figure that needs them
says to pause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from microgpt_engine.insight.history import total_grad_norm
from microgpt_engine.ops import FloatOps, neg_log
from microgpt_tui import texts
from microgpt_tui.core.labels import DASH, visible
from microgpt_tui.features.reference import glossary
from microgpt_tui.features.reference.facts import session_facts
from microgpt_tui.language import N_, _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session

PAUSE = N_("pause training (r) to see it")


@dataclass(frozen=True)
class GlossaryEntry:
    """One term as the glossary screen shows it: texts filled with this session's figures."""

    name: str
    words: tuple[str, ...]  # the name and its aliases, lower case (what a search matches)
    body: str  # Rich markup
    code: str  # microgpt's line (plain text), or the app's own formula when `ours`
    live: str  # this session's figure ("" when the term has none)
    ours: bool = False  # `code` is the app's computation, not a line of microgpt
    label: str = ""  # the name as listed in the current language ("" : the name itself)

    @property
    def listed(self) -> str:
        return self.label or self.name


def listed_name(name: str) -> str:
    """A term's name now, with English beside it where the translation has none (注意力 attention; the catalog may
    shorten a long name: 学习率调度 lr schedule)."""
    shown = _(name)
    return shown if re.search("[A-Za-z]", shown) else f"{shown} {name}"


def searched_words(term: glossary.Term, label: str) -> tuple[str, ...]:
    """The term's English words, then its listed name and that name's words in its own language (查询、键、值:
    查询, 键, 值), lower case."""
    own = [part for part in re.split(r"[\x00-\x7f、]+", label) if part]
    return tuple(dict.fromkeys((*term.words, label.lower(), *own)))


def _row_start(row: list[float], n: int = 3) -> str:
    return "[" + ", ".join(f"{x:+.3f}" for x in row[:n]) + ", …]"


def glossary_facts(session: Session, rules: Interlocks) -> dict[str, str]:
    """session_facts plus the figures only the glossary quotes."""
    facts = session_facts(session, rules)
    trainer, sel = session.trainer, session.selection
    config, tokenizer = trainer.config, trainer.tokenizer
    seq = rules.shown()
    facts["bos"] = f"{tokenizer.bos}"
    facts["block_size_last"] = f"{config.block_size - 1}"
    facts["mlp_width"] = f"{4 * config.n_embd}"
    facts["lm_head_params"] = f"{tokenizer.vocab_size * config.n_embd:,}"
    facts["head_index"] = f"{sel.head}"
    facts["beta1"], facts["beta2"] = f"{config.beta1:g}", f"{config.beta2:g}"
    t = rules.steps_done
    facts["bias1"] = f"{1 - config.beta1**t:.4f}" if t else DASH
    facts["bias2"] = f"{1 - config.beta2**t:.4f}" if t else DASH
    record = rules.latest
    facts["grad_norm"] = f"{total_grad_norm(record.params):.4f}" if record and record.params else DASH
    facts["graph_nodes"], facts["graph_engine"] = graph_nodes(session, rules)
    # The selected position of the shown sequence: its distribution and the token that came next.
    facts["top_prob"] = facts["nll_here"] = DASH
    if seq is not None and seq.probs:
        pos = min(sel.position, len(seq.probs) - 1)
        probs = seq.probs[pos]
        top = max(range(len(probs)), key=probs.__getitem__)
        facts["top_prob"] = _("{p} for ‘{label}’").format(
            p=f"{probs[top]:.1%}", label=visible(session.vocab_labels[top])
        )
        target = seq.targets[pos]
        if target is not None and seq.kind == "sample":  # drawn, not predicted: no right answer, no loss
            label = visible(session.vocab_labels[target])
            facts["nll_here"] = _(
                "a sample has no loss: at position {position} ‘{label}’ was drawn with p {p} at T {temperature}"
            ).format(position=pos, label=label, p=f"{probs[target]:.1%}", temperature=f"{seq.drawn_at(pos):g}")
        elif target is not None:
            p = probs[target]
            facts["nll_here"] = _("at position {position}: p {p} of ‘{label}’, −log p {nll}").format(
                position=pos, p=f"{p:.1%}", label=visible(session.vocab_labels[target]), nll=f"{neg_log(p):.3f}"
            )
    facts.update(_weight_facts(session, rules))
    return facts


def _weight_facts(session: Session, rules: Interlocks) -> dict[str, str]:
    """Figures read from the weights (the live model's; the viewed step's logits when looking back)."""
    doc = session_facts(session, rules)["doc"]
    tokenizer = session.trainer.tokenizer
    first = next((ch for ch in doc if ch in tokenizer.chars), tokenizer.chars[0])
    wte = rules.embedding_snapshot()[1]
    facts = {
        "first_char": visible(first),
        "wte_row": _row_start(wte[tokenizer.chars.index(first)]) if wte else _(PAUSE),
    }
    if rules.training:
        facts["wpe_row"] = facts["top_logit"] = _(PAUSE)
        return facts
    model = session.trainer.model
    facts["wpe_row"] = _row_start(model.weights["wpe"][0])
    seq = rules.shown()
    facts["top_logit"] = DASH
    step = rules.lens_step(seq) if seq is not None and session.viewing_past else None
    if step is not None and not session.time.weights_ready(step):
        return facts  # (never so by design: a replay belongs off the UI thread)
    if seq is not None and seq.labels:
        if step is not None:
            model = session.time.model_at(step)
        ids = [
            tokenizer.bos if label == tokenizer.label(tokenizer.bos) else tokenizer.chars.index(label)
            for label in seq.labels
        ]
        pos = min(session.selection.position, len(ids) - 1)
        ops, (keys, values) = FloatOps(model.weights), model.empty_cache()
        for p in range(pos + 1):
            logits = model.forward(ops, ids[p], p, keys, values, ablate=rules.ablation)
        top = max(range(len(logits)), key=logits.__getitem__)
        facts["top_logit"] = _("{logit} for ‘{label}’").format(
            logit=f"{logits[top]:.3f}", label=visible(session.vocab_labels[top])
        )
    return facts


def glossary_entries(session: Session, rules: Interlocks) -> tuple[GlossaryEntry, ...]:
    """Every term, in the glossary's order, with this session's figures filled in."""
    facts = glossary_facts(session, rules)
    entries = []
    for term in glossary.TERMS:
        label = listed_name(term.name)
        entries.append(
            GlossaryEntry(
                term.name,
                searched_words(term, label),
                texts.fill(_(term.body), facts),
                term.code,
                texts.fill(_(term.live), facts) if term.live else "",
                term.ours,
                label,
            )
        )
    return tuple(entries)


def graph_nodes(session: Session, rules: Interlocks) -> tuple[str, str]:
    """The last step's node count and whose graph it is. The fused tape counts itself every step; the plain
    engine's `Value`s are counted once g has built their view (every step would cost a second walk)."""
    record = rules.latest
    if record is None:
        return DASH, session.trainer.engine
    if record.graph_nodes:
        return f"{record.graph_nodes:,}", "fused"
    counted = rules.graph_nodes_counted(session.trainer, record.step)
    if counted is None:
        return DASH, _("plain engine: g counts them")
    return f"{counted:,}", _("plain engine, one Value each")
