"""Provides `microgpt-tui serve`: the same app in a web browser, through textual-serve.

textual-serve starts one app process per browser connection (each with its own
model and training) and talks to it through pipes with Textual's web driver,
not through a terminal. So the command it runs is `python -m microgpt_tui.cli.serve`
with the user's options: `main` below opens the app the way `microgpt-tui` does,
minus the "needs a terminal" check that a pipe would fail.
"""

import argparse
import errno
import ipaddress
import shlex
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from .launch import launch_app
from .options import build_parser, make_trainer
from .outcomes import EXIT_INTERRUPTED, EXIT_USAGE, PROG, UsageError

# Options forwarded to each served app: argparse dest -> flag. Only those the user gave.
FORWARDED = {
    "data": "--data",
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
        from textual_serve.server import Server
    except ImportError:
        raise UsageError("serving needs textual-serve: pip install 'microgpt-tui[serve]'") from None
    check_port(args.host, args.port)
    if not is_loopback(args.host):
        print(
            f"{PROG}: warning: serving on {args.host}, not localhost: anyone who can reach "
            f"port {args.port} can train the model and write its checkpoint, with no password",
            file=sys.stderr,
        )
    server = Server(app_command(args), host=args.host, port=args.port, title="microgpt-tui")
    try:
        server.serve()
    except OSError as e:  # lost the port to someone else since check_port
        raise UsageError(f"cannot listen on {args.host} port {args.port}: {e.strerror or e}") from None
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The app process textual-serve starts: `python -m microgpt_tui.cli.serve [model options]`."""
    try:
        args = build_parser().parse_args(argv)
        if args.command is not None:
            raise UsageError(f"'{args.command}' cannot be served; give only data and model options")
        trainer, docs, data_name = make_trainer(args)
        return launch_app(args, trainer, docs, data_name)
    except UsageError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
