"""Provides the code view's data: microgpt's textbook file behind a panel, with this session's values.

The code is the textbook file (engine/textbook/microgpt.py: the whole algorithm in one readable file that the
tests run and that gives the engine's numbers bit for bit), in sections: the data and the tokenizer, the model
(one position's forward pass), the loss, autograd and backward, the training loop with Adam, and sampling.
Each section says in one line how the engine that runs computes the same numbers.

`code_view` marks the lines behind a panel (attention → the attention weights, next token → softmax and the
loss, parameters → the Adam update, samples → sampling) and puts beside each the live values of its variables
for the selection: the selected head's weights at the selected position, that position's -log p, the last
update's learning rate and bias corrections. Lines a finished lesson taught are marked as taught.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from microgpt_engine.insight.history import total_grad_norm
from microgpt_engine.ops import neg_log
from microgpt_engine.textbook_file import TEXTBOOK
from microgpt_tui.core import textbook
from microgpt_tui.core.labels import DASH, decimal, visible
from microgpt_tui.language import N_, _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


@dataclass(frozen=True)
class CodeLine:
    number: int  # in its file (0 for a heading line between parts)
    text: str
    file: str = ""  # the file's installed path
    highlight: bool = False
    values: tuple[str, ...] = ()  # the live values of the line's variables
    taught: bool = False  # a finished lesson taught this line


@dataclass(frozen=True)
class CodeListing:
    key: str  # "data", "forward", "loss", "backward", "adam", "sampling"
    title: str
    note: str  # how this code relates to the engine that runs (one line)
    lines: tuple[CodeLine, ...]


@dataclass(frozen=True)
class CodeView:
    """Every section, and the one opened (with the panel's lines marked)."""

    listings: tuple[CodeListing, ...]
    selected: str
    panel: str | None  # the panel whose lines are marked


# Each section: (key, title, its lines (the text of the first and of the last), the one line on how it runs).
SECTIONS: tuple[tuple[str, str, tuple[str, str], str], ...] = (
    (
        "data",
        N_("the data and the tokenizer"),
        ("# The data: one document per line", 'print(f"vocab size'),
        N_("the engine's tokenizer (tokenizer.py) gives the same ids: a character's place in the sorted vocabulary"),
    ),
    (
        "forward",
        N_("the forward pass (gpt: one position, to the logits)"),
        ("def linear(", 'return linear(x, state_dict["lm_head"])'),
        N_(
            "the engine writes these lines once against `ops` (model.py): the Value graph, the fused tape and plain "
            "floats all run them, with the same numbers"
        ),
    ),
    (
        "loss",
        N_("the loss (the mean of −log p over the name's positions)"),
        ("# Forward: at each position", "loss = (1 / n) * sum(losses)"),
        N_(
            "textbook form (one Value per + and ×); the fused engine computes the same numbers faster, with "
            "one node per position's cross-entropy (its softmax fused in)"
        ),
    ),
    (
        "backward",
        N_("autograd: Value and backward, the chain rule"),
        ("# Autograd: a scalar", "child.grad += local_grad * node.grad"),
        N_(
            "textbook form (Value); the fused tape (tape.py) runs the same chain rule over fused nodes: the same "
            "gradients, faster"
        ),
    ),
    (
        "adam",
        N_("the training loop and the Adam update"),
        ("# Training: one document a step", 'print(f"step {step + 1:4d}'),
        N_("the engine's Adam (optim.py) runs the same float operations, one list at a time"),
    ),
    (
        "sampling",
        N_("sampling"),
        ("# Sampling: start from BOS", 'print(f"sample {sample_idx'),
        N_("the engine samples on plain floats (FloatOps): the same numbers as the Value graph, without building one"),
    ),
)

# The sections as the code view lists them (the English is the key itself; a translation may add the English
# beside, which the narrow list leaves out: code_screen.section_name).
SECTION_NAMES = {
    "data": N_("data"),
    "forward": N_("forward"),
    "loss": N_("loss"),
    "backward": N_("backward"),
    "adam": N_("adam"),
    "sampling": N_("sampling"),
}

# What each panel's numbers come from: (section, the lines to mark, by a piece of their text).
PANEL_LINES: dict[str, tuple[str, tuple[str, ...]]] = {
    "attention": ("forward", ("attn_logits = [", "attn_weights = softmax(attn_logits)", "head_out = [")),
    "tokens": ("loss", ("probs = softmax(logits)", "loss_t = -probs[target_id].log()")),
    "loss": ("loss", ("loss = (1 / n) * sum(losses)",)),
    "params": ("adam", ("lr_t = learning_rate *", "m[i] = beta1", "v[i] = beta2", "m_hat = ", "p.data -= ")),
    "samples": ("sampling", ("temperature = ", "probs = softmax([logit / temperature", "random.choices(")),
    "status": ("backward", ("child.grad += local_grad * node.grad",)),
}


# The forward view's stages (issue 10's ForwardTrace names, a layer's without its "layerN." prefix) and the
# lines of the forward pass behind each: (a piece of the line's text, which occurrence; None: every one).
STAGE_LINES: dict[str, tuple[str, tuple[tuple[str, int | None], ...]]] = {
    "tok_emb": ("forward", (('tok_emb = state_dict["wte"][token_id]', None),)),
    "pos_emb": ("forward", (('pos_emb = state_dict["wpe"][pos_id]', None),)),
    "emb_sum": ("forward", (("x = [t + p for t, p in zip(tok_emb, pos_emb)]", None),)),
    # (gpt normalises three times: the embedding, then before attention, then before the MLP)
    "emb_norm": ("forward", (("x = rmsnorm(x)", 0),)),
    "attn_norm": ("forward", (("x = rmsnorm(x)", 1),)),
    "q": ("forward", (("q = linear(", None),)),
    "k": ("forward", (("k = linear(", None),)),
    "v": ("forward", (("v = linear(", None),)),
    "attn_weights": ("forward", (("attn_logits = [", None), ("attn_weights = softmax(attn_logits)", None))),
    "head_out": ("forward", (("head_out = [", None),)),
    "attn_wo": ("forward", (("x = linear(x_attn,", None),)),
    "attn_residual": ("forward", (("x = [a + b for a, b in zip(x, x_residual)]", 0),)),
    "mlp_norm": ("forward", (("x = rmsnorm(x)", 2),)),
    "mlp_fc1": ("forward", (('mlp_fc1"])', None),)),
    "mlp_relu": ("forward", (("x = [xi.relu() for xi in x]", None),)),
    "mlp_fc2": ("forward", (('mlp_fc2"])', None),)),
    "mlp_residual": ("forward", (("x = [a + b for a, b in zip(x, x_residual)]", 1),)),
    "logits": ("forward", (('return linear(x, state_dict["lm_head"])', None),)),
    "probs": ("loss", (("probs = softmax(logits)", None),)),
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


def section_lines(first: str, last: str, taught: tuple[tuple[int, int], ...] = ()) -> list[CodeLine]:
    """The textbook file's lines from the one holding `first` to the one holding `last`, numbered as in the file
    (those inside a `taught` range marked)."""
    start, end = textbook.span(first, last)
    path, text = str(TEXTBOOK), textbook.lines()
    return [CodeLine(n, text[n - 1], path, taught=any(a <= n <= b for a, b in taught)) for n in range(start, end + 1)]


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
        if "attn_weights = softmax(" in text:
            where = _(
                "attn_weights = {weights}  (layer {layer}, head {head}, query pos {position} ‘{label}’; they sum to "
                "{total})"
            )
            return (
                where.format(
                    weights=_floats(row),
                    layer=sel.layer,
                    head=sel.head,
                    position=pos,
                    label=visible(seq.labels[pos]),
                    total=f"{sum(row):.3f}",
                ),
            )
        if "attn_logits = [" in text:
            hs = sel.head * config.head_dim
            dims = _("head {head}: q_h, k_t are dims {first}..{last}; 1/√{head_dim}")
            return (dims.format(head=sel.head, first=hs, last=hs + config.head_dim - 1, head_dim=config.head_dim),)
        if "head_out" in text:
            top = max(range(len(row)), key=row.__getitem__)
            mostly = _("mostly the value at pos {position} ‘{label}’ ({share})")
            return (mostly.format(position=top, label=visible(seq.labels[top]), share=f"{row[top]:.1%}"),)
    if panel in ("tokens", "loss") and seq is not None and has_seq:
        target = seq.targets[pos]
        assert target is not None
        p = seq.probs[pos][target]
        if seq.kind == "sample":  # drawn, not trained on: no target, no loss, and p is at the drawing temperature
            if "-probs[target_id]" in text:
                drawn = _(
                    "pos {position}: a sample has no target and no loss: ‘{label}’ (id {id}) drawn with p {p} at T "
                    "{temperature}"
                )
                return (
                    drawn.format(
                        position=pos,
                        label=visible(labels[target]),
                        id=target,
                        p=f"{p:.4f}",
                        temperature=f"{seq.drawn_at(pos):g}",
                    ),
                )
            if "sum(losses)" in text:
                return (_("a sample has no loss: nothing is trained on it"),)
        if "-probs[target_id]" in text:
            target_line = _("pos {position}: target ‘{label}’ (id {id}), p {p}, loss_t = {nll}")
            return (
                target_line.format(
                    position=pos, label=visible(labels[target]), id=target, p=f"{p:.4f}", nll=f"{neg_log(p):.4f}"
                ),
            )
        if "probs = softmax(logits)" in text:
            summed = _("pos {position}: {count} probabilities, sum {total}")
            return (summed.format(position=pos, count=len(seq.probs[pos]), total=f"{sum(seq.probs[pos]):.3f}"),)
        if "sum(losses)" in text:
            loss = f"{seq.loss:.4f}" if seq.loss is not None else DASH
            return (_("loss = the mean of {count} loss_t = {loss}").format(count=len(seq.probs), loss=loss),)
    if panel == "params":
        return _adam_values(session, rules, text)
    if panel == "samples":
        if text.startswith("temperature = "):
            if seq is not None and seq.kind == "sample" and has_seq:  # each character keeps its own temperature
                drawn_at = _("pos {position} was drawn at temperature {temperature}")
                return (drawn_at.format(position=pos, temperature=f"{seq.drawn_at(pos) or 1.0:g}"),)
            return (_("this session: temperature = {temperature}").format(temperature=f"{sel.temperature:g}"),)
        if seq is not None and seq.kind == "sample" and has_seq:
            chosen = seq.targets[pos]
            assert chosen is not None
            if "softmax([logit / temperature" in text:
                chance = _("pos {position}: p(‘{label}’) = {p}")
                return (chance.format(position=pos, label=visible(labels[chosen]), p=f"{seq.probs[pos][chosen]:.1%}"),)
            if "random.choices(" in text:
                chosen_line = _("pos {position}: chosen ‘{label}’ (id {id})")
                return (chosen_line.format(position=pos, label=visible(labels[chosen]), id=chosen),)
    if panel == "status" and rules.latest is not None and rules.latest.params:
        norm = f"{total_grad_norm(rules.latest.params):.4f}"
        return (_("the last step: total |grad| {norm}").format(norm=norm),)
    return ()


def _adam_values(session: Session, rules: Interlocks, text: str) -> tuple[str, ...]:
    record, config = rules.latest, session.trainer.config
    if record is None or not record.params:
        return (_("no update yet: space takes a step"),) if "lr_t = learning_rate *" in text else ()
    t = record.step
    wte = record.params[0]
    if "lr_t = learning_rate *" in text:
        update = _("lr_t = {lr} (update {step} of {steps})")
        return (update.format(lr=f"{record.lr:.6f}", step=f"{t:,}", steps=f"{config.steps:,}"),)
    if "m_hat = " in text:
        return (f"1 − {config.beta1:g}^{t} = {1 - config.beta1**t:.4f}",)
    if "v_hat = " in text:
        return (f"1 − {config.beta2:g}^{t} = {1 - config.beta2**t:.4f}",)
    if "m[i] = beta1" in text:
        return (f"{wte.name}: mean |m| = {decimal(wte.m_mean_abs, 3)}",)
    if "v[i] = beta2" in text:
        return (f"{wte.name}: √mean v = {decimal(wte.v_mean_sqrt, 3)}",)
    if "p.data -= " in text:
        return (f"{wte.name}: std(update) / std(weights) = {decimal(wte.update_ratio, 2)}",)
    return ()


def stage_values(session: Session, rules: Interlocks, stage: str) -> tuple[str, ...]:
    """The forward view's vector for `stage` at the selected position (the trace the view draws)."""
    view = rules.forward_view()
    found = next((s for s in view.trace.stages if s.name == stage), None) if view.trace is not None else None
    if found is None or view.trace is None:
        return ()
    values = found.values
    head = ", ".join(f"{v:+.3f}" for v in values[:4]) + (", …" if len(values) > 4 else "")
    at = _("{stage} at pos {position} = [{head}] ({count} values, |x| {norm})")
    return (at.format(stage=stage, position=view.trace.pos, head=head, count=len(values), norm=f"{found.norm:.3f}"),)


def code_view(session: Session, rules: Interlocks, panel: str | None, stage: str | None = None) -> CodeView:
    """Every section; the panel's (or the forward view's stage's) opened, its lines marked with their live values.

    With neither, the forward pass opens with nothing marked. Lines a finished lesson taught are marked taught.
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
    for name, title, (first, last), note in SECTIONS:
        lines = section_lines(first, last, session.taught)
        if name == section and marks:
            picked = marked_lines(lines, marks)
            lines = [
                CodeLine(
                    ln.number,
                    ln.text,
                    ln.file,
                    True,
                    traced + (line_values(session, rules, lens, ln.text.strip()) if lens else ()),
                    ln.taught,
                )
                if (ln.file, ln.number) in picked
                else ln
                for ln in lines
            ]
        listings.append(CodeListing(name, _(title), _(note), tuple(lines)))
    return CodeView(tuple(listings), section, panel if stage is None else stage)
