"""Provides `--lang`: the language of every command's output, chosen before the parser is built.

The parser's help is written in the language it is built in, so `--lang` is read from the arguments first
(the parser knows it too, to show and check it). Without it: the language last chosen in the app
(user_state.py's file), else the locale (language.from_environment). argparse's own words ("usage:",
"options", its errors) come from its gettext domain, which the app does not install: they are in the
app's catalog, listed below so the extractor finds them, and argparse is pointed at the app's `_`.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path

from microgpt_tui import language, user_state
from microgpt_tui.language import N_

ARGPARSE_WORDS = (  # argparse's messages the commands can print (their msgids are argparse's own)
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
)


def given_lang(argv: Sequence[str]) -> str | None:
    """The value of `--lang` in `argv` (the last one given), or None."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found


def choose(argv: Sequence[str], state_path: Path | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to run in: --lang, else the one chosen last in the app, else the locale's."""
    given = given_lang(argv)
    if given in language.LANGUAGES:
        return given
    saved = user_state.load(state_path or user_state.default_path()).get("language")
    if saved in language.LANGUAGES:
        return str(saved)
    return language.from_environment(environ)


def start(argv: Sequence[str]) -> None:
    """Set the language for this run (before any parser is built), argparse's words included."""
    language.set_language(choose(argv))
    argparse._ = language._  # type: ignore[attr-defined]  # (argparse calls its module-level `_` each time)


def add_option(parser: argparse.ArgumentParser, subcommand: bool = False) -> None:
    parser.add_argument(
        "--lang",
        choices=language.LANGUAGES,
        default=argparse.SUPPRESS if subcommand else None,
        help=language._(
            "the language of the app and of what the commands print: en or zh (default: the last "
            "chosen in the app, else the locale's: LANGUAGE, LC_ALL, LC_MESSAGES, LANG)"
        ),
    )
