"""`microgpt-tui serve`: the command it serves, its one-line errors, and the app in headless Chromium."""

import json
import os
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from cli_helpers import ENTRY, SERVED_APP, cli

from microgpt_tui.cli import serve
from microgpt_tui.cli.outcomes import UsageError

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # headless, and never reaching for the network
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Set MICROGPT_SCREENSHOT=/some/file.png to keep the browser screenshot for a human to look at.
SCREENSHOT_COPY = os.environ.get("MICROGPT_SCREENSHOT")
STEP = re.compile(r"step (\d[\d,]*)/(\d[\d,]*)")  # the status line: "step 0/50  loss —  ..."

# textual-serve's page builds its xterm.js Terminal inside a closure. Catch the object
# that owns it (the only one assigning `.fitAddon`) so the test can read the screen
# buffer: the WebGL/canvas renderers leave no text in the DOM.
CATCH_TERMINAL = """
window.__textualTerminals = [];
Object.defineProperty(Object.prototype, "fitAddon", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "fitAddon", {value, writable: true, configurable: true, enumerable: true});
    window.__textualTerminals.push(this);
  },
});
"""
READ_SCREEN = """() => {
  const owner = (window.__textualTerminals || []).find((o) => o.terminal && o.terminal.buffer);
  if (!owner) return null;
  const term = owner.terminal, buffer = term.buffer.active, rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""


def args_for(**given):
    defaults = {option: None for option in serve.FORWARDED}
    fixed = {"engine": "fused", "host": "localhost", "port": 8000, "no_token": False, "max_sessions": 3}
    return SimpleNamespace(**{**defaults, **fixed, **given})


def test_command_forwards_only_the_given_options_quoted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my names.txt").write_text("emma\n")
    command = serve.app_command(args_for(data="my names.txt", steps=50, lr=0.02, engine="plain", save="out ck.json"))
    words = shlex.split(command)
    assert words[:3] == [sys.executable, "-m", "microgpt_tui.cli.serve"]
    assert words[3:] == [
        "--data",
        str(tmp_path / "my names.txt"),
        "--steps",
        "50",
        "--lr",
        "0.02",
        "--engine",
        "plain",
        "--save",
        "out ck.json",
    ]
    assert serve.app_command(args_for()).split()[1:] == ["-m", "microgpt_tui.cli.serve"]


def test_loopback_hosts():
    assert all(serve.is_loopback(h) for h in ("localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"))
    assert not any(serve.is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.2", "example.org"))


def test_missing_textual_serve_is_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # makes the import fail
    with pytest.raises(UsageError, match=r"pip install 'microgpt-tui\[serve\]'"):
        serve.serve(args_for())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_busy_port_is_one_line_exit_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port), "--steps", "5", timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"microgpt-tui: error: cannot listen on localhost port {port}: Address already in use"
    ]


def test_non_loopback_host_warns(monkeypatch, capsys):
    from microgpt_tui.cli import serve_guard

    monkeypatch.setattr(serve, "check_port", lambda host, port: None)
    served = []
    fake = lambda command, **kw: SimpleNamespace(serve=lambda: served.append(kw))  # noqa: E731
    monkeypatch.setattr(serve_guard, "GuardedServer", fake)
    assert serve.serve(args_for(host="0.0.0.0", port=8123)) == 0
    [given] = served
    assert callable(given.pop("check_code"))  # (what a page's &code=… goes through)
    assert given == {"host": "0.0.0.0", "port": 8123, "title": "microgpt-tui", "token": True, "max_sessions": 3}
    assert "warning: serving on 0.0.0.0, not localhost" in capsys.readouterr().err


def test_served_app_speaks_textual_web_protocol_through_pipes(tmp_path):
    """textual-serve gives the app pipes, not a terminal: it must start anyway, then quit when told."""
    names = tmp_path / "names.txt"
    names.write_text("emma\nolivia\nava\n")
    env = {
        **os.environ,
        "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
        "COLUMNS": "100",
        "ROWS": "30",
        "XDG_CONFIG_HOME": str(tmp_path),
    }  # the app's first-launch state stays in the test's folder
    app = subprocess.Popen(
        [*SERVED_APP, "--data", str(names), "--steps", "5"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,  # (an app ended without q keeps its steps in a recovery file here, not in the checkout)
    )
    try:
        ready, _, _ = select.select([app.stdout], [], [], 30)
        assert ready, "no output from the served app in 30 s"
        first = app.stdout.readline()
        assert first == b"__GANGLION__\n", first + app.stderr.read1(4000)
        quit_packet = json.dumps({"type": "quit"}).encode()
        app.stdin.write(b"M" + len(quit_packet).to_bytes(4, "big") + quit_packet)
        app.stdin.flush()
        assert app.wait(timeout=30) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(timeout=10)


@pytest.fixture
def server(tmp_path):
    """`microgpt-tui serve` on a free port; yields its base URL, kills it (and its apps) after."""
    names = tmp_path / "names.txt"
    names.write_text("emma\nolivia\nava\nisabella\nsophia\nmia\ncharlotte\namelia\n")
    port = free_port()
    log = (tmp_path / "server.log").open("w+")
    proc = subprocess.Popen(
        [*ENTRY, "serve", "--port", str(port), "--steps", "50", "--data", str(names)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group: the apps die with it
        env={**os.environ, "COLUMNS": "120", "XDG_CONFIG_HOME": str(tmp_path)},
        cwd=tmp_path,  # (its apps' recovery files land here, not in the checkout)
    )

    def server_log():
        log.seek(0)
        return log.read()[-3000:]

    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, f"serve exited with {proc.returncode}:\n{server_log()}"
            assert time.monotonic() < deadline, f"serve not listening after 30 s:\n{server_log()}"
            try:
                socket.create_connection(("localhost", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        page_url = re.search(r"on (http://\S+)", server_log()).group(1)  # with the token it printed
        yield SimpleNamespace(url=f"http://localhost:{port}", page_url=page_url, log=server_log)
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(proc.pid, sig)
                proc.wait(timeout=10)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
        log.close()


def wait_for_step(page, server, done, what, timeout=30):
    """Poll the terminal's text until the status line's step satisfies `done`; return (step, screen)."""
    deadline = time.monotonic() + timeout
    screen = None
    while time.monotonic() < deadline:
        screen = page.evaluate(READ_SCREEN)
        match = STEP.search(screen or "")
        if match and done(int(match.group(1).replace(",", ""))):
            return int(match.group(1).replace(",", "")), screen
        if page.evaluate("document.body.classList.contains('-closed')"):
            break  # textual-serve shows "Session ended": the app is gone
        page.wait_for_timeout(250)
    if screen is None:
        pytest.fail("could not read textual-serve's xterm.js terminal (did its static/js/textual.js change?)")
    pytest.fail(f"timed out waiting for {what}; screen:\n{screen}\nserver log:\n{server.log()}")


@pytest.fixture
def sync_api():
    """Playwright's sync API, driving the system Chromium (never `playwright install`)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (Debian: apt-get install chromium)")
    return pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install playwright)")


def test_served_app_trains_in_headless_chromium(sync_api, server, tmp_path):
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_default_timeout(20_000)
            # Only the local server: the page also asks Google Fonts, which must not hang the test.
            page.route(
                "**/*", lambda route: route.continue_() if route.request.url.startswith(server.url) else route.abort()
            )
            page.add_init_script(CATCH_TERMINAL)
            page.goto(server.page_url)

            before, _ = wait_for_step(page, server, lambda step: True, "the status line 'step 0/50'")
            assert before == 0
            page.locator("textarea.xterm-helper-textarea").focus()
            for _ in range(3):
                page.keyboard.press("Space")
                page.wait_for_timeout(150)
            after, screen = wait_for_step(page, server, lambda step: step >= 3, "3 training steps")

            shot = tmp_path / "serve.png"
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    assert after == 3, screen
    assert "step 3/50" in screen and "PAUSED" in screen, screen
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    try:
        if SCREENSHOT_COPY:
            shutil.copyfile(shot, SCREENSHOT_COPY)
    except OSError:
        pass  # the copy is a convenience; the test's own screenshot is in tmp_path
