"""Provides `Judge`: each line a script prints, held against microgpt's run for the same settings.

The header lines (`num docs`, `vocab size`, `num params`) are compared as printed. At a step line the judge
compares what the script holds, in the order the step computes it: its documents and characters (once), the
loss, the gradients, Adam's moments, the weights after the update; where it does not keep microgpt's names,
the printed loss (4 decimals). A loss that differs is traced to the first position whose logits differ by
running the script's own `gpt` on microgpt's weights before the step (`probe`): logits that all agree put
the difference in the loss itself. Sample lines are compared once every step has been.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from microgpt_tui.checker.findings import (
    BACKWARD,
    DATA,
    FORWARD,
    FORWARD_OR_LOSS,
    INIT,
    LOSS,
    MOMENTS,
    SAMPLING,
    SHAPE,
    UPDATE,
    VOCABULARY,
    Finding,
    first_difference,
    num,
    only_rounding,
    same,
    step_ratio,
)
from microgpt_tui.checker.reference import Reference, StepState
from microgpt_tui.language import N_, _

HEADER = re.compile(r"^\s*(num docs|vocab size|num params)\s*:\s*([\d,]+)\s*$")
STEP = re.compile(r"^\s*step\s+(\d+)\s*/\s*(\d+)\s*\|\s*loss\s+(\S+)")
SAMPLE = re.compile(r"^\s*sample\s+(\d+)\s*:\s?(.*?)\s*$")
GRADIENTS = N_("gradients (Value.backward)")  # (what `unseen` calls them; the rest are the script's own names)
# A probe: the script's gpt run on these weights over these tokens -> its logits per position, or an error.
Probe = Callable[[list[float], list[int]], dict[str, Any]]


class Judge:
    def __init__(self, reference: Reference) -> None:
        self.reference = reference
        self.recognised = 0  # lines of microgpt's shape seen
        self.steps = 0  # the last step compared
        self.samples: list[str] = []  # the samples that matched
        self.exact = True  # every step was compared on what the script holds (not only the printed loss)
        self.unseen: set[str] = set()  # what the script does not keep under microgpt's names

    def header(self, text: str) -> Finding | None:
        match = HEADER.match(text)
        if match is None:
            return None
        self.recognised += 1
        what, theirs = match.group(1), int(match.group(2).replace(",", ""))
        ref = self.reference
        ours, part = {
            "num docs": (len(ref.trainer.docs), DATA),
            "vocab size": (ref.tokenizer.vocab_size, VOCABULARY),
            "num params": (ref.num_params, SHAPE),
        }[what]
        if theirs == ours:
            return None
        return Finding(
            part, _("it prints {what}: {count}").format(what=what, count=f"{theirs:,}"), f"{theirs:,}", f"{ours:,}"
        )

    def sample(self, text: str, all_steps_done: bool) -> Finding | None:
        match = SAMPLE.match(text)
        if match is None or not all_steps_done:
            return None
        self.recognised += 1
        theirs, ours = match.group(2), self.reference.sample()
        if theirs == ours:
            self.samples.append(theirs)
            return None
        what = (
            _("sample {n} is another name (the weights after the last step agreed)")
            if self.exact
            else _("sample {n} is another name")
        )
        return Finding(
            SAMPLING,
            what.format(n=len(self.samples) + 1),
            repr(theirs),
            repr(ours),
            detail=_(
                "Sampling divides the logits by the temperature, takes their softmax and draws with "
                "random.choices(range(vocab_size), weights=…) from the run's one random generator."
            ),
        )

    def step(self, event: dict[str, Any], ref: StepState, probe: Probe) -> Finding | None:
        """The script's step line `event` (with what it holds) against microgpt's step `ref`."""
        self.recognised += 1
        self.steps = k = ref.step
        order = self._order(event, k) or self._initial(event, ref)
        if order is not None:
            return order
        theirs = event.get("loss")
        if theirs is None:
            self.exact = False
            self.unseen.add("loss")
            printed = STEP.match(event["text"])
            shown = printed.group(3) if printed else "?"
            if shown != f"{ref.loss:.4f}":
                return Finding(
                    LOSS, _("the printed loss (it keeps no `loss` to compare exactly)"), shown, f"{ref.loss:.4f}", k
                )
        elif not same(theirs, ref.loss):
            return self._trace_loss(theirs, ref, probe)
        for key, part, ours in (("grads", BACKWARD, ref.grads), ("m", MOMENTS, ref.m), ("v", MOMENTS, ref.v)):
            found = self._held(event, key, part, ours, ref)
            if found is not None:
                return found
        return self._weights(event, ref)

    def _order(self, event: dict[str, Any], k: int) -> Finding | None:
        docs, chars = event.get("docs"), event.get("uchars")
        ref = self.reference
        if docs is not None and docs != ref.trainer.docs:
            i = next(
                (i for i, (a, b) in enumerate(zip(docs, ref.trainer.docs)) if a != b),
                min(len(docs), len(ref.trainer.docs)),
            )
            theirs = repr(docs[i]) if i < len(docs) else _("(no more documents)")
            ours = repr(ref.trainer.docs[i]) if i < len(ref.trainer.docs) else _("(no more documents)")
            return Finding(
                DATA,
                _("its documents come in another order: document {n} of the shuffled list").format(n=i + 1),
                theirs,
                ours,
                k,
                detail=_("microgpt reads input.txt a line a document, seeds random with 42 and shuffles once."),
            )
        if chars is not None and chars != ref.tokenizer.chars:
            return Finding(
                VOCABULARY,
                _("its characters (uchars) differ"),
                repr("".join(chars)),
                repr("".join(ref.tokenizer.chars)),
                k,
            )
        return None

    def _initial(self, event: dict[str, Any], ref: StepState) -> Finding | None:
        """The weights it began with (caught at its first backward), against microgpt's initial draw."""
        theirs = event.get("initial")
        if theirs is None or len(theirs) != len(ref.before) or ref.step != 1:
            return None
        i = first_difference(theirs, ref.before)
        if i is None:
            return None
        name, row, col = self.reference.matrix_at(i)
        return Finding(
            INIT,
            _("the initial weight {weight}, before any update").format(weight=f"{name}[{row}][{col}]"),
            num(theirs[i]),
            num(ref.before[i]),
            ref.step,
            detail=_(
                "microgpt draws every weight with random.gauss(0, 0.08), matrix by matrix (wte, wpe, lm_head, "
                "then each layer's), row by row, right after the shuffle."
            ),
        )

    def _trace_loss(self, theirs: float, ref: StepState, probe: Probe) -> Finding:
        """The loss differs: run the script's gpt on microgpt's weights before the step, position by position."""
        k, label = ref.step, self.reference.tokenizer.label
        loss_line = (num(theirs), num(ref.loss))
        got = probe(ref.before, ref.tokens)
        logits = got.get("logits")
        if logits is None:
            self.unseen.add("gpt")
            why = got.get("error") or _("it keeps no `gpt`, `params` and `block_size` of microgpt's shape")
            return Finding(
                FORWARD_OR_LOSS,
                _("the loss (its gpt could not be run on microgpt's weights: {why})").format(why=why),
                *loss_line,
                k,
                rounding=only_rounding([theirs], [ref.loss]),
            )
        ours = self.reference.logits(ref.before, ref.tokens)
        for pos, (a, b) in enumerate(zip(logits, ours)):
            i = first_difference(a, b) if len(a) == len(b) else 0
            if i is None:
                continue
            where = _("position {pos} (after {before}, predicting {target})").format(
                pos=pos + 1, before=repr(label(ref.tokens[pos])), target=repr(label(ref.tokens[pos + 1]))
            )
            if len(a) != len(b):
                return Finding(
                    FORWARD,
                    _("its gpt returns {count} logits at {where}").format(count=len(a), where=where),
                    _("{count} logits").format(count=len(a)),
                    f"{len(b)}",
                    k,
                )
            return Finding(
                FORWARD,
                _(
                    "its gpt, run on microgpt's weights before this step, first gives other logits at {where}; "
                    "the logit of {token}:"
                ).format(where=where, token=repr(label(i))),
                num(a[i]),
                num(b[i]),
                k,
                detail=_("The loss at step {step}: {theirs} here, {ours} in microgpt.").format(
                    step=k, theirs=loss_line[0], ours=loss_line[1]
                ),
                rounding=only_rounding(a, b),
            )
        return Finding(
            LOSS,
            _(
                "the loss of step {step}, though its gpt gives microgpt's logits at every position "
                "(the softmax, the -log of the target's probability, or the mean over positions)"
            ).format(step=k),
            *loss_line,
            k,
            rounding=only_rounding([theirs], [ref.loss]),
        )

    def _held(self, event: dict[str, Any], key: str, part: str, ours: list[float], ref: StepState) -> Finding | None:
        theirs = event.get(key)
        if theirs is None or len(theirs) != len(ours):
            self.exact = False
            self.unseen.add({"grads": GRADIENTS}.get(key, key))
            return None
        i = first_difference(theirs, ours)
        if i is None:
            return None
        name, row, col = self.reference.matrix_at(i)
        what = {"grads": _("the gradient of {weight}"), "m": _("Adam's m of {weight}"), "v": _("Adam's v of {weight}")}
        detail = (
            _(
                "The loss agreed to the last bit, so the forward pass is microgpt's: the chain rule differs "
                "(a local derivative in Value, or how backward walks the graph)."
            )
            if key == "grads"
            else _(
                "The gradients agreed: the running averages differ (m = beta1*m + (1-beta1)*g, "
                "v = beta2*v + (1-beta2)*g**2)."
            )
        )
        return Finding(
            part,
            what[key].format(weight=f"{name}[{row}][{col}]"),
            num(theirs[i]),
            num(ours[i]),
            ref.step,
            detail,
            rounding=only_rounding(theirs, ours),
        )

    def _weights(self, event: dict[str, Any], ref: StepState) -> Finding | None:
        theirs = event.get("params")
        if theirs is None or len(theirs) != len(ref.after):
            self.exact = False
            self.unseen.add("params")
            return None
        i = first_difference(theirs, ref.after)
        if i is None:
            return None
        name, row, col = self.reference.matrix_at(i)
        ratio, low, high = step_ratio(ref.before, theirs, ref.after)
        lr = event.get("lr")
        if ratio is not None:
            moved = (
                _(
                    "Every weight moved {ratio} times microgpt's step: its lr_t is {lr} where microgpt's is "
                    "{ours} at step {step} (learning_rate * (1 - step / num_steps), step from 0)."
                )
                if lr is not None
                else _(
                    "Every weight moved {ratio} times microgpt's step: a learning rate of {lr} where microgpt's is "
                    "{ours} at step {step} (learning_rate * (1 - step / num_steps), step from 0)."
                )
            )
            used = num(lr) if lr is not None else f"{ratio * ref.lr:.6g}"
            detail = moved.format(ratio=f"{ratio:.6g}", lr=used, ours=num(ref.lr), step=ref.step)
        else:
            detail = _(
                "The moves are {low} to {high} times microgpt's, not one factor: the bias "
                "correction (1 - beta ** (step + 1)), eps_adam, or the update's formula."
            ).format(low=f"{low:.6g}", high=f"{high:.6g}")
        return Finding(
            UPDATE,
            _("the weight {weight} after the update").format(weight=f"{name}[{row}][{col}]"),
            num(theirs[i]),
            num(ref.after[i]),
            ref.step,
            detail,
            rounding=only_rounding(theirs, ref.after),
        )
