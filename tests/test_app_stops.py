"""The app in a real terminal (a pty), ended by a crash or a signal: the terminal is restored, the exit
code is not 0, and the unsaved steps are in a recovery checkpoint whose path is printed."""

import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading

import pytest
from cli_helpers import ENTRY, eventually

from microgpt_engine import load_checkpoint

LEAVE_ALT_SCREEN, SHOW_CURSOR, MOUSE_OFF = "\x1b[?1049l", "\x1b[?25h", "\x1b[?1000l"
TINY = ["--n-embd", "8", "--n-head", "2", "--steps", "100000"]
# The same app with one fault planted: the embedding map raises as it is drawn.
CRASHING = (
    "import sys\n"
    "from microgpt_tui.features.embeddings import scatter\n"
    "def broken(self, console, options):\n"
    "    raise RuntimeError('a planted fault')\n"
    "scatter.TokenScatter.__rich_console__ = broken\n"
    "from microgpt_tui.cli.main import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


class Terminal:
    """A process on a 120x40 pty, with everything it writes collected."""

    def __init__(self, argv, cwd):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "HOME": str(cwd)}  # HOME: the tour's memory lands here
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, start_new_session=True
        )
        os.close(slave)
        self.master, self.chunks = master, []
        self.output = threading.Condition()  # notified at each chunk read, and at the end of the output
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        try:
            while True:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    return
                if not data:
                    return
                with self.output:
                    self.chunks.append(data)
                    self.output.notify_all()
        finally:
            with self.output:
                self.output.notify_all()

    @property
    def text(self):
        return b"".join(self.chunks).decode("utf-8", "replace")

    @property
    def plain(self):
        """What it wrote without the escape sequences (colours, cursor moves)."""
        return re.sub(r"\x1b\[[0-9;?<>]*[ -/]*[@-~]", "", self.text)

    def wait_for(self, pattern, timeout=60):
        """Wait until what the process wrote matches `pattern` (woken by each chunk it writes)."""
        with self.output:
            seen = self.output.wait_for(lambda: re.search(pattern, self.plain) or not self.reader.is_alive(), timeout)
        assert seen and re.search(pattern, self.plain), f"never saw {pattern!r}"

    def press(self, keys):
        os.write(self.master, keys.encode())

    def finish(self, timeout=60):
        code = self.proc.wait(timeout)
        self.reader.join(10)  # the last output: the reader ends when the pty has no writer left
        return code

    def close(self):
        """End the process if a failed assertion left it running (it trains 100,000 steps)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        try:
            os.close(self.master)
        except OSError:
            pass


@pytest.fixture
def terminal(tmp_path):
    """Opens Terminals in tmp_path and closes every one of them, whether the test passed or not."""
    opened = []

    def open_terminal(argv):
        opened.append(Terminal(argv, tmp_path))
        return opened[-1]

    yield open_terminal
    for term in opened:
        term.close()


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("emma\nolivia\nava\nmia\nisabella\n")
    return path


def recovered(text, tmp_path, unsaved_at_least=1):
    match = re.search(r"its (?:([\d,]+) unsaved steps are|unsaved step is) saved in (\S+) \(continue", text)
    assert match, text[-600:]
    steps, path = int((match.group(1) or "1").replace(",", "")), match.group(2)
    assert steps >= unsaved_at_least
    assert load_checkpoint(tmp_path / path if not os.path.isabs(path) else path).step == steps
    return steps


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_a_signal_restores_the_terminal_and_keeps_the_unsaved_steps(data, tmp_path, terminal, sig):
    term = terminal([*ENTRY, "--data", str(data), *TINY])
    term.wait_for("step 0/")
    for step in (1, 2, 3):
        term.press(" ")
        term.wait_for(rf"step {step}/")
    os.kill(term.proc.pid, sig)
    code = term.finish()
    assert code == 128 + sig
    after = term.text.rsplit(LEAVE_ALT_SCREEN, 1)
    assert len(after) == 2, "the alternate screen was never left"
    assert SHOW_CURSOR in term.text and MOUSE_OFF in term.text
    assert f"was stopped by {sig.name}" in after[1]
    recovered(after[1], tmp_path)


def test_a_crash_exits_non_zero_restores_the_terminal_and_keeps_the_unsaved_steps(data, tmp_path, terminal):
    term = terminal([sys.executable, "-c", CRASHING, "--data", str(data), *TINY])
    term.wait_for("step 0/")
    term.press(" ")
    term.wait_for(r"step [1-9]/")
    term.press("e")
    code = term.finish()
    assert code == 1
    assert LEAVE_ALT_SCREEN in term.text and SHOW_CURSOR in term.text
    assert "a planted fault" in term.text  # Textual's report of the error
    assert "stopped on an error" in term.text
    recovered(term.text, tmp_path)


# The same app whose Textual shutdown never ends, as seen after its terminal closed (`tmux kill-server`):
# the main thread waited forever to hand the writer thread its last write.
STUCK = (
    "import sys, threading\n"
    "from textual.drivers import _writer_thread\n"
    "_writer_thread.WriterThread.stop = lambda self: threading.Event().wait()\n"
    "from microgpt_tui.cli import launch\n"
    "launch.STUCK_AFTER = 0.5\n"  # (the watchdog's 15 s, shortened: the wait is what never ends, not its length)
    "from microgpt_tui.cli.main import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_a_stop_that_textual_never_finishes_still_keeps_the_steps_and_exits(data, tmp_path, terminal):
    term = terminal([sys.executable, "-c", STUCK, "--data", str(data), *TINY])
    term.wait_for("step 0/")
    term.press(" ")
    term.wait_for(r"step [1-9]/")
    os.kill(term.proc.pid, signal.SIGHUP)
    code = term.finish(timeout=90)  # (before: never, the process slept on)
    assert code == 128 + signal.SIGHUP
    assert "was stopped by SIGHUP" in term.text
    recovered(term.text, tmp_path)


# The same app whose terminal goes away (tmux kill-server, a closed ssh session) once the file `gone`
# exists: from then on every write to it fails, as a write to a pty with no other end does (EIO).
GONE = (
    "import os, sys\n"
    "class Gone:\n"
    "    def __init__(self, file):\n"
    "        self.file = file\n"
    "    def write(self, text):\n"
    "        self.check()\n"
    "        return self.file.write(text)\n"
    "    def flush(self):\n"
    "        self.check()\n"
    "        self.file.flush()\n"
    "    def check(self):\n"
    "        if os.path.exists('gone'):\n"
    "            raise OSError(5, 'Input/output error')\n"
    "    def __getattr__(self, name):\n"
    "        return getattr(self.file, name)\n"
    "sys.__stderr__ = Gone(sys.__stderr__)\n"  # (the file Textual's driver draws on)
    # each write the screen queues once the terminal is gone leaves a byte in `queued`, which the test counts
    "from textual.drivers import _writer_thread\n"
    "queue_write = _writer_thread.WriterThread.write\n"
    "def counted(self, text):\n"
    "    if os.path.exists('gone'):\n"
    "        with open('queued', 'a') as queued:\n"
    "            queued.write('x')\n"
    "    return queue_write(self, text)\n"
    "_writer_thread.WriterThread.write = counted\n"
    # the training screen redrawn every 20 ms, not every 250: its 31 writes come in under a second, not eight
    "from microgpt_tui.app import MicroGPTApp\n"
    "app_init = MicroGPTApp.__init__\n"
    "def brisk(self, *args, **kwargs):\n"
    "    app_init(self, *args, **kwargs)\n"
    "    self.repaint_interval = 0.02\n"
    "MicroGPTApp.__init__ = brisk\n"
    "from microgpt_tui.cli.main import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_an_app_whose_terminal_went_away_ends_at_once_on_sighup_and_keeps_the_steps(data, tmp_path, terminal):
    term = terminal([sys.executable, "-c", GONE, "--data", str(data), *TINY])
    term.wait_for("step 0/")
    term.press(" r")
    term.wait_for(r"step [1-9]")
    (tmp_path / "gone").touch()
    queued = tmp_path / "queued"
    # training goes on and the screen keeps changing: far more than 30 writes after the first failed (a file
    # another process writes: polled)
    eventually(lambda: queued.exists() and queued.stat().st_size > 30, "31 writes after the terminal went away")
    os.kill(term.proc.pid, signal.SIGHUP)
    # (before: 15 s, until the watchdog: Textual's writer thread had died on the first failed write, and the
    # 31st write waited for ever for room in its queue)
    code = term.finish(timeout=8)
    assert code == 128 + signal.SIGHUP
    recovered(term.text, tmp_path)
