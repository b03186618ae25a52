"""`microgpt-tui serve` lets in only its user: Host, Origin and token checks, a session cap, a size cap,
app processes that die with the server, one checkpoint per session. Through the real command."""

import asyncio
import http.client
import re
import signal
import socket
import subprocess
from pathlib import Path

import aiohttp
import pytest
from cli_helpers import ENTRY, eventually, eventually_async

from microgpt_engine import load_checkpoint


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, tmp_path, *options):
        self.port = free_port()
        data = tmp_path / "names.txt"
        data.write_text("emma\nolivia\nava\nmia\n")
        argv = [*ENTRY, "serve", "--data", str(data), "--n-embd", "8", "--n-head", "2", "--port", str(self.port)]
        self.proc = subprocess.Popen(
            [*argv, *options], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path
        )
        line = self.proc.stdout.readline()
        match = re.search(r"on (http://\S+)", line)
        assert match, line
        self.url = match.group(1)
        self.token = self.url.partition("token=")[2]
        # the URL is printed as the server starts, just before it listens
        eventually(lambda: self.listening() or self.proc.poll() is not None, "the server to listen", timeout=30)
        assert self.proc.poll() is None, "the server ended before it listened"

    def listening(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def get(self, path, host=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", path, headers={"Host": host or f"localhost:{self.port}"})
        response = conn.getresponse()
        return response.status, response.read().decode()

    def ws_url(self, token=None, width=80, height=24):
        token = self.token if token is None else token
        return f"ws://localhost:{self.port}/ws/{token}?width={width}&height={height}"

    def apps(self):
        """The app processes this server started (they carry its pid in their environment)."""
        mark = f"MICROGPT_SERVER_PID={self.proc.pid}".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and int(entry.name) != self.proc.pid:
                try:
                    environ = (entry / "environ").read_bytes().split(b"\0")
                    cmdline = (entry / "cmdline").read_bytes()
                except OSError:
                    continue
                if mark in environ and b"microgpt_tui.cli.serve" in cmdline and b"/bin/sh" not in cmdline:
                    found.append((int(entry.name), dict(e.split(b"=", 1) for e in environ if b"=" in e)))
        return found

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture
def served(tmp_path, request):
    server = Served(tmp_path, *getattr(request, "param", ()))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def untouched(tmp_path_factory):
    """One server for the tests that only knock (no session is ever let in): they change nothing in it."""
    server = Served(tmp_path_factory.mktemp("untouched"))
    yield server
    server.stop()


async def refused(url, **headers) -> int:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as caught:
            await session.ws_connect(url, headers=headers)
    return caught.value.status


async def first_frame(ws) -> bytes:
    while True:
        message = await asyncio.wait_for(ws.receive(), 60)
        if message.type == aiohttp.WSMsgType.BINARY:
            return message.data
        assert message.type != aiohttp.WSMsgType.CLOSED, "the session closed"


async def screen_showing(ws, text: str) -> None:
    """Read the session's frames until what they drew (less escape sequences) shows `text`."""
    drawn = ""
    while text not in drawn:
        message = await asyncio.wait_for(ws.receive(), 60)
        assert message.type != aiohttp.WSMsgType.CLOSED, "the session closed"
        if message.type == aiohttp.WSMsgType.BINARY:
            drawn += re.sub(r"\x1b\[[0-9;?<>]*[ -/]*[@-~]", "", message.data.decode("utf-8", "replace"))


def test_the_page_needs_the_token_and_the_served_host(untouched):
    served = untouched
    assert re.fullmatch(r"http://localhost:\d+/\?token=[\w-]{20,}", served.url)
    assert served.get("/")[0] == 403 and "token" in served.get("/")[1]
    assert served.get("/?token=wrong")[0] == 403
    assert served.get(f"/?token={served.token}")[0] == 200
    assert served.get(f"/?token={served.token}", host=f"evil.example:{served.port}")[0] == 403  # DNS rebinding


async def test_a_websocket_from_another_site_or_without_the_token_is_refused(untouched):
    served = untouched
    origin = f"http://localhost:{served.port}"
    assert await refused(served.ws_url(), Origin="http://evil.example") == 403
    assert await refused(served.ws_url(token="wrong"), Origin=origin) == 403
    assert await refused(f"ws://localhost:{served.port}/ws?width=80&height=24", Origin=origin) == 403
    assert not served.apps()  # no app was started for any of them


@pytest.mark.parametrize("served", [("--max-sessions", "1")], indirect=True)
async def test_the_session_cap_holds_and_the_page_says_so(served):
    origin = f"http://localhost:{served.port}"
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(served.ws_url(width=3000, height=1000), headers={"Origin": origin}) as ws:
            assert await first_frame(ws)
            assert await refused(served.ws_url(), Origin=origin) == 503
            status, body = served.get(f"/?token={served.token}")
            assert status == 503 and "all sessions in use" in body
            [(_, environ)] = served.apps()
            assert (environ[b"COLUMNS"], environ[b"ROWS"]) == (b"400", b"200")  # the size asked for, capped


async def test_app_processes_die_with_the_server_even_by_sigkill(served):
    origin = f"http://localhost:{served.port}"
    async with aiohttp.ClientSession() as session:
        sockets = [await session.ws_connect(served.ws_url(), headers={"Origin": origin}) for _ in range(2)]
        for ws in sockets:
            assert await first_frame(ws)
        apps = [pid for pid, _ in served.apps()]
        assert len(apps) == 2
        served.proc.kill()
        served.proc.wait(30)
        await eventually_async(
            lambda: not any(Path(f"/proc/{pid}").exists() and b"zombie" not in _state(pid) for pid in apps),
            "the app processes to end",
            timeout=30,
        )
        for ws in sockets:
            await ws.close()


def _state(pid) -> bytes:
    try:
        return Path(f"/proc/{pid}/status").read_bytes().lower()
    except OSError:
        return b"zombie"


async def test_each_session_saves_to_its_own_checkpoint(served, tmp_path):
    origin = f"http://localhost:{served.port}"
    async with aiohttp.ClientSession() as session:
        for _ in range(2):
            async with session.ws_connect(served.ws_url(), headers={"Origin": origin}) as ws:
                await screen_showing(ws, "step 0/")  # the app has composed its screen and takes keys
                await ws.send_json(["stdin", " "])  # a step
                await ws.send_json(["stdin", "\x13"])  # ctrl+s
                saved = 1 + (_ == 1)
                await eventually_async(
                    lambda n=saved: len(list(tmp_path.glob("microgpt-checkpoint.session-*.json"))) >= n,
                    f"{saved} session checkpoints",
                )
    assert not (tmp_path / "microgpt-checkpoint.json").exists()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
async def test_stopping_the_server_closes_its_sessions_at_once_and_keeps_their_unsaved_steps(served, tmp_path, sig):
    """Ctrl+C or SIGTERM: each session is told to quit at once and keeps its steps in a recovery checkpoint (the
    server used to wait for aiohttp's shutdown timeout first: 23 s with one tab open, no longer than that)."""
    origin = f"http://localhost:{served.port}"
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(served.ws_url(), headers={"Origin": origin}) as ws:
            await screen_showing(ws, "step 0/")
            await ws.send_json(["stdin", " "])  # a step, not saved
            await screen_showing(ws, "step 1/")
            served.proc.send_signal(sig)
            served.proc.wait(10)  # (a bound, well under the old wait; the sessions close before the server ends)
    kept = list(tmp_path.glob("microgpt-checkpoint.session-*.recovery-*.json"))
    assert len(kept) == 1 and load_checkpoint(kept[0]).step == 1
