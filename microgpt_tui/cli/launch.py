"""Provides the way from the command line into the Textual app.

The only CLI module that imports the app, and only when it opens it, so that
`microgpt-tui train` and `sample` never import textual.
"""

import argparse
import sys
from pathlib import Path

from microgpt_engine import Trainer

from .outcomes import UsageError


def open_app(args: argparse.Namespace, trainer: Trainer, docs: list[str], data_name: str) -> int:
    """Run the app in this terminal; without one, explain instead of hanging."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the app needs a terminal; for headless training use 'microgpt-tui train'")
    return launch_app(args, trainer, docs, data_name)


def launch_app(args: argparse.Namespace, trainer: Trainer, docs: list[str], data_name: str) -> int:
    """Run the app (in a terminal, or under textual-serve's web driver)."""
    from ..app import MicroGPTApp

    save_path = Path(args.save or args.load or "microgpt-checkpoint.json")
    loaded_from = Path(args.load) if args.load else None
    app = MicroGPTApp(
        trainer, dataset_name=data_name, save_path=save_path, docs=docs, offer_tour=True, loaded_from=loaded_from
    )
    app.run()
    return 0
