"""``budget serve``: the app in a browser, through textual-serve.

Every browser connection runs ``budget tui`` in a subprocess behind a
websocket (textual-serve's model). What this module adds:

* an access token made at start and printed once; without it the server
  answers 401 with one Vietnamese sentence and serves nothing of the app;
* the token is exchanged for an HttpOnly, SameSite=Strict cookie on the first
  page, so the websocket (same origin) carries it and the URL can be closed;
* the websocket also checks the Origin header (no cross-site hijacking);
* the chairman's page (the default) runs read-only: the database is opened
  in read-only mode, so no key in the browser can change a thing.
"""

from __future__ import annotations

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

COOKIE = "budget_token"
STATIC = Path(__import__("textual_serve").__file__).resolve().parent / "static"

PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="/static/css/xterm.css">
<script src="/static/js/textual.js"></script>
<style>
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

    def command(self) -> str:
        """The shell command each browser connection runs."""
        parts = [sys.executable, "-m", "budget", "--db", self.db]
        for norms in self.norms_files:
            parts += ["--norms", norms]
        parts += ["tui"] if self.accountant else ["tui", "--summary", "--read-only"]
        return " ".join(shlex.quote(part) for part in parts)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _token_ok(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def make_web_app(options: ServeOptions) -> web.Application:
    """The aiohttp application: the page, the websocket, the static files."""
    from textual_serve.download_manager import DownloadManager

    from tui.serve_session import run_session

    downloads = DownloadManager()

    @web.middleware
    async def require_token(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path.startswith("/static/"):
            return await handler(request)
        if _token_ok(request.cookies.get(COOKIE), options.token) or _token_ok(
            request.query.get("token"), options.token
        ):
            return await handler(request)
        return web.Response(status=401, text=REFUSED, content_type="text/html")

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
        response.set_cookie(COOKIE, options.token, httponly=True, samesite="Strict", path="/")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def websocket(request: web.Request) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if origin is not None and origin.split("://", 1)[-1] != request.host:
            return web.Response(status=403, text="Nguồn kết nối không hợp lệ.")
        return await run_session(request, options.command(), downloads)

    app = web.Application(middlewares=[require_token])
    app.add_routes(
        [
            web.get("/", index),
            web.get("/ws", websocket),
            web.static("/static", STATIC),
        ]
    )
    return app


def warning_for_host(host: str) -> str | None:
    if host in {"127.0.0.1", "localhost", "::1"}:
        return None
    return (
        f"Cảnh báo: trang mở cho mọi máy trong mạng tới được {host}; ai có đường dẫn kèm mã "
        "đều xem được. Chỉ dùng trong mạng nội bộ tin cậy, tắt (Ctrl+C) khi xong."
    )


def serve(options: ServeOptions, echo: Callable[[str], Any]) -> None:
    """Run until Ctrl+C; prints the one link (with its token) once."""
    shown_host = "127.0.0.1" if options.host in {"0.0.0.0", "::"} else options.host
    echo(f"Mở trình duyệt tại: http://{shown_host}:{options.port}/?token={options.token}")
    echo("Mã truy cập chỉ in một lần và hết hiệu lực khi dừng lệnh. Dừng: Ctrl+C.")
    warning = warning_for_host(options.host)
    if warning:
        echo(warning)
    web.run_app(make_web_app(options), host=options.host, port=options.port, print=None)
