"""Provides the ladder: microgpt built up rung by rung, each rung trained to its end and measured on held-out names.

A rung is a `Config` (no block, no attention, microgpt, bigger…) or the
bigram count table (`config` None). `climb` trains one rung on its own
trainer and measures it as the runs screen does (`held_out.py`): the mean
loss over the held-out names its steps never trained on. The count table is
measured the same way: counted over the names the other rungs trained on
(the first `steps` of the same seeded shuffle), add-one smoothed so that a
pair it never saw costs a finite loss.

`climb_apart` does the same in a child process (as time travel's replays
do, replay_process.py): the app's trainer keeps its core and its lock.
"""

from __future__ import annotations

import math
import os
import signal
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..config import Config
from ..tokenizer import Tokenizer
from ..train import Trainer
from .child import quiet_child
from .held_out import HELD_OUT, held_out_names, loss_on_unseen, name_losses, trained_names, training_order
from .history import RunHistory
from .replay_process import POLL, _processes
from .timetravel import Snapshot, capture


@dataclass(frozen=True)
class Rung:
    name: str
    config: Config | None  # None: the bigram count table (no weights, no training)
    steps: int = 1000  # (the count table: the names it counts, as the trained rungs' steps)
    held: int = HELD_OUT  # the held-out names it is measured on (the runs screen's set)


@dataclass(frozen=True)
class Climbed:
    """One rung, trained to its end and measured."""

    rung: Rung
    params: int  # parameters (the count table: its cells, vocab x vocab)
    held_out: float | None  # mean loss on the held-out names the rung never trained on
    unseen: int  # how many names that is
    last100: float | None  # mean training loss of its last 100 steps (None: the count table)
    history: RunHistory | None = None  # its loss curve (None: the count table)
    final: Snapshot | None = None  # its weights and Adam state at the end
    rng: tuple[Any, ...] | None = None  # its RNG then (samples continue from it, as in microgpt)
    pid: int = 0  # the process that trained it (climb_apart: a child, not the app)


def pair_losses(counted: Sequence[str], tokenizer: Tokenizer, names: Sequence[str], block: int) -> dict[str, float]:
    """Each name's loss under the bigram table of `counted`, add-one smoothed over the vocabulary."""
    pairs: Counter[tuple[int, int]] = Counter()
    following: Counter[int] = Counter()
    for doc in counted:
        tokens = tokenizer.document(doc[:block])
        pairs.update(zip(tokens, tokens[1:]))
        following.update(tokens[:-1])
    vocab = tokenizer.vocab_size
    losses = {}
    for name in names:
        tokens = tokenizer.document(name[:block])
        nll = [-math.log((pairs[a, b] + 1) / (following[a] + vocab)) for a, b in zip(tokens, tokens[1:])]
        losses[name] = math.fsum(nll) / len(nll)
    return losses


def climb(docs: Sequence[str], rung: Rung, seed: int = 42, cancelled: Callable[[], bool] = lambda: False) -> Climbed:
    """Train `rung` on `docs` to its last step (or until cancelled) and measure it on the held-out names."""
    names = held_out_names(docs, rung.held)
    if rung.config is None:
        tokenizer = Tokenizer.from_documents(docs)
        order = training_order(docs, seed)
        counted = order[: rung.steps]
        losses = pair_losses(counted, tokenizer, names, Config().block_size)
        held, unseen = loss_on_unseen(losses, [trained_names(order, rung.steps)])
        return Climbed(rung, tokenizer.vocab_size**2, held, unseen, None, pid=os.getpid())
    trainer = Trainer(list(docs), rung.config)
    history = RunHistory(trainer.model.shapes)
    while not trainer.done and not cancelled():
        history.append(trainer.step())
    losses = name_losses(trainer.model, trainer.tokenizer, names)
    held, unseen = loss_on_unseen(losses, [trained_names(trainer.docs, trainer.step_count)])
    tail = history.losses[-100:]
    return Climbed(
        rung,
        trainer.model.num_params,
        held,
        unseen,
        math.fsum(tail) / len(tail) if tail else None,
        history,
        capture(trainer),
        trainer.rng.getstate(),
        os.getpid(),
    )


def _child(conn: Any, docs: Sequence[str], rung: Rung, seed: int) -> None:
    quiet_child()
    try:
        result: Climbed | str = climb(docs, rung, seed)
    except Exception as exc:  # (told to the app, which says it)
        result = f"{rung.name} failed: {type(exc).__name__}: {exc}"
    try:
        conn.send(result)
        conn.close()
    except OSError:
        pass


def climb_apart(
    docs: Sequence[str],
    rung: Rung,
    seed: int = 42,
    cancelled: Callable[[], bool] = lambda: False,
    held: Callable[[], bool] = lambda: False,
) -> Climbed | None:
    """`climb` in a child process; None if cancelled first. Where no process can be forked, on this thread.

    While `held()` is true (the app's live run is training) the child is stopped (SIGSTOP), and goes on when it
    turns false: on a busy machine a rung would otherwise take the live run's CPU time.
    """
    try:
        context = _processes()
        here, there = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(there, docs, rung, seed), daemon=True)
        child.start()
    except (OSError, ValueError):
        return None if cancelled() else climb(docs, rung, seed, cancelled)
    there.close()
    stopped = False
    try:
        while not here.poll(POLL):
            if cancelled():
                return None
            if held() != stopped and child.pid is not None and hasattr(signal, "SIGSTOP"):
                stopped = not stopped
                os.kill(child.pid, signal.SIGSTOP if stopped else signal.SIGCONT)
            if not child.is_alive() and not here.poll(0):
                raise RuntimeError(f"{rung.name}: its process ended early (exit code {child.exitcode})")
        try:
            result = here.recv()
        except EOFError:
            raise RuntimeError(f"{rung.name}: its process ended early (exit code {child.exitcode})") from None
        if isinstance(result, str):
            raise RuntimeError(result)
        return result
    finally:
        here.close()
        if child.is_alive():
            child.kill()  # (a stopped process dies of SIGKILL too)
        child.join(5)
