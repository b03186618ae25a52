"""The checked script's main program: runs a learner's microgpt.py as `__main__` and reports what it holds.

`python -m microgpt_tui.checker.harness SCRIPT TO_CHECKER FROM_CHECKER` runs in the child process the checker
starts (its folder holds only `input.txt`), never in the checker's own. It replaces `sys.stdout` with a
writer that sends each line the script prints to the checker over a pipe (TO_CHECKER, a file descriptor);
a `step k / N | loss x` line carries what the script holds at that moment where it keeps microgpt's names:
the exact loss, every weight (`params`), the gradients its last `backward()` left (caught by wrapping its
`Value.backward` once `params` exists), and Adam's `m` and `v`. The checker answers on FROM_CHECKER:
go on, stop, or first run the script's own `gpt` on weights it sends (a probe). The script's exceptions come
back as its own traceback (the harness's frames cut off); any use of the network is refused and reported.

Standard library only, and small: it is the learner's process, not the app's.
"""

from __future__ import annotations

import builtins
import gc
import io
import json
import math
import os
import re
import socket
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any, NoReturn, TextIO

STEP = re.compile(r"^\s*step\s+(\d+)\s*/\s*(\d+)")


class NetworkRefused(OSError):
    """What any use of the network raises in the checked script (it reads input.txt, nothing to download)."""


class Channel:
    """The two pipes to the checker: one JSON object a line each way."""

    def __init__(self, to_checker: int, from_checker: int) -> None:
        self.out = open(to_checker, "w", encoding="utf-8")  # noqa: SIM115 (open for the process's life)
        self.inp = open(from_checker, encoding="utf-8")  # noqa: SIM115

    def send(self, **event: Any) -> None:
        self.out.write(json.dumps(event) + "\n")
        self.out.flush()

    def ask(self, **event: Any) -> dict[str, Any]:
        """Send `event` and wait for the checker's answer."""
        self.send(**event)
        line = self.inp.readline()
        if not line:  # the checker went away: nothing left to run for
            os._exit(0)
        answer: dict[str, Any] = json.loads(line)
        return answer


def number(value: Any) -> float | None:
    """A float from the script's scalar (a Value's data, or a number), or None."""
    value = getattr(value, "data", value)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def floats(values: Any) -> list[float] | None:
    """The numbers of a list of the script's scalars (`params`, `m`, `v`), or None if it is no such list."""
    if not isinstance(values, list):
        return None
    out = [number(x) for x in values]
    return None if any(x is None for x in out) else out  # type: ignore[return-value]


class Watcher:
    """Holds the script's globals and sends, with each step line, what the script holds then."""

    def __init__(self, channel: Channel, script_globals: dict[str, Any]) -> None:
        self.channel, self.g = channel, script_globals
        self.grads: list[float] | None = None
        self.initial: list[float] | None = None  # the weights before the first update
        self.hooked = False
        self.sent_order = False
        self.steps = 0
        self.resumed = time.perf_counter()  # when the script last ran on after the checker's answer

    def hook_backward(self) -> None:
        """Once `params` exists, wrap the script's `Value.backward` to keep each parameter's gradient as it
        leaves backward (microgpt's Adam loop sets them back to 0 before the step is printed)."""
        value_class, params = self.g.get("Value"), self.g.get("params")
        if self.hooked or not isinstance(value_class, type) or not isinstance(params, list):
            return
        original = getattr(value_class, "backward", None)
        if not callable(original):
            return
        watcher = self

        def backward(self: Any, *args: Any, **kwargs: Any) -> Any:
            params = watcher.g.get("params")
            if watcher.initial is None:  # the first backward comes before the first update: the initial weights
                watcher.initial = floats(params)
            result = original(self, *args, **kwargs)
            watcher.grads = floats([getattr(p, "grad", None) for p in params]) if isinstance(params, list) else None
            return result

        setattr(value_class, "backward", backward)  # noqa: B010 (the script's class, unknown to the checker)
        self.hooked = True

    def state(self) -> dict[str, Any]:
        g = self.g
        state: dict[str, Any] = {"loss": number(g.get("loss"))}
        params = g.get("params")
        state["params"] = floats(params)
        state["grads"] = self.grads
        state["m"], state["v"] = floats(g.get("m")), floats(g.get("v"))
        state["lr"] = number(g.get("lr_t"))
        if not self.sent_order:  # once: the documents in the order it trains on them, its characters, its start
            self.sent_order = True
            state["initial"] = self.initial
            docs, chars = g.get("docs"), g.get("uchars")
            state["docs"] = [str(d) for d in docs] if isinstance(docs, list) else None
            state["uchars"] = [str(c) for c in chars] if isinstance(chars, list) else None
        return state

    def line(self, text: str) -> None:
        """One line the script printed."""
        self.hook_backward()
        if STEP.match(text):
            self.steps += 1
            seconds = time.perf_counter() - self.resumed  # the script's own time since the last step line
            answer = self.channel.ask(kind="step", text=text, seconds=seconds, **self.state())
            self.grads = None
            while answer.get("do") == "probe":
                answer = self.channel.ask(kind="probe", **self.probe(answer["weights"], answer["tokens"]))
            if answer.get("do") == "stop":  # the checker has its verdict: end here, running none of the script's code
                self.channel.out.flush()
                os._exit(0)
            self.resumed = time.perf_counter()
        else:
            self.channel.send(kind="line", text=text)

    def probe(self, weights: list[float], tokens: list[int]) -> dict[str, Any]:
        """The script's own `gpt` run on `weights` over `tokens`: the logits at each position."""
        g = self.g
        try:
            for p, w in zip(g["params"], weights):
                p.data = w
            logits = []
            keys: list[list[Any]] = [[] for _ in range(g["n_layer"])]
            values: list[list[Any]] = [[] for _ in range(g["n_layer"])]
            for pos in range(min(int(g["block_size"]), len(tokens) - 1)):
                out = g["gpt"](tokens[pos], pos, keys, values)
                logits.append([number(x) for x in out])
            return {"logits": logits}
        except Exception as e:  # the script's gpt may not take microgpt's arguments
            return {"error": f"{type(e).__name__}: {e}"}

    def held_out(self, names: list[str]) -> dict[str, Any]:
        """The script's loss on each name, by its own `gpt` on its final weights (microgpt's mean of -log p)."""
        g = self.g
        try:
            uchars, bos, block = g["uchars"], g["BOS"], int(g["block_size"])
            losses = {}
            for name in names:
                tokens = [bos, *(uchars.index(ch) for ch in name[:block]), bos]
                keys: list[list[Any]] = [[] for _ in range(g["n_layer"])]
                values: list[list[Any]] = [[] for _ in range(g["n_layer"])]
                total = 0.0
                n = min(block, len(tokens) - 1)
                for pos in range(n):
                    logits = [number(x) for x in g["gpt"](tokens[pos], pos, keys, values)]
                    total += cross_entropy(logits, tokens[pos + 1])  # type: ignore[arg-type]
                losses[name] = total * (1 / n)
            return {"losses": losses}
        except Exception as e:
            return {"error": f"{type(e).__name__}: {e}"}


def cross_entropy(logits: list[float], target: int) -> float:
    """-log softmax(logits)[target], as microgpt computes it (shift by the max, exp, normalise)."""
    top = max(logits)
    exps = [math.exp(x - top) for x in logits]
    total = 0.0
    for e in exps:
        total += e
    p = exps[target] * total**-1
    return math.log(p) * -1 if p > 0 else math.inf


class LineWriter(io.TextIOBase):
    """The script's stdout: complete lines go to `each_line`."""

    def __init__(self, each_line: Callable[[str], None]) -> None:
        self.each_line, self.pending = each_line, ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.pending += text
        while "\n" in self.pending or "\r" in self.pending:  # (a progress line may end in \r)
            cut = min(i for i in (self.pending.find("\n"), self.pending.find("\r")) if i >= 0)
            line, self.pending = self.pending[:cut], self.pending[cut + 1 :]
            if line:
                self.each_line(line)
        return len(text)

    def flush_rest(self) -> None:
        if self.pending:
            line, self.pending = self.pending, ""
            self.each_line(line)


def refuse_network(channel: Channel) -> None:
    """Every way to reach the network raises NetworkRefused, and the checker hears of the first attempt."""

    def refused(*args: Any, **kwargs: Any) -> NoReturn:
        where = next((str(a) for a in args if isinstance(a, (str, tuple))), "the network")
        channel.send(kind="network", where=where)
        raise NetworkRefused(f"microgpt-tui check runs scripts offline: no connection to {where}")

    socket.getaddrinfo = refused
    socket.create_connection = refused
    socket.socket.connect = refused  # type: ignore[method-assign]
    socket.socket.connect_ex = refused  # type: ignore[method-assign]
    socket.socket.sendto = refused  # type: ignore[method-assign]


def script_traceback(error: BaseException, script: str) -> tuple[str, list[tuple[int, str]]]:
    """The traceback as the script's own (the frames before its first one are the harness's), and the
    (line, function) of each of its frames in the script, outermost first."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != script:
        tb = tb.tb_next
    frames = [(f.lineno or 0, f.name) for f in traceback.extract_tb(tb) if f.filename == script]
    text = "".join(traceback.format_exception(type(error), error, tb))
    return text, frames


def main(argv: list[str]) -> int:
    script, to_checker, from_checker = argv[0], int(argv[1]), int(argv[2])
    channel = Channel(to_checker, from_checker)
    refuse_network(channel)
    with open(script, "rb") as f:
        code = compile(f.read(), script, "exec")
    script_globals: dict[str, Any] = {"__name__": "__main__", "__file__": script, "__builtins__": builtins}
    watcher = Watcher(channel, script_globals)
    writer = LineWriter(watcher.line)
    # A microgpt keeps each step's graph (over a hundred thousand objects) alive until the next step, and at
    # Python's default thresholds the collector's full passes walk it again and again: more than half of the
    # script's time. A full pass after 100 middle ones instead of 10 leaves what the script computes and
    # prints the same; garbage in reference cycles (micrograd's closures) waits for it up to 700 x 10 x 100
    # allocations instead of 700 x 10 x 10 (some 65 MB more at the peak, for microgpt with a cycle per Value).
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 100)
    real_stdout: TextIO = sys.stdout
    sys.stdout = writer
    sys.argv = [script]
    try:
        exec(code, script_globals)
        writer.flush_rest()
    except SystemExit as stop:  # sys.exit(): 0 ends the script as reaching its end does
        writer.flush_rest()
        if stop.code not in (None, 0):
            channel.send(kind="exit", code=stop.code if isinstance(stop.code, int) else 1, message=str(stop.code))
            return 0
    except MemoryError:
        script_globals.clear()  # free what it held, to have room to say so
        channel.send(kind="memory")
        return 0
    except BaseException as error:  # the script's own error: its traceback, not ours
        writer.flush_rest()
        text, frames = script_traceback(error, script)
        if isinstance(error, NetworkRefused):
            return 0  # (already said)
        channel.send(kind="raised", error=type(error).__name__, message=str(error), traceback=text, frames=frames)
        return 0
    finally:
        sys.stdout = real_stdout
    answer = channel.ask(kind="done")
    while answer.get("do") == "held_out":
        answer = channel.ask(kind="held_out", **watcher.held_out(answer["names"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
