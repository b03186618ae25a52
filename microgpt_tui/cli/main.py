"""Provides `microgpt-tui` itself: reads the command, runs it, and turns every failure into an exit code.

Every bad input ends in one line on stderr and exit code 2 (3 when training
diverges), never a traceback, and never a clobbered file.
"""

import argparse
import random
import sys
from collections.abc import Sequence

from microgpt_engine import GPT, CheckpointError, Sampler, Tokenizer, Trainer, load_checkpoint, save_checkpoint
from microgpt_engine.printable import printable
from microgpt_tui.cli.headless import train_loop
from microgpt_tui.cli.launch import open_app
from microgpt_tui.cli.options import build_parser, make_trainer
from microgpt_tui.cli.outcomes import (
    EXIT_DIVERGED,
    EXIT_OUTPUT,
    EXIT_PIPE,
    EXIT_USAGE,
    PROG,
    OutputError,
    StdoutClosed,
    UsageError,
    complain,
    emit,
    exit_code_of,
    flush_stdout,
    signals_deferred,
    silence_stdout,
    stop_on_signals,
)
from microgpt_tui.cli.serve import serve


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (`sys.argv[1:]` unless given `argv`); returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
        if args.command in ("train", "sample"):
            stop_on_signals()  # SIGTERM and SIGHUP save what was trained, as Ctrl+C does
        status = run(args)
        flush_stdout()
        return status
    except UsageError as e:
        complain(f"{PROG}: error: {e}")
        return EXIT_USAGE
    except OutputError as e:
        silence_stdout()
        complain(f"{PROG}: error: {e}")
        return EXIT_OUTPUT
    except StdoutClosed:  # `| head -1`: the reader has what it wanted; end quietly, as Unix tools do
        silence_stdout()
        return EXIT_PIPE
    except KeyboardInterrupt as stop:
        complain(f"{PROG}: {'interrupted' if exit_code_of(stop) == 130 else 'terminated'}")
        return exit_code_of(stop)


def run(args: argparse.Namespace) -> int:
    if args.command == "sample":
        return cmd_sample(args)
    trainer, docs, data_name, extra = make_trainer(args)
    if args.command == "train":
        return cmd_train(args, trainer)
    if args.command == "serve":
        return serve(args)
    return open_app(args, trainer, docs, data_name, extra)


def cmd_train(args: argparse.Namespace, trainer: Trainer) -> int:
    if args.samples < 0:
        raise UsageError(f"--samples must be 0 or more, got {args.samples}")
    try:
        status = train_loop(trainer, plain=args.plain or not sys.stdout.isatty(), log_path=args.log)
    except (KeyboardInterrupt, UsageError, OutputError, StdoutClosed):
        if args.save:  # nothing lost: keep what was trained so far
            save(trainer, args.save)
        raise
    if args.save:
        save(trainer, args.save)
    if status == EXIT_DIVERGED:
        return EXIT_DIVERGED
    print_samples(trainer.model, trainer.tokenizer, trainer.rng, trainer.config.temperature, args.samples)
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    try:
        ckpt = load_checkpoint(args.load)
        temperature = ckpt.config.temperature if args.temperature is None else args.temperature
        if not temperature > 0:
            raise UsageError(f"temperature must be greater than 0, got {temperature}")
        if args.num < 1:
            raise UsageError(f"-n must be at least 1, got {args.num}")
        model, tokenizer, rng = ckpt.sampler_parts()
    except CheckpointError as e:
        raise UsageError(str(e)) from None
    print_samples(model, tokenizer, rng, temperature, args.num)
    return 0


def save(trainer: Trainer, path: str) -> None:
    try:
        with signals_deferred():  # an interrupted save would keep nothing and leave its temp file
            save_checkpoint(trainer, path)
    except CheckpointError as e:
        raise UsageError(str(e)) from None
    complain(f"saved step {trainer.step_count} to {path}")


def print_samples(model: GPT, tokenizer: Tokenizer, rng: random.Random, temperature: float, n: int) -> None:
    if n:
        emit(f"--- inference (new, hallucinated names, temperature {temperature}) ---")
    for i in range(n):
        try:
            name = Sampler(model, tokenizer, rng, temperature).run()
        except (ArithmeticError, ValueError) as e:  # weights that blew up without diverging
            complain(f"{PROG}: error: cannot sample: {e}")
            raise SystemExit(EXIT_DIVERGED) from None
        emit(f"sample {i + 1:2d}: {printable(name)}")  # the data's characters, escaped: never raw ESC or NUL
