"""Chapter 5, Adam: m, v, one weight's step, the decaying learning rate, and where update:data sits."""

from __future__ import annotations

import math

from microgpt_engine import StepRecord
from microgpt_tui.core.views import healthy, log_reference
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Press, Question, Reveal, Say
from microgpt_tui.language import _


def intro(live: Live) -> str:
    cfg = live.config
    return _(
        "The gradient says which way is downhill for this one document; Adam decides how far to step. It keeps two "
        "running averages per weight: m, of the gradient (β1 = {beta1:g}), and v, of its square (β2 = "
        "{beta2:g}). Each step moves the weight by −lr_t · m̂ / (√v̂ + ε): m̂ and v̂ are m and v with the "
        "bias of their start at 0 undone. On the first step m̂ = g and v̂ = g², so every weight with a gradient "
        "moves by lr_t exactly (a hair less where g is near ε); after, m̂ / √v̂ stays near that size whatever the "
        "gradient's scale: how far a weight moves is set by lr_t."
    ).format(beta1=cfg.beta1, beta2=cfg.beta2)


def flat_index(live: Live, name: str, row: int, col: int) -> int:
    offset = 0
    for matrix, (rows, cols) in live.model.shapes.items():
        if matrix == name:
            return offset + row * cols + col
        offset += rows * cols
    raise KeyError(name)


def one_weight(live: Live) -> str:
    record, graph, before = live.latest, live.graph(), live.before_weights()
    if record is None or graph is None or before is None:
        return _("No step's numbers are at hand: take a step (space), paused.")
    cfg, opt = live.config, live.session.trainer.optimizer
    rows, cols = live.model.shapes["wte"]
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    row, col = max(cells, key=lambda cell: abs(graph.grad(graph.param_id("wte", *cell))))
    i = flat_index(live, "wte", row, col)
    g, m, v, t = graph.grad(graph.param_id("wte", row, col)), opt.m[i], opt.v[i], opt.t
    c1, c2 = 1 - cfg.beta1**t, 1 - cfg.beta2**t
    step = -(record.lr * (m / c1) / ((v / c2) ** 0.5 + cfg.eps))
    old, new = before["wte"][row][col], live.model.weights["wte"][row][col]
    return _(
        "wte[{row},{col}], the largest |gradient| of wte at step {step:,}: g = {g:+.5f}, so m = {m:+.6f} and v = "
        "{v:.3e}; m̂ = m / {c1:.4f}, v̂ = v / {c2:.4f}. lr_t = {lr:.6f}, so the step is {update:+.6f}: the weight "
        "went from {old:+.6f} to {new:+.6f} (a change of {change:+.6f}). The largest change of any weight this "
        "step: {largest:.2f} × lr_t."
    ).format(
        row=row,
        col=col,
        step=record.step,
        g=g,
        m=m,
        v=v,
        c1=c1,
        c2=c2,
        lr=record.lr,
        update=step,
        old=old,
        new=new,
        change=new - old,
        largest=largest_change(record) / record.lr,
    )


def largest_change(record: StepRecord) -> float:
    """The largest |change| of any one weight in the step (the parameter table's per-matrix largest)."""
    return max(abs(p.update_max) for p in record.params)


def schedule(live: Live) -> str:
    cfg, opt = live.config, live.session.trainer.optimizer
    return _(
        "The learning rate decays in a straight line: lr_t = {lr:g} × (1 − t / {steps:,}). The next step, "
        "{next:,}, uses {next_lr:.6f}; the last one, {steps:,}, uses {last_lr:.6f}. Big steps early, small ones "
        "to settle at the end."
    ).format(lr=cfg.lr, steps=cfg.steps, next=opt.t + 1, next_lr=opt.lr_at(opt.t), last_lr=opt.lr_at(cfg.steps - 1))


def ratio_question(live: Live) -> Question:
    record = live.latest
    if record is None or not record.params:
        return Question(
            _("No step yet: which matrix would move most for its size?"),
            (_("take a step first"),),
            lambda live: Reveal(0, _("Press space, then come back to this question.")),
        )
    params = record.params
    best = max(range(len(params)), key=lambda i: params[i].update_ratio)
    picks = list(dict.fromkeys([best, *range(len(params))]))[:9]
    picks.sort()

    def settle(live: Live) -> Reveal:
        top = params[best]
        reference = log_reference(record.lr, top.std)
        ratio = f"{top.update_ratio:.2e}"
        lr_std = f"{record.lr / top.std:.2e}" if top.std else "—"
        inside = healthy(math.log10(top.update_ratio), reference) if top.update_ratio > 0 else False
        band = (
            _("inside the band the parameter table shades (a tenth of lr_t / std to lr_t / std)")
            if inside
            else _("outside the band the parameter table shades (a tenth of lr_t / std to lr_t / std)")
        )
        smallest = min(params, key=lambda p: p.std)
        return Reveal(
            picks.index(best),
            _(
                "{matrix}: update:data = std(Δ) / std(weights) = {ratio}, beside lr_t / std = {lr:.6f} / {std:.4f} "
                "= {lr_std}: {band}. Adam moves a weight by about lr_t whatever its gradient (this step's largest "
                "change: {largest:.2f} × lr_t), so the ratio is set by the learning rate and the weights' size (the "
                "smallest std here: {smallest}, {smallest_std:.4f}), not by the gradient's."
            ).format(
                matrix=top.name,
                ratio=ratio,
                lr=record.lr,
                std=top.std,
                lr_std=lr_std,
                band=band,
                largest=largest_change(record) / record.lr,
                smallest=smallest.name,
                smallest_std=smallest.std,
            ),
        )

    return Question(
        _("Step {step:,}: which matrix's update was largest for the size of its weights (update:data)?").format(
            step=record.step
        ),
        tuple(params[i].name for i in picks),
        settle,
    )


CHAPTER = Chapter(
    "adam",
    "Adam",
    "m, v, the step, the decaying learning rate, update:data",
    (
        Say(intro),
        Press("space", ("step",), lambda live: _("Press space: one step, and Adam's update of every weight.")),
        Say(one_weight),
        Say(schedule),
        Ask(ratio_question),
    ),
    lines=("learning_rate, beta1, beta2, eps_adam", "p.grad = 0.0"),
)
