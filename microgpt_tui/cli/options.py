"""Provides the options every command shares: the parser, the input checks, and the trainer they build.

Every bad input becomes a one-line `UsageError` here, before any training, and
no output path may be one of the run's inputs or a device.
"""

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from microgpt_data import BUILT_IN
from microgpt_engine import CheckpointError, Config, ConfigError, Trainer, load_checkpoint, paths
from microgpt_engine.paths import PathError, named
from microgpt_tui import option_rules
from microgpt_tui.checker.script_run import as_checkpoint
from microgpt_tui.cli.help_format import CellFormatter
from microgpt_tui.cli.language_option import add_option
from microgpt_tui.cli.outcomes import PROG, UsageError, complain
from microgpt_tui.engine_errors import said
from microgpt_tui.language import N_, _
from microgpt_tui.option_rules import MAX_SAMPLES, SVG_FRAMES

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
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", CellFormatter)  # (a Chinese character takes two cells)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(_("{message} (see '{prog} --help')").format(message=message, prog=self.prog))


def rule(name: str) -> Callable[[str], int | float]:
    """The argparse type of the option `name`: option_rules.parse, the rule the settings dialog follows too."""

    def parse(text: str) -> int | float:
        try:
            return option_rules.parse(name, text)
        except option_rules.OptionError as e:
            raise argparse.ArgumentTypeError(said(e)) from None

    parse.__name__ = name
    return parse


def path(text: str) -> str:
    """The argparse type of every option that names a file: refused when empty (never taken as "not given")."""
    try:
        named(text, N_("the value"))
    except PathError as e:
        raise argparse.ArgumentTypeError(said(e)) from None
    return text


def word(text: str) -> str:
    """The argparse type of a name (--host): refused when empty (an empty host listens on every address)."""
    if not text.strip():
        raise argparse.ArgumentTypeError(_("the value is empty"))
    return text


def add_model_options(parser: argparse.ArgumentParser, subcommand: bool = False) -> None:
    """The options of the app, `train` and `serve`. On a subcommand their defaults are
    suppressed, so that `microgpt-tui --steps 5 train` keeps the 5 given before it."""
    if subcommand:
        parser.argument_default = argparse.SUPPRESS
    g = parser.add_argument_group(_("data and model"))
    g.add_argument(
        "--data", metavar="FILE", type=path, help=_("one document per line, UTF-8 (default: the bundled names.txt)")
    )
    g.add_argument(
        "--dataset",
        choices=BUILT_IN,
        help=_(
            "a dataset built in, instead of --data: names (the bundled names.txt) or copy (4-letter words, a bar, "
            "the word again: attention is needed to copy it)"
        ),
    )
    g.add_argument(
        "--seed",
        type=rule("seed"),
        help=_("seed for shuffling, initial weights and sampling (default {default})").format(default=DEFAULTS.seed),
    )
    g.add_argument(
        "--steps",
        type=rule("steps"),
        help=_(
            "training steps; the learning rate decays linearly to 0 over them (default {default}). "
            "With --load, more steps than the checkpoint's continue it: step t then uses lr x (1 - t/steps), "
            "so the added steps start at lr x (1 - done/steps) and decay to 0 at the new last step"
        ).format(default=DEFAULTS.steps),
    )
    g.add_argument(
        "--lr", type=rule("lr"), help=_("Adam learning rate (default {default})").format(default=DEFAULTS.lr)
    )
    g.add_argument(
        "--n-embd", type=rule("n_embd"), help=_("embedding width (default {default})").format(default=DEFAULTS.n_embd)
    )
    g.add_argument(
        "--n-head",
        type=rule("n_head"),
        help=_("attention heads per layer, must divide --n-embd (default {default})").format(default=DEFAULTS.n_head),
    )
    g.add_argument(
        "--n-layer",
        type=rule("n_layer"),
        help=_("Transformer layers, 0 for none (default {default})").format(default=DEFAULTS.n_layer),
    )
    g.add_argument(
        "--block-size",
        type=rule("block_size"),
        help=_("longest context in tokens, >= 2 (default {default})").format(default=DEFAULTS.block_size),
    )
    g.add_argument(
        "--temperature",
        type=rule("temperature"),
        help=_("sampling temperature, > 0 (default {default})").format(default=DEFAULTS.temperature),
    )
    g.add_argument(
        "--engine",
        choices=["fused", "plain"],
        default=argparse.SUPPRESS if subcommand else "fused",
        help=_("autograd engine: fused (fast) or plain (one Value per scalar, the textbook form; slow)"),
    )
    c = parser.add_argument_group(_("checkpoints"))
    c.add_argument(
        "--load",
        metavar="CKPT",
        type=path,
        help=_("continue from this checkpoint (its config wins; conflicting options are refused)"),
    )
    c.add_argument(
        "--save", metavar="CKPT", type=path, help=_("write a checkpoint here (atomically) when done or interrupted")
    )
    parser.argument_default = None


def installed_version() -> str:
    """The version pip installed (pyproject.toml's), or "unknown" when run from a copy never installed."""
    from importlib import metadata  # (a sixth of a command's start: only --version and the app need it)

    try:
        return metadata.version("microgpt-tui")
    except metadata.PackageNotFoundError:
        return "unknown"


class VersionAction(argparse._VersionAction):
    """argparse's --version, which looks the version up only when asked."""

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        self.version = f"%(prog)s {installed_version()}"
        super().__call__(parser, *args, **kwargs)


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog=PROG,
        description=_(
            "Watch a tiny GPT (microgpt: scalar autograd, one Transformer layer, Adam) learn, "
            "one step at a time. With no command, opens the terminal app."
        ),
        epilog=_(
            "Commands: 'train' trains headless and prints the loss, 'sample' draws names from a checkpoint, "
            "'serve' serves the app to a browser, 'check' checks your own microgpt.py, 'play' replays a "
            "recording, 'export' writes one as an asciicast or an animated SVG. '%(prog)s COMMAND --help' for each."
        ),
    )
    parser.add_argument(
        "--version",
        action=VersionAction,
        help=_("show program's version number and exit"),  # (argparse's own is English, fixed when it loads)
    )
    add_option(parser)
    add_model_options(parser)
    r = parser.add_argument_group(_("record and share"))
    r.add_argument(
        "--record",
        metavar="FILE",
        type=path,
        help=_("record the session (settings, data, every key with its time) to FILE; 'play FILE' replays it"),
    )
    r.add_argument(
        "--open", metavar="CODE", help=_("open the screen a code shared (ctrl+l in the app) by training to its step")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)

    train = sub.add_parser(
        "train",
        help=_("train headless, print the loss, then samples"),
        description=_(
            "Train headless: prints 'step    1 / 1000 | loss 3.3563' lines (the defaults on the bundled "
            "names; microgpt's reference list of 32,033 names gives 3.3660) "
            "(a progress bar on a terminal unless --plain), then samples."
        ),
    )
    add_model_options(train, subcommand=True)
    add_option(train, subcommand=True)
    train.add_argument("--plain", action="store_true", help=_("print one line per step even on a terminal"))
    train.add_argument(
        "--samples",
        type=rule("samples"),
        default=20,
        metavar="N",
        help=_("names to sample after training (default 20)"),
    )
    train.add_argument(
        "--log", metavar="CSV", type=path, help=_("write every step's loss, lr and per-matrix stats to this CSV file")
    )

    sample = sub.add_parser(
        "sample",
        help=_("sample names from a checkpoint"),
        description=_("Draw names from a saved model, continuing its RNG."),
    )
    add_option(sample, subcommand=True)
    sample.add_argument("--load", metavar="CKPT", type=path, required=True, help=_("the checkpoint to sample from"))
    sample.add_argument(
        "-n",
        "--num",
        type=rule("num"),
        default=20,
        metavar="N",
        help=_("how many names, 1 to {most} (default 20)").format(most=f"{MAX_SAMPLES:,}"),
    )
    sample.add_argument(
        "--temperature", type=rule("temperature"), help=_("sampling temperature, > 0 (default: the checkpoint's)")
    )

    play = sub.add_parser(
        "play",
        help=_("replay a recording (--record FILE, or ctrl+r in the app)"),
        description=_(
            "Reopen the app on a recording's settings and data and play its keys back: the same screens. "
            "While it plays, space pauses, '.' plays the next key, + and - change the speed, q ends it; saves and "
            "exports go to a temporary folder, never over your files."
        ),
    )
    play.add_argument("file", metavar="FILE", type=path, help=_("the recording"))
    play.add_argument(
        "--data",
        metavar="FILE",
        type=path,
        default=argparse.SUPPRESS,  # (given before 'play' too)
        help=_("the data file the recording was made on, if not the bundled names"),
    )
    play.add_argument(
        "--speed", type=rule("speed"), default=1.0, help=_("times the recorded pace (default 1; 0: as fast as it goes)")
    )
    play.add_argument(
        "--seek-key", type=rule("seek_key"), metavar="N", help=_("play at once up to the N-th key, then pause there")
    )
    play.add_argument(
        "--seek-step",
        type=rule("seek_step"),
        metavar="S",
        help=_("play at once until training reached step S, then pause"),
    )

    serve = sub.add_parser(
        "serve",
        help=_("serve the app to a web browser on localhost"),
        description=_("Serve the same app to a browser with textual-serve."),
    )
    add_model_options(serve, subcommand=True)
    add_option(serve, subcommand=True)
    serve.add_argument("--host", type=word, default="localhost", help=_("address to listen on (default localhost)"))
    serve.add_argument("--port", type=rule("port"), default=8000, help=_("port (default 8000)"))
    serve.add_argument(
        "--max-sessions",
        type=rule("max_sessions"),
        default=3,
        metavar="N",
        help=_("browser sessions at once, each an app (default 3)"),
    )
    serve.add_argument(
        "--no-token",
        action="store_true",
        help=_("no random token in the URL (anyone on this machine who knows the port can open a session)"),
    )
    add_check_parser(sub)
    export = sub.add_parser(
        "export",
        help=_("export a recording as an asciicast or an animated SVG, a run's loss curve as an animation"),
        description=_(
            "Replay a recording (--record FILE) without a terminal and write its screens: as an asciicast "
            "(asciinema plays it) and as an animated SVG for slides and web pages; or write a run's loss curve, step "
            "by step, as an animated SVG (from the recording's replay, or from a checkpoint the runs screen saved "
            "with its curve). Exports never replace a file."
        ),
    )
    export.add_argument("recording", nargs="?", type=path, metavar="RECORDING", help=_("the recording to replay"))
    export.add_argument("--cast", metavar="OUT", type=path, help=_("write the screens as an asciicast v2 file"))
    export.add_argument("--svg", metavar="OUT", type=path, help=_("write the screens as an animated SVG"))
    export.add_argument(
        "--frames",
        type=rule("frames"),
        default=SVG_FRAMES,
        metavar="N",
        help=_("frames of the SVGs, spread evenly over the recording or the run (default {default})").format(
            default=SVG_FRAMES
        ),
    )
    export.add_argument("--loss", metavar="OUT", type=path, help=_("write the run's loss curve as an animated SVG"))
    export.add_argument(
        "--data",
        metavar="FILE",
        type=path,
        default=argparse.SUPPRESS,  # (given before 'export' too)
        help=_("the data file the recording was made on, if not the bundled names"),
    )
    export.add_argument("--load", metavar="CKPT", type=path, help=_("a checkpoint carrying its loss curve (--loss)"))
    return parser


def add_check_parser(sub: Any) -> None:
    check = sub.add_parser(
        "check",
        help=_("run your own microgpt.py beside microgpt and find the first number that differs"),
        description=_(
            "Run a single-file microgpt.py (yours: re-typed, edited, extended) in a fresh folder holding "
            "the data as input.txt, beside microgpt's run for the same settings (read from the file), and report "
            "the first figure that differs: the step, the matrix or position, both values and the part of the "
            "code. Exit status as diff's: 0 identical, 1 it differs, 2 it could not be checked."
        ),
    )
    check.add_argument("file", metavar="FILE.py", type=path, help=_("the script to check"))
    check.add_argument(
        "--data",
        metavar="FILE",
        type=path,
        default=argparse.SUPPRESS,
        help=_("the documents, one per line, given to the script as input.txt (default: the bundled names.txt)"),
    )
    check.add_argument(
        "--steps",
        type=rule("check_steps"),
        default=argparse.SUPPRESS,
        metavar="N",
        help=_("compare its first N steps (default: all of them, then its samples)"),
    )
    check.add_argument(
        "--compare",
        action="store_true",
        help=_(
            "an intended change: run its whole training and compare its loss curve with microgpt's, also on "
            "held-out names; both runs are kept as files the app's runs screen (w) loads and compares (c)"
        ),
    )
    check.add_argument(
        "--time-limit",
        type=rule("time_limit"),
        metavar="SECONDS",
        help=_("stop the script after this long (default: 60 s + 3 s a step, + 5 min for --compare's held-out names)"),
    )
    check.add_argument(
        "--memory-limit", type=rule("memory_limit"), default=2048, metavar="MB", help=_("its memory (default 2048 MB)")
    )


def load_docs(path: str | None, dataset: str | None = None) -> tuple[list[str], str]:
    """The documents of --data, or of the built-in --dataset (default: the bundled names), and the name to show."""
    import microgpt_data

    if path and dataset:
        raise UsageError(
            _("--data {path} and --dataset {dataset} both name the data: give one of them").format(
                path=path, dataset=dataset
            )
        )
    if dataset:
        return microgpt_data.built_in(dataset)
    file = Path(path) if path else microgpt_data.bundled_names_path()
    try:
        return microgpt_data.load_documents(file), file.name
    except microgpt_data.DataError as e:
        raise UsageError(said(e)) from None


def check_writable(path: str | None) -> None:
    """Refuse an unusable --save/--log path now, not after an hour of training."""
    if path is not None:
        try:
            paths.check_writable(path)
        except PathError as e:
            raise UsageError(said(e)) from None


def check_distinct(args: argparse.Namespace) -> None:
    """Refuse to write over the files a run reads, or one output over another."""

    def same(a: str | None, b: str | None) -> bool:
        return a is not None and b is not None and paths.same_file(a, b)

    log = getattr(args, "log", None)
    for name, other in (("--data", args.data), ("--load", args.load), ("--save", args.save)):
        if same(log, other):
            raise UsageError(
                _("--log {log} is the same file as {option}: it would be overwritten").format(log=log, option=name)
            )
        if same(getattr(args, "record", None), other):
            raise UsageError(
                _("--record {record} is the same file as {option}: it would be overwritten").format(
                    record=args.record, option=name
                )
            )
    if same(args.save, args.data):
        raise UsageError(_("--save {save} is the same file as --data: it would be overwritten").format(save=args.save))


def make_trainer(args: argparse.Namespace) -> tuple[Trainer, list[str], str, dict[str, Any]]:
    """The trainer the options ask for (new, or resumed from --load), its documents, the data's name and
    what else the checkpoint carries (its loss curve and run, unparsed; {} for a new run)."""
    extra: dict[str, Any] = {}
    check_distinct(args)
    docs, data_name = load_docs(args.data, getattr(args, "dataset", None))
    check_writable(args.save)
    check_writable(getattr(args, "log", None))
    check_writable(getattr(args, "record", None))
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
                    raise UsageError(
                        _("{flag} {value} conflicts with the checkpoint's {field} {saved} ({load})").format(
                            flag=flag, value=value, field=field, saved=saved, load=args.load
                        )
                    )
            trainer = ckpt.restore(docs)
            extra = ckpt.extra
            if extend is not None and extend > ckpt.config.steps:
                trainer.retarget(steps=extend)  # the same linear decay, re-drawn to reach 0 at the new last step
            if not ckpt.same_data(docs):
                note = _("{load} was trained on other data ({count} documents); continuing on {data} ({now})").format(
                    load=args.load, count=f"{ckpt.data['count']:,}", data=data_name, now=f"{len(docs):,}"
                )
                complain(_("{prog}: note: {message}").format(prog=PROG, message=note))
                args.notes = [*getattr(args, "notes", []), note]  # (the app shows them too: stderr is behind it)
            if "temperature" in given:
                trainer.config = Config(**{**trainer.config.to_dict(), "temperature": given["temperature"]}).validate()
        else:
            config = Config(**given).validate()
            trainer = Trainer(docs, config, engine=args.engine)
    except (ConfigError, CheckpointError) as e:
        raise UsageError(as_checkpoint(args.load, e) if args.load else said(e)) from None
    except TypeError as e:  # a non-number that slipped past argparse
        raise UsageError(said(e)) from None
    trainer.engine = args.engine
    return trainer, docs, data_name, extra
