"""How long the app takes to end once its terminal goes away while it trains, over several runs.

Each run starts the app on a real pty (120x40), takes one step, starts training, waits, then closes
the pty's other end, as `tmux kill-server` or a dropped ssh session does: the kernel sends SIGHUP,
and every write to the terminal fails from then on. Reported per run: the seconds from the close
to the exit, the exit code (129: SIGHUP) and whether a recovery checkpoint was written; then the
median, and how many runs took longer than 5 s (the launcher's watchdog ends a stuck app after 15 s).

    python bench/terminal_gone.py [--runs 8] [--data FILE]
"""

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

NAMES = Path(__file__).resolve().parents[2] / "shared" / "data" / "names.txt"


def drain(fd: int, seconds: float) -> bool:
    """Read what the app writes for `seconds` (as a terminal does); False if it is gone."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                return False
    return True


def one_run(data: str, folder: str) -> tuple[float, int | None, bool]:
    pid, fd = pty.fork()
    if pid == 0:  # the app, on the pty
        os.chdir(folder)
        os.environ["TERM"] = "xterm-256color"
        argv = [sys.executable, "-m", "microgpt_tui", "--data", data, "--steps", "100000"]
        os.execv(sys.executable, argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    drain(fd, 6)  # started
    os.write(fd, b" r")
    drain(fd, 3)  # training
    os.close(fd)
    closed = time.monotonic()
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - closed > 30:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return time.monotonic() - closed, None, False
        time.sleep(0.02)
    recovered = any(name.startswith("microgpt-checkpoint.recovery") for name in os.listdir(folder))
    return time.monotonic() - closed, os.waitstatus_to_exitcode(status), recovered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--data", default=str(NAMES) if NAMES.exists() else None)
    args = parser.parse_args()
    data = args.data
    if data is None:
        from microgpt_data import bundled_names_path

        data = str(bundled_names_path())
    seconds = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            took, code, recovered = one_run(data, folder)
        seconds.append(took)
        print(f"run {run}: ended {took:5.2f} s after the terminal closed, exit {code}, recovery written: {recovered}")
    slow = sum(s > 5 for s in seconds)
    print(f"median {statistics.median(seconds):.2f} s; {slow} of {len(seconds)} runs took over 5 s")


if __name__ == "__main__":
    main()
