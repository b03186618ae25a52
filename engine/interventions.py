"""Provides `compare_ablation`: switch attention heads off and measure what changes.

An ablation zeroes a head's output (see `GPT.forward`): the rest of the
network runs as before, but whatever that head gathered from earlier
positions is gone. Comparing the model's predictions on the same document
with and without it shows what the head was for. Two distances say, per
position, how far the next-token distribution moved:

- total variation, half the sum of |p - q|: the largest difference in
  probability the two could give any set of tokens (0 same, 1 disjoint);
- KL(before || after), sum p log(p / q): the extra loss, in nats, of predicting
  with the ablated model when the intact one was right.

Nothing here changes the weights: every pass is a graph-free forward on the
model as it is.
"""

import math
from dataclasses import dataclass

from .train import evaluate_tokens


@dataclass
class AblationRecord:
    """One document, before and after switching off some heads."""

    doc: str
    ablate: list[tuple[int, int | None]]  # (layer, head); head None = the whole layer
    tokens: list[int]
    labels: list[str]
    loss_before: float
    loss_after: float
    probs_before: list[list[float]]  # [pos] -> next-token distribution
    probs_after: list[list[float]]
    p_target_before: list[float]  # [pos] -> probability of the true next token
    p_target_after: list[float]
    total_variation: list[float]  # [pos]
    kl: list[float]  # [pos], KL(before || after) in nats
    attention_after: list  # [layer][head][query] -> weights (ablated heads still attend)


@dataclass
class HeadEffect:
    """What switching off one head does to the loss on one document."""

    layer: int
    head: int
    loss_delta: float  # loss with the head off minus loss with it on (> 0: it helped)
    mean_total_variation: float


def total_variation(p, q):
    return 0.5 * sum(abs(a - b) for a, b in zip(p, q))


def kl_divergence(p, q):
    """KL(p || q) in nats; infinite if q gives 0 where p does not."""
    total = 0.0
    for a, b in zip(p, q):
        if a > 0:
            total += a * math.log(a / b) if b > 0 else math.inf
    return total


def check_ablation(config, ablate):
    """The pairs as a sorted list, or a ValueError naming the first bad one."""
    pairs = []
    for pair in ablate:
        layer, head = pair
        if not (isinstance(layer, int) and 0 <= layer < config.n_layer):
            raise ValueError(f"layer must be in 0..{config.n_layer - 1}, got {layer!r}")
        if head is not None and not (isinstance(head, int) and 0 <= head < config.n_head):
            raise ValueError(f"head must be None or in 0..{config.n_head - 1}, got {head!r}")
        pairs.append((layer, head))
    return sorted(set(pairs), key=lambda p: (p[0], -1 if p[1] is None else p[1]))


def all_heads(config):
    """Every (layer, head) pair, in order: the menu of what can be switched off."""
    return [(layer, head) for layer in range(config.n_layer) for head in range(config.n_head)]


def compare_ablation(trainer, doc, ablate) -> AblationRecord:
    """The model's predictions on `doc` with every head on, and with `ablate` off."""
    pairs = check_ablation(trainer.config, ablate)
    tokens = trainer.tokenizer.document(doc)
    model, tokenizer = trainer.model, trainer.tokenizer
    before = evaluate_tokens(model, tokenizer, tokens)
    after = evaluate_tokens(model, tokenizer, tokens, frozenset(pairs))
    probs_before = [p.probs for p in before.positions]
    probs_after = [p.probs for p in after.positions]
    return AblationRecord(
        doc=doc,
        ablate=pairs,
        tokens=before.tokens,
        labels=before.labels,
        loss_before=before.loss,
        loss_after=after.loss,
        probs_before=probs_before,
        probs_after=probs_after,
        p_target_before=[p.p_target for p in before.positions],
        p_target_after=[p.p_target for p in after.positions],
        total_variation=[total_variation(p, q) for p, q in zip(probs_before, probs_after)],
        kl=[kl_divergence(p, q) for p, q in zip(probs_before, probs_after)],
        attention_after=after.attention,
    )


def head_effects(trainer, doc) -> list[HeadEffect]:
    """Each head switched off on its own: how much the loss on `doc` rises."""
    effects = []
    for layer, head in all_heads(trainer.config):
        rec = compare_ablation(trainer, doc, {(layer, head)})
        tv = rec.total_variation
        effects.append(HeadEffect(layer, head, rec.loss_after - rec.loss_before, sum(tv) / len(tv)))
    return effects
