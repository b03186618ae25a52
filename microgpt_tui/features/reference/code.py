"""Provides the code view's data: the engine's own source behind a panel, with this session's values.

`sections` reads the installed engine's functions with `inspect` at run time
(so it is always the code that runs): the forward pass, the loss, backward,
the Adam update and sampling. Where the default fused engine computes a step
another way (the loss's softmax and cross-entropy, backward), the section
shows the textbook form (`PlainOps`, `Value`) and says in one line that the
fused engine computes the same numbers faster.

`code_view` marks the lines behind a panel (attention → the attention
weights, next token → softmax and the loss, parameters → the Adam update,
samples → sampling) and puts beside each the live values of its variables for
the selection: the selected head's weights at the selected position, that
position's -log p, the last update's learning rate and bias corrections.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from microgpt_engine import Sampler
from microgpt_engine.insight.history import total_grad_norm
from microgpt_engine.model import GPT
from microgpt_engine.ops import PlainOps, neg_log
from microgpt_engine.optim import Adam
from microgpt_engine.train import run_document
from microgpt_engine.value import Value
from microgpt_tui.core.labels import DASH, visible

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


@dataclass(frozen=True)
class CodeLine:
    number: int  # in its file (0 for a heading line between functions)
    text: str
    file: str = ""  # the module's installed path
    highlight: bool = False
    values: tuple[str, ...] = ()  # the live values of the line's variables


@dataclass(frozen=True)
class CodeListing:
    key: str  # "forward", "loss", "backward", "adam", "sampling"
    title: str
    note: str  # how this code relates to the engine that runs (one line)
    lines: tuple[CodeLine, ...]


@dataclass(frozen=True)
class CodeView:
    """Every section, and the one opened (with the panel's lines marked)."""

    listings: tuple[CodeListing, ...]
    selected: str
    panel: str | None  # the panel whose lines are marked


# Each section: (key, title, the functions it shows, the one line on how it runs).
SECTIONS: tuple[tuple[str, str, tuple[Callable, ...], str], ...] = (
    (
        "forward",
        "the forward pass (model.py: forward, and the attention block it calls)",
        (GPT.forward, GPT._attention),
        "written once against `ops`: the textbook Value graph, the fused tape and plain floats all run these lines",
    ),
    (
        "loss",
        "the loss (train.py, and the textbook softmax and cross-entropy in ops.py)",
        (run_document, PlainOps.softmax, PlainOps.cross_entropy, PlainOps.mean),
        "textbook form (PlainOps, one Value per + and ×); the fused engine computes the same numbers faster, with "
        "one node per position's cross-entropy (its softmax fused in)",
    ),
    (
        "backward",
        "backward: the chain rule (value.py)",
        (Value.topological_order, Value.backward),
        "textbook form (Value); the fused tape (tape.py) runs the same chain rule over fused nodes: the same "
        "gradients, faster",
    ),
    (
        "adam",
        "the Adam update (optim.py)",
        (Adam.lr_at, Adam.update),
        "the code that runs, for every engine",
    ),
    (
        "sampling",
        "sampling (sample.py)",
        (Sampler._forward, Sampler.step),
        "plain floats (FloatOps): the same numbers as the Value graph, without building one",
    ),
)

# What each panel's numbers come from: (section, the lines to mark, by a piece of their text).
PANEL_LINES: dict[str, tuple[str, tuple[str, ...]]] = {
    "attention": ("forward", ("attn_logits = [", "attn_weights = ops.softmax(", "head_out = [ops.dot(attn_weights")),
    "tokens": ("loss", ("loss_t, probs = ops.cross_entropy(", "probs = self.softmax(logits)", "return -probs[target]")),
    "loss": ("loss", ("return ops.mean(losses)", "return cast(Value, (1 / len(xs))")),
    "params": ("adam", ("lr_t = self.lr_at(", "self.m = m = [", "self.v = v = [", "c1, c2 = ", "updates = [")),
    "samples": ("sampling", ("inv_t = self.temperature", "probs = softmax_floats(", "chosen = self.rng.choices(")),
    "status": ("backward", ("child.grad += local_grad * node.grad",)),
}


# The forward view's stages (issue 10's ForwardTrace names, a layer's without its "layerN." prefix) and the
# lines of the forward pass behind each: (a piece of the line's text, which occurrence; None: every one).
STAGE_LINES: dict[str, tuple[str, tuple[tuple[str, int | None], ...]]] = {
    "tok_emb": ("forward", (('ops.matrix("wte")[token_id]', None),)),
    "pos_emb": ("forward", (('ops.matrix("wpe")[pos_id]', None),)),
    "emb_sum": ("forward", (("x = ops.add(ops.matrix(", None),)),
    # (the forward pass lists GPT.forward, then the GPT._attention it calls: its norm is the third)
    "emb_norm": ("forward", (("x = ops.rmsnorm(x)", 0),)),
    "attn_norm": ("forward", (("x = ops.rmsnorm(x)", 2),)),
    "q": ("forward", (("q = ops.linear(", None),)),
    "k": ("forward", (("k = ops.linear(", None),)),
    "v": ("forward", (("v = ops.linear(", None),)),
    "attn_weights": ("forward", (("attn_logits = [", None), ("attn_weights = ops.softmax(", None))),
    "head_out": ("forward", (("head_out = [ops.dot(attn_weights", None),)),
    "attn_wo": ("forward", (("x = ops.linear(x_attn,", None),)),
    "attn_residual": ("forward", (("return ops.add(x, x_residual)", None),)),
    "mlp_norm": ("forward", (("x = ops.rmsnorm(x)", 1),)),
    "mlp_fc1": ("forward", (("mlp_fc1", None),)),
    "mlp_relu": ("forward", (("x = ops.relu(x)", None),)),
    "mlp_fc2": ("forward", (("mlp_fc2", None),)),
    "mlp_residual": ("forward", (("x = ops.add(x, x_residual)", None),)),
    "logits": ("forward", (('return ops.linear(x, ops.matrix("lm_head"))', None),)),
    "probs": ("loss", (("loss_t, probs = ops.cross_entropy(", None), ("probs = self.softmax(logits)", None))),
}


def stage_key(stage: str) -> str:
    """'layer0.attn_weights' -> 'attn_weights'."""
    head, _, rest = stage.partition(".")
    return rest if head.startswith("layer") and rest else stage


def marked_lines(lines: list[CodeLine], marks: tuple[tuple[str, int | None], ...]) -> set[tuple[str, int]]:
    """(file, line number) of the lines the marks pick: the nth line containing a piece, or all of them."""
    picked: set[tuple[str, int]] = set()
    for piece, nth in marks:
        found = [(line.file, line.number) for line in lines if line.number and piece in line.text]
        picked.update(found if nth is None else found[nth : nth + 1])
    return picked


def source_lines(functions: tuple[Callable, ...]) -> list[CodeLine]:
    """The functions' source as the installed engine has it, numbered as in their files."""
    lines: list[CodeLine] = []
    for fn in functions:
        path = inspect.getsourcefile(fn) or ""
        text, start = inspect.getsourcelines(fn)
        if lines:
            lines.append(CodeLine(0, ""))
        lines.append(CodeLine(0, f"# {fn.__module__}.{fn.__qualname__}", path))
        lines += [CodeLine(start + i, line.rstrip("\n"), path) for i, line in enumerate(text)]
    return lines


def _floats(xs: list[float]) -> str:
    return "[" + ", ".join(f"{x:.3f}" for x in xs) + "]"


def line_values(session: Session, rules: Interlocks, panel: str, text: str) -> tuple[str, ...]:
    """The live values of the variables on the line `text`, for the selection, when the panel is `panel`."""
    seq, sel = rules.shown(), session.selection
    config, labels = session.trainer.config, session.vocab_labels
    has_seq = seq is not None and bool(seq.probs)
    pos = min(sel.position, len(seq.probs) - 1) if seq is not None and has_seq else 0
    if panel == "attention" and seq is not None and seq.attention:
        row = seq.attention[sel.layer][sel.head][pos]
        where = f"layer {sel.layer}, head {sel.head}, query pos {pos} ‘{visible(seq.labels[pos])}’"
        if "attn_weights = ops.softmax(" in text:
            return (f"attn_weights = {_floats(row)}  ({where}; they sum to {sum(row):.3f})",)
        if "attn_logits = [" in text:
            hs = sel.head * config.head_dim
            return (f"head {sel.head}: q_h, k_t are dims {hs}..{hs + config.head_dim - 1}; 1/√{config.head_dim}",)
        if "head_out" in text:
            top = max(range(len(row)), key=row.__getitem__)
            return (f"mostly the value at pos {top} ‘{visible(seq.labels[top])}’ ({row[top]:.1%})",)
    if panel in ("tokens", "loss") and seq is not None and has_seq:
        target = seq.targets[pos]
        assert target is not None
        p = seq.probs[pos][target]
        if seq.kind == "sample":  # drawn, not trained on: no target, no loss, and p is at the drawing temperature
            if "cross_entropy(" in text or "-probs[target]" in text:
                drawn = f"‘{visible(labels[target])}’ (id {target}) drawn with p {p:.4f} at T {seq.drawn_at(pos):g}"
                return (f"pos {pos}: a sample has no target and no loss: {drawn}",)
            if "mean(" in text or "1 / len(xs)" in text:
                return ("a sample has no loss: nothing is trained on it",)
        if "cross_entropy(" in text or "-probs[target]" in text:
            return (
                f"pos {pos}: target ‘{visible(labels[target])}’ (id {target}), p {p:.4f}, loss_t = {neg_log(p):.4f}",
            )
        if "self.softmax(logits)" in text:
            return (f"pos {pos}: {len(seq.probs[pos])} probabilities, sum {sum(seq.probs[pos]):.3f}",)
        if "mean(" in text or "1 / len(xs)" in text:
            loss = f"{seq.loss:.4f}" if seq.loss is not None else DASH
            return (f"loss = the mean of {len(seq.probs)} loss_t = {loss}",)
    if panel == "params":
        return _adam_values(session, rules, text)
    if panel == "samples":
        if "inv_t = " in text:
            if seq is not None and seq.kind == "sample" and has_seq:  # each character keeps its own temperature
                t = seq.drawn_at(pos) or 1.0
                return (f"pos {pos} was drawn at temperature {t:g} → inv_t {t**-1:g}",)
            return (f"temperature {sel.temperature:g} → inv_t {sel.temperature**-1:g}",)
        if seq is not None and seq.kind == "sample" and has_seq:
            chosen = seq.targets[pos]
            assert chosen is not None
            if "softmax_floats(" in text:
                return (f"pos {pos}: p(‘{visible(labels[chosen])}’) = {seq.probs[pos][chosen]:.1%}",)
            if "rng.choices(" in text:
                return (f"pos {pos}: chosen ‘{visible(labels[chosen])}’ (id {chosen})",)
    if panel == "status" and rules.latest is not None and rules.latest.params:
        return (f"the last step: total |grad| {total_grad_norm(rules.latest.params):.4f}",)
    return ()


def _adam_values(session: Session, rules: Interlocks, text: str) -> tuple[str, ...]:
    record, config = rules.latest, session.trainer.config
    if record is None or not record.params:
        return ("no update yet: space takes a step",) if "lr_t = self.lr_at(" in text else ()
    t = record.step
    wte = record.params[0]
    if "lr_t = self.lr_at(" in text:
        return (f"lr_t = {record.lr:.6f} (update {t:,} of {config.steps:,})",)
    if "c1, c2 = " in text:
        return (f"c1 = 1 − {config.beta1:g}^{t} = {1 - config.beta1**t:.4f}, c2 = {1 - config.beta2**t:.4f}",)
    if "self.m = m = [" in text:
        return (f"{wte.name}: mean |m| = {wte.m_mean_abs:.3e}",)
    if "self.v = v = [" in text:
        return (f"{wte.name}: √mean v = {wte.v_mean_sqrt:.3e}",)
    if "updates = [" in text:
        return (f"{wte.name}: std(update) / std(weights) = {wte.update_ratio:.2e}",)
    return ()


def stage_values(session: Session, rules: Interlocks, stage: str) -> tuple[str, ...]:
    """The forward view's vector for `stage` at the selected position (the trace the view draws)."""
    view = rules.forward_view()
    found = next((s for s in view.trace.stages if s.name == stage), None) if view.trace is not None else None
    if found is None or view.trace is None:
        return ()
    values = found.values
    head = ", ".join(f"{v:+.3f}" for v in values[:4]) + (", …" if len(values) > 4 else "")
    return (f"{stage} at pos {view.trace.pos} = [{head}] ({len(values)} values, |x| {found.norm:.3f})",)


def code_view(session: Session, rules: Interlocks, panel: str | None, stage: str | None = None) -> CodeView:
    """Every section; the panel's (or the forward view's stage's) opened, its lines marked with their live values.

    With neither, the forward pass opens with nothing marked.
    """
    traced: tuple[str, ...] = ()
    if stage is not None and stage_key(stage) in STAGE_LINES:
        key = stage_key(stage)
        section, marks = STAGE_LINES[key]
        traced = stage_values(session, rules, stage)
        # Beside a stage's lines: its vector, and what the panels show for it where they show anything.
        lens = "attention" if key in ("attn_weights", "head_out") else ("tokens" if section == "loss" else None)
    else:
        section, pieces = PANEL_LINES.get(panel or "", ("forward", ()))
        marks, lens = tuple((piece, None) for piece in pieces), panel
    listings = []
    for name, title, functions, note in SECTIONS:
        lines = source_lines(functions)
        if name == section and marks:
            picked = marked_lines(lines, marks)
            lines = [
                CodeLine(
                    ln.number,
                    ln.text,
                    ln.file,
                    True,
                    traced + (line_values(session, rules, lens, ln.text) if lens else ()),
                )
                if (ln.file, ln.number) in picked
                else ln
                for ln in lines
            ]
        listings.append(CodeListing(name, title, note, tuple(lines)))
    return CodeView(tuple(listings), section, panel if stage is None else stage)
