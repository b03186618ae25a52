"""Provides `quiet_child`: how a child process forked from the app begins its work.

A fork copies the app's signal handlers and its terminal. A terminal's SIGINT or SIGHUP reaches the whole
process group: the app saves and restores the terminal, so the child only ends; and nothing the child
prints may land over the app's screen.
"""

import os
import signal


def quiet_child() -> None:
    """Default signal handlers, and stdout and stderr to /dev/null."""
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
