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
from collections.abc import Callable, Sequence
from pathlib import Path

from microgpt_tui.cli import language_option
from microgpt_tui.cli.launch import launch_app, loaded_run
from microgpt_tui.cli.options import build_parser, make_trainer
from microgpt_tui.cli.outcomes import EXIT_INTERRUPTED, EXIT_USAGE, PROG, UsageError, complain, survive_any_encoding
from microgpt_tui.cli.recording import CARRIED, apply_code, identity
from microgpt_tui.features.recording import codes
from microgpt_tui.language import _

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
    "lang": "--lang",  # (given: every browser session speaks it)
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
        raise UsageError(_("--port must be between 1 and 65535, got {port}").format(port=port))
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise UsageError(_("cannot listen on {host}: {reason}").format(host=host, reason=e.strerror or e)) from None
    for family, kind, proto, _name, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as e:
                if e.errno == errno.EADDRNOTAVAIL:  # e.g. no IPv6 here; asyncio skips these too
                    continue
                raise UsageError(
                    _("cannot listen on {host} port {port}: {reason}").format(
                        host=host, port=port, reason=e.strerror or e
                    )
                ) from None


def serve(args: argparse.Namespace) -> int:
    """Serve the app on http://host:port until Ctrl+C; returns the exit code."""
    try:
        import textual_serve.server  # noqa: F401  (the optional dependency itself, even once serve_guard is loaded)

        from microgpt_tui.cli.serve_guard import GuardedServer
    except ImportError:
        raise UsageError(_("serving needs textual-serve: pip install 'microgpt-tui[serve]'")) from None
    if args.max_sessions < 1:
        raise UsageError(_("--max-sessions must be at least 1, got {got}").format(got=args.max_sessions))
    check_port(args.host, args.port)
    if not is_loopback(args.host):
        complain(
            _(
                "{prog}: warning: serving on {host}, not localhost: anyone who can reach "
                "port {port} can train the model and write its checkpoint, with no password"
            ).format(prog=PROG, host=args.host, port=args.port)
        )
    os.environ[SERVER_PID] = str(os.getpid())  # inherited by every app process the server starts
    server = GuardedServer(
        app_command(args),
        check_code=code_checker(args),
        host=args.host,
        port=args.port,
        title="microgpt-tui",
        token=not args.no_token,
        max_sessions=args.max_sessions,
    )
    try:
        server.serve()
    except OSError as e:  # lost the port to someone else since check_port
        raise UsageError(
            _("cannot listen on {host} port {port}: {reason}").format(
                host=args.host, port=args.port, reason=e.strerror or e
            )
        ) from None
    return 0


def code_checker(args: argparse.Namespace) -> Callable[[str], str]:
    """What checks a code in a page's URL: a code (codes.parse) on this server's data; ValueError in one line."""
    data = identity(args.data)

    def check(text: str) -> str:
        code = codes.parse(text)
        if code.data is None and not data.bundled:
            raise codes.CodeError(
                _("this code was made on the bundled names; this server trains on {data}").format(data=data.name)
            )
        if code.data is not None and (code.data.size != data.size or not data.sha256.startswith(code.data.sha)):
            needs = code.data.describe()
            raise codes.CodeError(
                _("this code needs the data file {needs}; this server trains on {data}").format(
                    needs=needs, data=data.name
                )
            )
        return code.text()

    return check


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
    language_option.start(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        if args.command is not None:
            raise UsageError(
                _("'{command}' cannot be served; give only data and model options").format(command=args.command)
            )
        args.save = session_save_path(args)
        args.confine_to = Path(args.save).resolve().parent  # what a browser user may name in the app
        if args.open is not None:  # (a tab opened from a code: its settings are the code's, not the server's)
            for dest in CARRIED:
                setattr(args, dest, None)
            args.code = apply_code(args)
        args.identity = identity(args.data)
        trainer, docs, data_name, extra = make_trainer(args)
        outlive_not(os.environ.get(SERVER_PID))
        return launch_app(args, trainer, docs, data_name, loaded_run(args, trainer, extra))
    except UsageError as e:
        complain(_("{prog}: error: {message}").format(prog=PROG, message=e))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
