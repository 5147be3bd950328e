"""``budget serve``: the chairman's page in a browser, through textual-serve.

Every browser connection runs ``budget tui`` in a subprocess behind a
websocket (textual-serve's model). What this module adds:

* an access token made at start and printed once; without it the server
  answers 403 with one Vietnamese sentence, serves nothing of the app and
  never starts an app session;
* the token is exchanged for an HttpOnly, SameSite=Strict cookie on the first
  page, then the browser is sent to ``/`` so the token leaves the address bar;
  the websocket (same origin) carries the cookie;
* the websocket also checks the Origin header (no cross-site hijacking);
* the chairman's page (the default) runs read-only: the database is opened
  read-only and ``budget tui --read-only`` refuses every write;
* the database address goes to the app through its environment, never its
  command line (a PostgreSQL password must not show in the process list).
"""

from __future__ import annotations

import asyncio
import hmac
import html
import secrets
import shlex
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from budget.paths import DATABASE_ENV

#: Browser sessions at once: each one is an app process on the server.
MAX_SESSIONS = 8
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

SessionRunner = Callable[[web.Request, "ServeOptions"], Awaitable[web.StreamResponse]]

PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="/static/css/xterm.css">
<script src="/static/js/textual.js"></script>
<style>
  @font-face {{
    font-family: "Roboto Mono";
    src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf");
  }}
  html, body {{ margin: 0; height: 100%; background: #0c181f; }}
  #terminal {{ position: absolute; inset: 0; }}
  .closed-dialog {{ display: none; }}
  body.-closed .closed-dialog {{
    display: flex; position: absolute; inset: 0; z-index: 10;
    align-items: center; justify-content: center; background: #0c181fee;
    color: #f0f0f0; font: 16px sans-serif; flex-direction: column; gap: 16px;
  }}
  button {{ padding: 12px 28px; font-size: 16px; cursor: pointer; }}
  #start {{ display: none; }}
</style>
</head>
<body>
  <div class="closed-dialog">
    <div>Phiên làm việc đã kết thúc.</div>
    <button type="button" onclick="window.location.reload()">Mở lại</button>
  </div>
  <button id="start" type="button" onclick="window.location.reload()">Bắt đầu</button>
  <div id="terminal" class="textual-terminal"
       data-session-websocket-url="{ws_url}" data-font-size="{font_size}"></div>
</body>
</html>
"""

REFUSED = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Cần mã truy cập</title></head>
<body style="font: 18px sans-serif; margin: 3em;">
<p>Cần mã truy cập. Hãy mở đúng đường dẫn (có mã <code>token</code>) mà lệnh
<code>budget serve</code> đã in ra khi khởi động.</p>
</body></html>
"""

BAD_ORIGIN = "Nguồn kết nối không hợp lệ."
TOO_MANY = "Đã có quá nhiều phiên đang mở; hãy đóng bớt một thẻ trình duyệt rồi thử lại."


@dataclass(frozen=True)
class ServeOptions:
    db: str
    host: str
    port: int
    accountant: bool
    token: str
    norms_files: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return "Kinh phí thi đua — " + ("kế toán" if self.accountant else "trang của Chủ tịch")

    @property
    def cookie(self) -> str:
        # Cookies do not tell ports apart: two servers on one machine keep their own.
        return f"budget_token_{self.port}"

    def command(self) -> str:
        """The shell command each browser connection runs (the database: ``environment``)."""
        parts = [sys.executable, "-m", "budget"]
        for norms in self.norms_files:
            parts += ["--norms", norms]
        parts += ["tui"] if self.accountant else ["tui", "--summary", "--read-only"]
        return " ".join(shlex.quote(part) for part in parts)

    def environment(self) -> dict[str, str]:
        from budget.i18n import LANGUAGE_ENV, language

        # the browser's app speaks the language the server was started in
        return {DATABASE_ENV: self.db, LANGUAGE_ENV: language()}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_ok(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def origin_ok(origin: str | None, host: str) -> bool:
    """A browser's websocket says where its page came from: it must be this server."""
    if origin is None:  # not a browser (a script holding the cookie): the token decides
        return True
    scheme, _, rest = origin.partition("://")
    return scheme in {"http", "https"} and rest.rstrip("/") == host


def refused() -> web.Response:
    return web.Response(
        status=403,
        text=REFUSED,
        content_type="text/html",
        headers={"Cache-Control": "no-store"},
    )


def _static_dir() -> Path:
    import textual_serve

    return Path(textual_serve.__file__).resolve().parent / "static"


async def _textual_session(request: web.Request, options: ServeOptions) -> web.StreamResponse:
    from tui.serve_session import run_session

    return await run_session(request, options.command(), options.environment())


def make_web_app(
    options: ServeOptions, session_runner: SessionRunner | None = None
) -> web.Application:
    """The aiohttp application: the page, the websocket, the static files.

    ``session_runner`` (tests) replaces the one that starts an app process."""
    run_session = session_runner or _textual_session
    sessions: set[asyncio.Task[Any]] = set()

    @web.middleware
    async def require_token(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if token_ok(request.cookies.get(options.cookie), options.token):
            return await handler(request)
        if request.path == "/" and token_ok(request.query.get("token"), options.token):
            # The token becomes a cookie; the address bar (and history) lose it.
            response = web.Response(status=303, headers={"Location": "/"})
            response.set_cookie(
                options.cookie, options.token, httponly=True, samesite="Strict", path="/"
            )
            response.headers["Cache-Control"] = "no-store"
            response.headers["Referrer-Policy"] = "no-referrer"
            return response
        return refused()

    async def index(request: web.Request) -> web.StreamResponse:
        scheme = "wss" if request.secure else "ws"
        try:
            font_size = max(8, min(40, int(request.query.get("fontsize", "16"))))
        except ValueError:
            font_size = 16
        page = PAGE.format(
            title=html.escape(options.title),
            ws_url=html.escape(f"{scheme}://{request.host}/ws"),
            font_size=font_size,
        )
        response = web.Response(text=page, content_type="text/html")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def websocket(request: web.Request) -> web.StreamResponse:
        if not origin_ok(request.headers.get("Origin"), request.host):
            return web.Response(status=403, text=BAD_ORIGIN)
        if len(sessions) >= MAX_SESSIONS:
            return web.Response(status=503, text=TOO_MANY)
        task = asyncio.current_task()
        assert task is not None
        sessions.add(task)
        try:
            return await run_session(request, options)
        finally:
            sessions.discard(task)

    async def end_sessions(_app: web.Application) -> None:
        """On Ctrl+C: every open tab's app process is stopped before the server exits."""
        for task in list(sessions):
            task.cancel()
        await asyncio.gather(*sessions, return_exceptions=True)

    app = web.Application(middlewares=[require_token])
    app.on_shutdown.append(end_sessions)
    app.add_routes(
        [
            web.get("/", index),
            web.get("/ws", websocket),
            web.static("/static", _static_dir()),
        ]
    )
    return app


def warning_for_host(host: str) -> str | None:
    if host in LOCAL_HOSTS:
        return None
    return (
        f"CẢNH BÁO: trang đang mở cho mọi máy trong mạng tới được địa chỉ {host}; "
        "ai có đường dẫn kèm mã truy cập đều xem được số liệu. Chỉ dùng trong mạng nội bộ "
        "tin cậy của cơ quan và dừng lệnh (Ctrl+C) khi xem xong."
    )


def start_lines(options: ServeOptions) -> list[str]:
    """What ``budget serve`` prints once at start: the link with its token, the warning."""
    shown_host = "127.0.0.1" if options.host in {"0.0.0.0", "::"} else options.host
    if ":" in shown_host:
        shown_host = f"[{shown_host}]"
    lines = [
        f"Mở trình duyệt tại: http://{shown_host}:{options.port}/?token={options.token}",
        "Mã truy cập chỉ in một lần và hết hiệu lực khi dừng lệnh. Dừng: Ctrl+C.",
    ]
    warning = warning_for_host(options.host)
    if warning:
        lines.append(warning)
        if options.host in {"0.0.0.0", "::"}:
            lines.append("Từ máy khác: thay 127.0.0.1 trong đường dẫn bằng địa chỉ IP của máy này.")
    return lines


def serve(options: ServeOptions, echo: Callable[[str], Any]) -> None:
    """Run until Ctrl+C; prints the one link (with its token) once the port is open."""
    asyncio.run(_serve(options, echo))


async def _serve(options: ServeOptions, echo: Callable[[str], Any]) -> None:
    runner = web.AppRunner(make_web_app(options), shutdown_timeout=5.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, options.host, options.port).start()
        for line in start_lines(options):
            echo(line)
        await asyncio.Event().wait()  # until Ctrl+C
    finally:
        await runner.cleanup()
