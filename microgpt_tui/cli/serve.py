"""Provides `microgpt-tui serve`: the same app in a web browser, through textual-serve.

textual-serve starts one app process per browser connection (each with its own
model and training) and talks to it through pipes with Textual's web driver,
not through a terminal. So the command it runs is `python -m microgpt_tui.cli.serve`
with the user's options: `main` below opens the app the way `microgpt-tui` does,
minus the "needs a terminal" check that a pipe would fail.
"""

import argparse
import contextlib
import ctypes
import errno
import ipaddress
import os
import shlex
import signal
import socket
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from microgpt_tui.cli.launch import launch_app, loaded_run
from microgpt_tui.cli.options import build_parser, make_trainer
from microgpt_tui.cli.outcomes import EXIT_INTERRUPTED, EXIT_USAGE, PROG, UsageError, complain, survive_any_encoding

# Options forwarded to each served app: argparse dest -> flag. Only those the user gave.
FORWARDED = {
    "data": "--data",
    "dataset": "--dataset",
    "seed": "--seed",
    "steps": "--steps",
    "lr": "--lr",
    "n_embd": "--n-embd",
    "n_head": "--n-head",
    "n_layer": "--n-layer",
    "block_size": "--block-size",
    "temperature": "--temperature",
    "engine": "--engine",
    "load": "--load",
    "save": "--save",
}
DEFAULT_ENGINE = "fused"
APP_MODULE = "microgpt_tui.cli.serve"  # this file, as textual-serve runs it
SERVER_PID = "MICROGPT_SERVER_PID"  # tells each app process which server it must not outlive


def app_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser connection."""
    words = [sys.executable, "-m", APP_MODULE]
    for dest, flag in FORWARDED.items():
        value = getattr(args, dest, None)
        if value is None or (dest == "engine" and value == DEFAULT_ENGINE):
            continue
        if dest == "data":  # the same file whatever directory the app process starts in
            value = Path(value).resolve()
        words += [flag, str(value)]
    return shlex.join(words)


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_port(host: str, port: int) -> None:
    """Fail now, in one line, if the server could not listen on host:port."""
    if not 1 <= port <= 65535:
        raise UsageError(f"--port must be between 1 and 65535, got {port}")
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise UsageError(f"cannot listen on {host}: {e.strerror or e}") from None
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as e:
                if e.errno == errno.EADDRNOTAVAIL:  # e.g. no IPv6 here; asyncio skips these too
                    continue
                raise UsageError(f"cannot listen on {host} port {port}: {e.strerror or e}") from None


def serve(args: argparse.Namespace) -> int:
    """Serve the app on http://host:port until Ctrl+C; returns the exit code."""
    try:
        import textual_serve.server  # noqa: F401  (the optional dependency itself, even once serve_guard is loaded)

        from microgpt_tui.cli.serve_guard import GuardedServer
    except ImportError:
        raise UsageError("serving needs textual-serve: pip install 'microgpt-tui[serve]'") from None
    if args.max_sessions < 1:
        raise UsageError(f"--max-sessions must be at least 1, got {args.max_sessions}")
    check_port(args.host, args.port)
    if not is_loopback(args.host):
        complain(
            f"{PROG}: warning: serving on {args.host}, not localhost: anyone who can reach "
            f"port {args.port} can train the model and write its checkpoint, with no password"
        )
    os.environ[SERVER_PID] = str(os.getpid())  # inherited by every app process the server starts
    server = GuardedServer(
        app_command(args),
        host=args.host,
        port=args.port,
        title="microgpt-tui",
        token=not args.no_token,
        max_sessions=args.max_sessions,
    )
    try:
        server.serve()
    except OSError as e:  # lost the port to someone else since check_port
        raise UsageError(f"cannot listen on {args.host} port {args.port}: {e.strerror or e}") from None
    return 0


def session_save_path(args: argparse.Namespace) -> str:
    """This browser session's own checkpoint: beside the one it loads or would save, named for the
    session, so that two tabs never write one file."""
    base = Path(args.save or args.load or "microgpt-checkpoint.json")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return str(base.with_name(f"{base.stem}.session-{stamp}-{os.getpid()}{base.suffix or '.json'}"))


def outlive_not(server_pid: str | None) -> None:
    """End this app (as SIGTERM does: terminal restored, unsaved steps kept) when the server that
    started it dies, even by SIGKILL: Linux's parent-death signal where the server is the parent,
    and a watch on the server's pid for the shell textual-serve may start the app under."""
    if not server_pid or not server_pid.isdigit():
        return
    pid = int(server_pid)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)

    def watch() -> None:
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os.kill(os.getpid(), signal.SIGTERM)
                return
            except PermissionError:
                pass  # alive, someone else's: cannot be ours, but nothing to do
            time.sleep(0.5)

    threading.Thread(target=watch, name="server-watch", daemon=True).start()


def main(argv: Sequence[str] | None = None) -> int:
    """The app process textual-serve starts: `python -m microgpt_tui.cli.serve [model options]`."""
    survive_any_encoding()
    try:
        args = build_parser().parse_args(argv)
        if args.command is not None:
            raise UsageError(f"'{args.command}' cannot be served; give only data and model options")
        args.save = session_save_path(args)
        args.confine_to = Path(args.save).resolve().parent  # what a browser user may name in the app
        trainer, docs, data_name, extra = make_trainer(args)
        outlive_not(os.environ.get(SERVER_PID))
        return launch_app(args, trainer, docs, data_name, loaded_run(args, trainer, extra))
    except UsageError as e:
        complain(f"{PROG}: error: {e}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
