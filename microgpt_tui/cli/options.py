"""Provides the options every command shares: the parser, the input checks, and the trainer they build.

Every bad input becomes a one-line `UsageError` here, before any training, and
no output path may be one of the run's inputs or a device.
"""

import argparse
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn

from microgpt_data import BUILT_IN
from microgpt_engine import CheckpointError, Config, ConfigError, Trainer, load_checkpoint, paths
from microgpt_engine.paths import PathError, named
from microgpt_tui import option_rules
from microgpt_tui.cli.outcomes import PROG, UsageError, complain
from microgpt_tui.option_rules import MAX_SAMPLES

DEFAULTS = Config()
# CLI option -> Config field, for the options that shape the model and its training.
HYPERPARAMETERS = {
    "n_embd": "n_embd",
    "n_head": "n_head",
    "n_layer": "n_layer",
    "block_size": "block_size",
    "steps": "steps",
    "lr": "lr",
    "seed": "seed",
}


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def rule(name: str) -> Callable[[str], int | float]:
    """The argparse type of the option `name`: option_rules.parse, the rule the settings dialog follows too."""

    def parse(text: str) -> int | float:
        try:
            return option_rules.parse(name, text)
        except option_rules.OptionError as e:
            raise argparse.ArgumentTypeError(str(e)) from None

    parse.__name__ = name
    return parse


def path(text: str) -> str:
    """The argparse type of every option that names a file: refused when empty (never taken as "not given")."""
    try:
        named(text, "the value")
    except PathError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    return text


def word(text: str) -> str:
    """The argparse type of a name (--host): refused when empty (an empty host listens on every address)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the value is empty")
    return text


def add_model_options(parser: argparse.ArgumentParser, subcommand: bool = False) -> None:
    """The options of the app, `train` and `serve`. On a subcommand their defaults are
    suppressed, so that `microgpt-tui --steps 5 train` keeps the 5 given before it."""
    if subcommand:
        parser.argument_default = argparse.SUPPRESS
    g = parser.add_argument_group("data and model")
    g.add_argument(
        "--data", metavar="FILE", type=path, help="one document per line, UTF-8 (default: the bundled names.txt)"
    )
    g.add_argument(
        "--dataset",
        choices=BUILT_IN,
        help="a dataset built in, instead of --data: names (the bundled names.txt) or copy (4-letter words, a bar, "
        "the word again: attention is needed to copy it)",
    )
    g.add_argument(
        "--seed", type=rule("seed"), help=f"seed for shuffling, initial weights and sampling (default {DEFAULTS.seed})"
    )
    g.add_argument(
        "--steps",
        type=rule("steps"),
        help=f"training steps; the learning rate decays linearly to 0 over them (default {DEFAULTS.steps}). "
        "With --load, more steps than the checkpoint's continue it: step t then uses lr x (1 - t/steps), "
        "so the added steps start at lr x (1 - done/steps) and decay to 0 at the new last step",
    )
    g.add_argument("--lr", type=rule("lr"), help=f"Adam learning rate (default {DEFAULTS.lr})")
    g.add_argument("--n-embd", type=rule("n_embd"), help=f"embedding width (default {DEFAULTS.n_embd})")
    g.add_argument(
        "--n-head",
        type=rule("n_head"),
        help=f"attention heads per layer, must divide --n-embd (default {DEFAULTS.n_head})",
    )
    g.add_argument(
        "--n-layer", type=rule("n_layer"), help=f"Transformer layers, 0 for none (default {DEFAULTS.n_layer})"
    )
    g.add_argument(
        "--block-size", type=rule("block_size"), help=f"longest context in tokens, >= 2 (default {DEFAULTS.block_size})"
    )
    g.add_argument(
        "--temperature", type=rule("temperature"), help=f"sampling temperature, > 0 (default {DEFAULTS.temperature})"
    )
    g.add_argument(
        "--engine",
        choices=["fused", "plain"],
        default=argparse.SUPPRESS if subcommand else "fused",
        help="autograd engine: fused (fast) or plain (one Value per scalar, the textbook form; slow)",
    )
    c = parser.add_argument_group("checkpoints")
    c.add_argument(
        "--load",
        metavar="CKPT",
        type=path,
        help="continue from this checkpoint (its config wins; conflicting options are refused)",
    )
    c.add_argument(
        "--save", metavar="CKPT", type=path, help="write a checkpoint here (atomically) when done or interrupted"
    )
    parser.argument_default = None


def installed_version() -> str:
    """The version pip installed (pyproject.toml's), or "unknown" when run from a copy never installed."""
    try:
        return metadata.version("microgpt-tui")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog=PROG,
        description="Watch a tiny GPT (microgpt: scalar autograd, one Transformer layer, Adam) learn, "
        "one step at a time. With no command, opens the terminal app.",
        epilog="Commands: 'train' trains headless and prints the loss, 'sample' draws names from a checkpoint, "
        "'serve' serves the app to a browser. '%(prog)s COMMAND --help' for each.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}")
    add_model_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)

    train = sub.add_parser(
        "train",
        help="train headless, print the loss, then samples",
        description="Train headless: prints 'step    1 / 1000 | loss 3.3563' lines (the defaults on the bundled "
        "names; microgpt's reference list of 32,033 names gives 3.3660) "
        "(a progress bar on a terminal unless --plain), then samples.",
    )
    add_model_options(train, subcommand=True)
    train.add_argument("--plain", action="store_true", help="print one line per step even on a terminal")
    train.add_argument(
        "--samples", type=rule("samples"), default=20, metavar="N", help="names to sample after training (default 20)"
    )
    train.add_argument(
        "--log", metavar="CSV", type=path, help="write every step's loss, lr and per-matrix stats to this CSV file"
    )

    sample = sub.add_parser(
        "sample",
        help="sample names from a checkpoint",
        description="Draw names from a saved model, continuing its RNG.",
    )
    sample.add_argument("--load", metavar="CKPT", type=path, required=True, help="the checkpoint to sample from")
    sample.add_argument(
        "-n",
        "--num",
        type=rule("num"),
        default=20,
        metavar="N",
        help=f"how many names, 1 to {MAX_SAMPLES:,} (default 20)",
    )
    sample.add_argument(
        "--temperature", type=rule("temperature"), help="sampling temperature, > 0 (default: the checkpoint's)"
    )

    serve = sub.add_parser(
        "serve",
        help="serve the app to a web browser on localhost",
        description="Serve the same app to a browser with textual-serve.",
    )
    add_model_options(serve, subcommand=True)
    serve.add_argument("--host", type=word, default="localhost", help="address to listen on (default localhost)")
    serve.add_argument("--port", type=rule("port"), default=8000, help="port (default 8000)")
    serve.add_argument(
        "--max-sessions",
        type=rule("max_sessions"),
        default=3,
        metavar="N",
        help="browser sessions at once, each an app (default 3)",
    )
    serve.add_argument(
        "--no-token",
        action="store_true",
        help="no random token in the URL (anyone on this machine who knows the port can open a session)",
    )
    return parser


def load_docs(path: str | None, dataset: str | None = None) -> tuple[list[str], str]:
    """The documents of --data, or of the built-in --dataset (default: the bundled names), and the name to show."""
    import microgpt_data

    if path and dataset:
        raise UsageError(f"--data {path} and --dataset {dataset} both name the data: give one of them")
    if dataset:
        return microgpt_data.built_in(dataset)
    file = Path(path) if path else microgpt_data.bundled_names_path()
    try:
        return microgpt_data.load_documents(file), file.name
    except microgpt_data.DataError as e:
        raise UsageError(str(e)) from None


def check_writable(path: str | None) -> None:
    """Refuse an unusable --save/--log path now, not after an hour of training."""
    if path is not None:
        try:
            paths.check_writable(path)
        except PathError as e:
            raise UsageError(str(e)) from None


def check_distinct(args: argparse.Namespace) -> None:
    """Refuse to write over the files a run reads, or one output over another."""

    def same(a: str | None, b: str | None) -> bool:
        return a is not None and b is not None and paths.same_file(a, b)

    log = getattr(args, "log", None)
    for name, other in (("--data", args.data), ("--load", args.load), ("--save", args.save)):
        if same(log, other):
            raise UsageError(f"--log {log} is the same file as {name}: it would be overwritten")
    if same(args.save, args.data):
        raise UsageError(f"--save {args.save} is the same file as --data: it would be overwritten")


def make_trainer(args: argparse.Namespace) -> tuple[Trainer, list[str], str, dict[str, Any]]:
    """The trainer the options ask for (new, or resumed from --load), its documents, the data's name and
    what else the checkpoint carries (its loss curve and run, unparsed; {} for a new run)."""
    extra: dict[str, Any] = {}
    check_distinct(args)
    docs, data_name = load_docs(args.data, getattr(args, "dataset", None))
    check_writable(args.save)
    check_writable(getattr(args, "log", None))
    given = {field: getattr(args, opt) for opt, field in HYPERPARAMETERS.items() if getattr(args, opt) is not None}
    if args.temperature is not None:
        given["temperature"] = args.temperature
    try:
        if args.load:
            ckpt = load_checkpoint(args.load)
            extend = given.get("steps")
            if extend is not None and extend > ckpt.config.steps:
                del given["steps"]  # continuing: more steps than the checkpoint planned (retarget, below)
            for field, value in given.items():
                saved = getattr(ckpt.config, field)
                if value != saved and field != "temperature":
                    flag = "--" + field.replace("_", "-")
                    raise UsageError(f"{flag} {value} conflicts with the checkpoint's {field} {saved} ({args.load})")
            trainer = ckpt.restore(docs)
            extra = ckpt.extra
            if extend is not None and extend > ckpt.config.steps:
                trainer.retarget(steps=extend)  # the same linear decay, re-drawn to reach 0 at the new last step
            if not ckpt.same_data(docs):
                note = (
                    f"{args.load} was trained on other data ({ckpt.data['count']:,} documents); "
                    f"continuing on {data_name} ({len(docs):,})"
                )
                complain(f"{PROG}: note: {note}")
                args.notes = [*getattr(args, "notes", []), note]  # (the app shows them too: stderr is behind it)
            if "temperature" in given:
                trainer.config = Config(**{**trainer.config.to_dict(), "temperature": given["temperature"]}).validate()
        else:
            config = Config(**given).validate()
            trainer = Trainer(docs, config, engine=args.engine)
    except (ConfigError, CheckpointError) as e:
        raise UsageError(str(e)) from None
    except TypeError as e:  # a non-number that slipped past argparse
        raise UsageError(str(e)) from None
    trainer.engine = args.engine
    return trainer, docs, data_name, extra
