"""Provides `microgpt-tui` itself: reads the command, runs it, and turns every failure into an exit code.

Every bad input ends in one line on stderr and exit code 2 (3 when training
diverges), never a traceback, and never a clobbered file.
"""

import argparse
import random
import sys
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from typing import Any

from microgpt_engine import (
    GPT,
    CheckpointError,
    ConfigError,
    Sampler,
    Tokenizer,
    Trainer,
    load_checkpoint,
    save_checkpoint,
)
from microgpt_engine.printable import printable
from microgpt_tui.checker.script_run import as_checkpoint
from microgpt_tui.cli import language_option
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
    survive_any_encoding,
)
from microgpt_tui.engine_errors import said
from microgpt_tui.language import _

# A command imports what it runs when it runs (the app, the server, a replay, an export, the training loop):
# one that ends early, as every refused input does, starts in about half the time.


def open_app(
    args: argparse.Namespace, trainer: Trainer, docs: list[str], data_name: str, extra: Mapping[str, Any]
) -> int:
    from microgpt_tui.cli import launch

    return launch.open_app(args, trainer, docs, data_name, extra)


def serve(args: argparse.Namespace) -> int:
    from microgpt_tui.cli import serve as server

    return server.serve(args)


def train_loop(trainer: Trainer, plain: bool = True, log_path: str | None = None) -> int:
    from microgpt_tui.cli import headless

    return headless.train_loop(trainer, plain=plain, log_path=log_path)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (`sys.argv[1:]` unless given `argv`); returns the exit code."""
    survive_any_encoding()
    language_option.start(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        if args.command in ("train", "sample", "check"):
            stop_on_signals()  # SIGTERM and SIGHUP save what was trained (or end the checked script), as Ctrl+C does
        status = run(args)
        flush_stdout()
        return status
    except UsageError as e:
        complain(_("{prog}: error: {message}").format(prog=PROG, message=e))
        return EXIT_USAGE
    except OutputError as e:
        silence_stdout()
        complain(_("{prog}: error: {message}").format(prog=PROG, message=e))
        return EXIT_OUTPUT
    except StdoutClosed:  # `| head -1`: the reader has what it wanted; end quietly, as Unix tools do
        silence_stdout()
        return EXIT_PIPE
    except KeyboardInterrupt as stop:
        ended = _("{prog}: interrupted") if exit_code_of(stop) == 130 else _("{prog}: terminated")
        complain(ended.format(prog=PROG))
        return exit_code_of(stop)


def run(args: argparse.Namespace) -> int:
    if args.command == "sample":
        return cmd_sample(args)
    if args.command == "check":
        from microgpt_tui.cli.check import cmd_check

        return cmd_check(args)
    if args.command == "export":
        from microgpt_tui.cli.export import cmd_export

        return cmd_export(args)
    if args.command == "play":
        from microgpt_tui.cli.recording import play

        return play(args)
    if args.command is None or args.record is not None or args.open is not None:  # (train and serve: neither)
        from microgpt_tui.cli.recording import apply_code, check_app_only, identity

        check_app_only(args)
        if args.open is not None:
            args.code = apply_code(args)
        if args.command is None:
            args.identity = identity(args.data)  # (what a recording or a code names the data by)
    trainer, docs, data_name, extra = make_trainer(args)
    if args.command == "train":
        return cmd_train(args, trainer)
    if args.command == "serve":
        return serve(args)
    return open_app(args, trainer, docs, data_name, extra)


def cmd_train(args: argparse.Namespace, trainer: Trainer) -> int:
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
    samples = args.samples
    print_samples(trainer.model, trainer.tokenizer, trainer.rng, trainer.config.temperature, samples, trainer.docs)
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    try:
        ckpt = load_checkpoint(args.load)
        temperature = ckpt.config.temperature if args.temperature is None else args.temperature
        replace(ckpt.config, temperature=temperature).validate()  # the rule `train` and the app follow
        model, tokenizer, rng = ckpt.sampler_parts()
    except (CheckpointError, ConfigError) as e:
        raise UsageError(as_checkpoint(args.load, e)) from None
    print_samples(model, tokenizer, rng, temperature, args.num)
    return 0


def save(trainer: Trainer, path: str) -> None:
    try:
        with signals_deferred():  # an interrupted save would keep nothing and leave its temp file
            save_checkpoint(trainer, path)
    except CheckpointError as e:
        raise UsageError(said(e)) from None
    complain(_("saved step {step} to {path}").format(step=trainer.step_count, path=path))


def print_samples(
    model: GPT, tokenizer: Tokenizer, rng: random.Random, temperature: float, n: int, docs: Collection[str] = ()
) -> None:
    """`n` names drawn at `temperature`; with the training `docs`, those in them are marked (not new names)."""
    data = set(docs)
    if n:  # (microgpt says "new, hallucinated names": a sample can be a name of the data, drawn again)
        header = (
            _(
                "--- inference (names drawn at temperature {temperature}; "
                "'(in the data)': a name of the training data) ---"
            )
            if data
            else _("--- inference (names drawn at temperature {temperature}; not checked against any data) ---")
        )
        emit(header.format(temperature=temperature))
    for i in range(n):
        try:
            name = Sampler(model, tokenizer, rng, temperature).run()
        except (ArithmeticError, ValueError) as e:  # weights that blew up without diverging
            complain(_("{prog}: error: cannot sample: {message}").format(prog=PROG, message=e))
            raise SystemExit(EXIT_DIVERGED) from None
        mark = "  " + _("(in the data)") if name in data else ""
        emit(f"sample {i + 1:2d}: {printable(name)}{mark}")  # the data's characters, escaped: never raw ESC or NUL
