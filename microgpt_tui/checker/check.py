"""Provides `check`: a learner's script run beside microgpt, step by step, to the first number that differs.

The script runs in a child process (process.py, harness.py); microgpt's run for the same settings is
computed here meanwhile (reference.py), a step ahead, so that the two cores work at once. At each line the
script prints, the judge (judge.py) compares; at the first difference the script is stopped and the verdict
says where. Exit status as `diff`'s: 0 identical, 1 it differs, 2 it could not be checked (`CannotCheck`).
"""

from __future__ import annotations

import signal
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from microgpt_tui.checker.findings import Finding
from microgpt_tui.checker.judge import GRADIENTS, HEADER, SAMPLE, STEP, Judge
from microgpt_tui.checker.process import Limits, ScriptProcess, TimeLimit
from microgpt_tui.checker.reference import Reference, StepState
from microgpt_tui.checker.script import Script
from microgpt_tui.language import _, ngettext

SAME, DIFFERS = 0, 1  # (2, it could not be checked: CannotCheck)
SCRIPT_LINE = "│ "  # what the script printed, apart from what the checker says


class CannotCheck(Exception):
    """The script could not be checked: one line saying why (exit status 2)."""


@dataclass
class Verdict:
    status: int
    lines: list[str]
    seconds: float  # from the start to the verdict
    step_seconds: list[float] = field(default_factory=list)  # the script's own time for each step


def check(script: Script, docs: list[str], steps: int | None, limits: Limits, say: Callable[[str], None]) -> Verdict:
    """Run `script` on `docs` for its first `steps` steps (all of them, then its samples, when None)."""
    started = time.monotonic()
    reference = Reference(docs, script.config)
    judge = Judge(reference)
    proc = ScriptProcess(script.path, docs, limits, lambda line: say(SCRIPT_LINE + line))
    run = Run(script, reference, judge, proc, steps, say)
    try:
        lines, status = run.go()
    except TimeLimit:
        raise CannotCheck(
            run.where(_("ran past the time limit of {seconds} s").format(seconds=f"{limits.seconds:g}"))
        ) from None
    finally:
        proc.kill()
    return Verdict(status, lines, time.monotonic() - started, run.step_seconds)


class Run:
    """One check: the script's events, in order, against the reference."""

    def __init__(
        self,
        script: Script,
        reference: Reference,
        judge: Judge,
        proc: ScriptProcess,
        steps: int | None,
        say: Callable[[str], None],
    ) -> None:
        self.script, self.reference, self.judge, self.proc = script, reference, judge, proc
        self.limit = steps
        self.say = say
        self.events: Iterator[dict[str, Any]] = proc.events()
        self.ahead: list[StepState] = []  # reference steps computed before the script printed them
        self.step_seconds: list[float] = []

    @property
    def total(self) -> int:
        return self.reference.trainer.config.steps

    def where(self, what: str) -> str:
        """`what` the script did (a phrase in the current language), and when: after which step line."""
        k = self.judge.steps
        said = _("{script} {what} after step {step}") if k else _("{script} {what} before its first step line")
        return said.format(script=self.script.name, what=what, step=k)

    def ref_step(self, k: int) -> StepState:
        """microgpt's step `k` (the steps before it are taken on the way)."""
        while self.ahead and self.ahead[0].step < k:
            self.ahead.pop(0)
        while not self.ahead or self.ahead[-1].step < k:
            self.ahead.append(self.reference.step())
        return self.ahead[-1]

    def probe(self, weights: list[float], tokens: list[int]) -> dict[str, Any]:
        self.proc.answer(do="probe", weights=weights, tokens=tokens)
        for event in self.events:
            if event["kind"] == "probe":
                return event
            self.handle_end(event)  # (it ended instead)
        return {"error": _("the script ended during the probe")}

    def go(self) -> tuple[list[str], int]:
        self.ref_step(1)  # while the script starts up
        for event in self.events:
            kind = event["kind"]
            if kind == "line":
                finding = self.line(event["text"])
            elif kind == "step":
                self.say(SCRIPT_LINE + event["text"])
                finding, enough = self.step(event)
                if finding is None and enough:
                    return self.same(), SAME
                if finding is None:
                    self.proc.answer(do="go")
                    if self.judge.steps < self.total:
                        self.ref_step(self.judge.steps + 1)  # while the script takes its next step
            else:
                self.handle_end(event)
                finding = None
                if kind == "done":
                    if self.judge.recognised and not self.judge.steps:
                        raise CannotCheck(
                            _(
                                "{script} printed no step line of microgpt's form "
                                "('step    1 / 1000 | loss 3.3660'): there is nothing to compare"
                            ).format(script=self.script.name)
                        )
                    if not self.judge.recognised:
                        raise CannotCheck(
                            _(
                                "{script} printed nothing recognisable as microgpt's output "
                                "(num docs, vocab size, num params, step … | loss …)"
                            ).format(script=self.script.name)
                        )
                    return self.same(), SAME
            if finding is not None:
                return finding.lines(self.script.name), DIFFERS
        self.died()
        raise AssertionError("unreachable")

    def line(self, text: str) -> Finding | None:
        self.say(SCRIPT_LINE + text)
        if HEADER.match(text):
            return self.judge.header(text)
        if SAMPLE.match(text):
            return self.judge.sample(text, self.judge.steps >= self.total)
        return None

    def step(self, event: dict[str, Any]) -> tuple[Finding | None, bool]:
        match = STEP.match(event["text"])
        if match is None:
            raise CannotCheck(
                _("{script} printed a step line without a loss: {line}").format(
                    script=self.script.name, line=repr(event["text"].strip())
                )
            )
        k, total = int(match.group(1)), int(match.group(2))
        if k <= self.judge.steps:
            raise CannotCheck(
                _("{script} printed step {step} after step {last}").format(
                    script=self.script.name, step=k, last=self.judge.steps
                )
            )
        if total != self.total and not self.judge.steps:  # its num_steps is not a literal: now it is known
            self.restart(total)
        self.step_seconds.append(event.get("seconds", 0.0))
        finding = self.judge.step(event, self.ref_step(k), self.probe)
        enough = k >= self.total or (self.limit is not None and k >= self.limit)
        return finding, enough and k < self.total

    def restart(self, total: int) -> None:
        config = replace(self.reference.trainer.config, steps=total)
        self.reference = Reference(self.reference.docs, config)
        self.judge.reference = self.reference
        self.ahead = []

    def same(self) -> list[str]:
        judge = self.judge
        self.proc.answer(do="stop")
        k = judge.steps
        last = self.ahead[-1] if self.ahead else None
        if judge.exact:
            said = ngettext(
                "identical to microgpt for {count} step (of {total}): every weight, gradient and Adam moment, "
                "to the last bit; the loss at step {step} is {loss}",
                "identical to microgpt for {count} steps (of {total}): every weight, gradient and Adam moment, "
                "to the last bit; the loss at step {step} is {loss}",
                k,
            )
        elif "loss" in judge.unseen:  # (no `loss` to read: only the line it printed, 4 decimals, was compared)
            said = ngettext(
                "identical to microgpt for {count} step (of {total}) in the printed loss, to its 4 decimals; "
                "the loss at step {step} is {loss}",
                "identical to microgpt for {count} steps (of {total}) in the printed loss, to its 4 decimals; "
                "the loss at step {step} is {loss}",
                k,
            )
        else:
            said = ngettext(
                "identical to microgpt for {count} step (of {total}): the loss, to the last bit; "
                "the loss at step {step} is {loss}",
                "identical to microgpt for {count} steps (of {total}): the loss, to the last bit; "
                "the loss at step {step} is {loss}",
                k,
            )
        if last is None:  # (no step compared: nothing to quote)
            said = (
                ngettext(
                    "identical to microgpt for {count} step (of {total}): every weight, gradient and Adam moment, "
                    "to the last bit",
                    "identical to microgpt for {count} steps (of {total}): every weight, gradient and Adam moment, "
                    "to the last bit",
                    k,
                )
                if judge.exact
                else ngettext(
                    "identical to microgpt for {count} step (of {total}) in the printed loss, to its 4 decimals",
                    "identical to microgpt for {count} steps (of {total}) in the printed loss, to its 4 decimals",
                    k,
                )
                if "loss" in judge.unseen
                else ngettext(
                    "identical to microgpt for {count} step (of {total}): the loss, to the last bit",
                    "identical to microgpt for {count} steps (of {total}): the loss, to the last bit",
                    k,
                )
            )
        loss = f"{last.loss:.4f}" if last is not None else ""
        lines = [said.format(count=f"{k:,}", total=f"{self.total:,}", step=k, loss=loss)]
        if judge.samples:
            lines.append(
                _("and its {count} samples: {names}").format(count=len(judge.samples), names=", ".join(judge.samples))
            )
        if not judge.exact:
            unseen = ", ".join(_(name) if name == GRADIENTS else name for name in sorted(judge.unseen))
            lines.append(
                "  " + _("(it keeps no {names} under microgpt's names: compared as printed)").format(names=unseen)
            )
        if self.script.unset:
            lines.append(
                "  "
                + _("(settings not given as literals, taken as microgpt's: {names})").format(
                    names=", ".join(self.script.unset)
                )
            )
        return lines

    def handle_end(self, event: dict[str, Any]) -> None:
        kind = event["kind"]
        if kind == "raised":
            self.say(SCRIPT_LINE.rstrip())
            for line in event["traceback"].rstrip("\n").split("\n"):
                self.say(SCRIPT_LINE + line)
            frames = [(int(line), str(fn)) for line, fn in event.get("frames", [])]
            part = self.script.part_of(frames)
            during = (
                _("during step {step}").format(step=self.judge.steps + 1)
                if self.judge.steps < self.total
                else _("after training")
            )
            if part.startswith("setup"):
                during = _("before its first step")
            said = (
                _("{script} raised {error} at line {line} {when}, in {part}: {code} ({message})")
                if frames
                else _("{script} raised {error} {when}, in {part} ({message})")
            )
            raise CannotCheck(
                said.format(
                    script=self.script.name,
                    error=event["error"],
                    line=frames[-1][0] if frames else 0,
                    when=during,
                    part=_(part),
                    code=self.script.statement(frames[-1][0]) if frames else "",
                    message=event["message"],
                )
            )
        if kind == "network":
            raise CannotCheck(
                self.where(
                    _(
                        "tried to reach the network ({where}); the checker gives it its data as input.txt, "
                        "and runs it offline"
                    ).format(where=event["where"])
                )
            )
        if kind == "memory":
            raise CannotCheck(
                self.where(_("ran out of its memory limit of {mb} MB").format(mb=f"{self.proc.limits.memory_mb:,}"))
            )
        if kind == "exit":
            raise CannotCheck(self.where(_("ended with sys.exit({code})").format(code=event["message"])))

    def died(self) -> None:
        status = self.proc.ended()
        if status is not None and status < 0 and -status in (signal.SIGXCPU, signal.SIGKILL):
            stopped = (
                _("was stopped by its time limit")
                if -status == signal.SIGXCPU
                else _("was stopped by its time or memory limit")
            )
            raise CannotCheck(self.where(stopped))
        raise CannotCheck(self.where(_("ended unexpectedly (exit status {status})").format(status=status)))


def median_step(seconds: list[float]) -> float | None:
    """The script's own time per step: the median over its steps after the first (which includes its setup)."""
    later = seconds[1:] or seconds
    return statistics.median(later) if later else None
