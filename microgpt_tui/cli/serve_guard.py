"""Provides `GuardedServer`: textual-serve's server, letting in only the user who started it.

Any web page the user visits can make the browser open a WebSocket to
localhost, and DNS rebinding can make a foreign name resolve to 127.0.0.1;
the plain server accepted both, and each WebSocket drives an app that writes
files. So, as notebook servers do:

- a request whose `Host` is not the served host:port is refused (DNS rebinding);
- a WebSocket whose `Origin` is another site's is refused (cross-site pages);
- the page and its WebSocket need a random token, printed in the URL at start
  (unless `--no-token`), so another local user or program cannot guess its way in;
- at most `max_sessions` apps run at once (each is a process training a model),
  with a page that says so when full;
- the terminal size a client asks for is capped (a 3000x1000 request took 165 MB);
- the token travels in the WebSocket's path: textual-serve's page appends
  `?width=...` to the URL it is given;
- a share code in the page's URL (`&code=mg1_…`, checked by `check_code`) travels in the WebSocket's path
  too, and that tab's app opens with `--open CODE` (the command is per connection: a context variable of
  the request's task).
"""

from __future__ import annotations

import html
import secrets
import shlex
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, cast

from aiohttp import WSCloseCode, web
from textual_serve.server import Server

from microgpt_tui.language import _

if TYPE_CHECKING:
    from textual_serve.app_service import AppService

MAX_WIDTH, MAX_HEIGHT = 400, 200  # cells: far beyond any screen, far below 3000x1000

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_opening: ContextVar[str | None] = ContextVar("opening", default=None)  # the code this connection's app opens


def capped(width: int, height: int) -> tuple[int, int]:
    return min(max(width, 1), MAX_WIDTH), min(max(height, 1), MAX_HEIGHT)


def page(status: type[web.HTTPException], title: str, text: str) -> web.HTTPException:
    body = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{text}</p>"
    return status(text=body, content_type="text/html")


class SizeCapped:
    """An AppService whose terminal can only be resized within MAX_WIDTH x MAX_HEIGHT."""

    def __init__(self, service: Any) -> None:
        self._service = service

    def __getattr__(self, name: str) -> Any:
        return getattr(self._service, name)

    async def set_terminal_size(self, width: int, height: int) -> None:
        await self._service.set_terminal_size(*capped(int(width), int(height)))


class GuardedServer(Server):
    """textual-serve's Server with Host, Origin and token checks, a session cap and a size cap."""

    def __init__(
        self,
        command: str,
        host: str,
        port: int,
        *,
        token: bool,
        max_sessions: int,
        check_code: Callable[[str], str] | None = None,
        **kwargs: Any,
    ) -> None:
        """`check_code(text)`: the code checked (ValueError with one line if it is not one this server opens)."""
        self._command = command
        super().__init__(command, host=host, port=port, **kwargs)
        self.check_code = check_code
        self._sockets: set[web.WebSocketResponse] = set()  # the sessions open now (closed at once on shutdown)
        self.token = secrets.token_urlsafe(24) if token else ""
        self.max_sessions = max_sessions
        self.sessions = 0
        names = {host.lower()}
        if host.lower() in ("localhost", "127.0.0.1", "::1", "[::1]"):
            names |= {"localhost", "127.0.0.1", "[::1]"}
        self.hosts = {f"{name}:{port}" for name in names} | ({*names} if port == 80 else set())
        self.origins = {f"http://{h}" for h in self.hosts}

    @property  # (textual-serve reads it to start each connection's app)
    def command(self) -> str:
        code = _opening.get()
        return self._command + (f" --open {shlex.quote(code)}" if code else "")

    @command.setter
    def command(self, command: str) -> None:
        self._command = command

    @property
    def url(self) -> str:
        """What the user opens: the page, with its token."""
        return f"{self.public_url}/" + (f"?token={self.token}" if self.token else "")

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_get("/ws/{token}", self.handle_websocket, name="session")
        app.router.add_get("/ws/{token}/{code}", self.handle_websocket, name="opened")
        app.middlewares.append(self.guard)
        return app

    def _token_ok(self, given: str | None) -> bool:
        return not self.token or (given is not None and secrets.compare_digest(given, self.token))

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.host.lower() not in self.hosts:  # DNS rebinding: a foreign name pointing here
            raise web.HTTPForbidden(text=_("this server answers to {host} only").format(host=sorted(self.hosts)[0]))
        path = request.path
        if path == "/" or path.startswith("/ws") or path.startswith("/download"):
            origin = request.headers.get("Origin")
            if origin is not None and origin.lower() not in self.origins:  # another site's page
                raise web.HTTPForbidden(text=_("cross-origin requests are refused"))
        if path == "/" and not self._token_ok(request.query.get("token")):
            raise page(
                web.HTTPForbidden,
                _("microgpt-tui: token needed"),
                _("Open the link with its token, printed by <code>microgpt-tui serve</code> when it started."),
            )
        if path.startswith("/ws") and not self._token_ok(request.match_info.get("token")):
            raise web.HTTPForbidden(text=_("a session needs the token"))
        return await handler(request)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.sessions >= self.max_sessions:
            raise page(
                web.HTTPServiceUnavailable,
                _("microgpt-tui: all sessions in use"),
                _(
                    "{open} of at most {most} sessions are open (see --max-sessions). "
                    "Close a tab that runs it, then reload this page."
                ).format(open=self.sessions, most=self.max_sessions),
            )
        code = self._checked(request.query.get("code"))
        response = await super().handle_index(request)
        assert isinstance(response, web.Response) and response.text is not None
        ws = f'data-session-websocket-url="{self.public_url.replace("http", "ws", 1)}/ws"'
        path = f"/{self.token or '-'}" + (f"/{code}" if code else "")
        response.text = response.text.replace(ws, ws[:-1] + path + '"')
        return response

    def _checked(self, code: str | None) -> str | None:
        """The code a URL carries, checked (a page saying why, in one line, if it is not one to open here)."""
        if code is None:
            return None
        try:
            if self.check_code is None:
                raise ValueError(_("this server opens no codes"))
            return self.check_code(code)
        except ValueError as e:
            raise page(web.HTTPBadRequest, _("microgpt-tui: a code it cannot open"), html.escape(str(e))) from None

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.sessions >= self.max_sessions:
            raise web.HTTPServiceUnavailable(text=_("all {most} sessions are in use").format(most=self.max_sessions))
        width, height = (_int(request.query.get(k), d) for k, d in (("width", 80), ("height", 24)))
        width, height = capped(width, height)
        request = request.clone(rel_url=request.rel_url.update_query(width=width, height=height))
        opening = _opening.set(self._checked(request.match_info.get("code")))  # (never trusted: checked again)
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1
            _opening.reset(opening)

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: Any) -> None:
        self._sockets.add(websocket)
        try:
            await super()._process_messages(websocket, cast("AppService", SizeCapped(app_service)))  # (duck-typed)
        finally:
            self._sockets.discard(websocket)

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C or SIGTERM: close every session at once, so each app is told to quit now (it keeps its unsaved
        steps) instead of after aiohttp's wait for open connections (23 s with one tab open)."""
        for websocket in list(self._sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"the server is stopping")

    async def on_startup(self, app: web.Application) -> None:
        print(_("Serving microgpt-tui on {url}").format(url=self.url), flush=True)
        print(_("at most {most} sessions at once; press Ctrl+C to quit").format(most=self.max_sessions), flush=True)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None and len(text) < 8 else default
    except ValueError:
        return default
