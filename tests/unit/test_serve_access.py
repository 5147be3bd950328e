"""Who may see `budget serve`: the token printed at start, once exchanged for an
HttpOnly SameSite cookie, and a websocket from this server's own page only.
Every refusal is a 403 with one Vietnamese sentence and starts no app session
(a stand-in session runner counts the sessions the server would start)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("textual_serve")

from aiohttp import web  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from tests.conftest import run_cli  # noqa: E402
from tui.serve import (  # noqa: E402
    MAX_SESSIONS,
    ServeOptions,
    make_web_app,
    origin_ok,
    start_lines,
    warning_for_host,
)

TOKEN = "t0k3n-for-the-tests-only-1234567890"
PORT = 8470
COOKIE = f"budget_token_{PORT}"


def options(**changes: Any) -> ServeOptions:
    values: dict[str, Any] = {
        "db": "sqlite:////tmp/xa-phu-ly.db",
        "host": "127.0.0.1",
        "port": PORT,
        "accountant": False,
        "token": TOKEN,
    }
    values.update(changes)
    return ServeOptions(**values)


class Sessions:
    """Stands in for the app process: counts the sessions and answers 200."""

    def __init__(self) -> None:
        self.started: list[str] = []

    async def __call__(self, request: web.Request, opts: ServeOptions) -> web.StreamResponse:
        self.started.append(request.path)
        return web.Response(text="phiên ứng dụng")


def run(check: Callable[[TestClient[Any, Any], Sessions], Awaitable[None]]) -> Sessions:
    sessions = Sessions()

    async def main() -> None:
        client: TestClient[Any, Any] = TestClient(
            TestServer(make_web_app(options(), session_runner=sessions))
        )
        await client.start_server()
        try:
            await check(client, sessions)
        finally:
            await client.close()

    asyncio.run(main())
    return sessions


def test_no_token_is_403_in_vietnamese_and_starts_nothing() -> None:
    async def check(client: TestClient[Any, Any], _: Sessions) -> None:
        for path in ("/", "/ws", "/static/js/textual.js", "/khong-co"):
            response = await client.get(path, allow_redirects=False)
            assert response.status == 403, path
            body = await response.text()
            assert "Cần mã truy cập" in body
            assert "set-cookie" not in response.headers

    assert run(check).started == []


def test_a_wrong_token_or_cookie_is_refused() -> None:
    async def check(client: TestClient[Any, Any], _: Sessions) -> None:
        wrong = TOKEN[:-1] + "X"
        for path, cookies in (
            (f"/?token={wrong}", {}),
            ("/?token=", {}),
            ("/ws", {COOKIE: wrong}),
            ("/ws", {"budget_token_9999": TOKEN}),  # another port's server
            (f"/ws?token={TOKEN}", {}),  # the token opens the page only, not a session
        ):
            client.session.cookie_jar.clear()
            response = await client.get(path, cookies=cookies, allow_redirects=False)
            assert response.status == 403, (path, cookies)

    assert run(check).started == []


def test_the_token_becomes_a_strict_httponly_cookie_and_leaves_the_url() -> None:
    async def check(client: TestClient[Any, Any], _: Sessions) -> None:
        response = await client.get(f"/?token={TOKEN}", allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"] == "/"
        cookie = response.cookies[COOKIE]
        assert cookie.value == TOKEN
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Strict"
        assert cookie["path"] == "/"
        assert response.headers["Referrer-Policy"] == "no-referrer"

        page = await client.get("/")  # the cookie jar now carries it
        assert page.status == 200
        html = await page.text()
        assert 'lang="vi"' in html and "trang của Chủ tịch" in html
        assert TOKEN not in html  # the page never repeats the token
        assert f'data-session-websocket-url="ws://{client.host}:{client.port}/ws"' in html
        assert page.headers["Cache-Control"] == "no-store"

        static = await client.get("/static/js/textual.js")
        assert static.status == 200

    assert run(check).started == []  # pages and files start no app


def test_websocket_from_this_page_starts_one_session() -> None:
    async def check(client: TestClient[Any, Any], _: Sessions) -> None:
        own = f"http://{client.host}:{client.port}"
        response = await client.get("/ws", cookies={COOKIE: TOKEN}, headers={"Origin": own})
        assert response.status == 200
        assert await response.text() == "phiên ứng dụng"

    assert run(check).started == ["/ws"]


def test_websocket_from_another_site_is_refused() -> None:
    async def check(client: TestClient[Any, Any], _: Sessions) -> None:
        for origin in (
            "http://evil.example",
            f"http://{client.host}:{client.port + 1}",
            f"http://{client.host}:{client.port}.evil.example",
            "null",
        ):
            response = await client.get("/ws", cookies={COOKIE: TOKEN}, headers={"Origin": origin})
            assert response.status == 403, origin
            assert await response.text() == "Nguồn kết nối không hợp lệ."

    assert run(check).started == []


def test_sessions_are_bounded() -> None:
    release = asyncio.Event()
    started: list[int] = []

    async def slow(request: web.Request, opts: ServeOptions) -> web.StreamResponse:
        started.append(1)
        await release.wait()
        return web.Response(text="xong")

    async def main() -> None:
        client: TestClient[Any, Any] = TestClient(
            TestServer(make_web_app(options(), session_runner=slow))
        )
        await client.start_server()
        try:
            held = [
                asyncio.create_task(client.get("/ws", cookies={COOKIE: TOKEN}))
                for _ in range(MAX_SESSIONS)
            ]
            while len(started) < MAX_SESSIONS:
                await asyncio.sleep(0.01)
            extra = await client.get("/ws", cookies={COOKIE: TOKEN})
            assert extra.status == 503
            assert "quá nhiều phiên" in await extra.text()
            release.set()
            assert [(await t).status for t in held] == [200] * MAX_SESSIONS
        finally:
            await client.close()

    asyncio.run(main())
    assert len(started) == MAX_SESSIONS


def test_origin_rule() -> None:
    assert origin_ok(None, "127.0.0.1:8470")
    assert origin_ok("http://127.0.0.1:8470", "127.0.0.1:8470")
    assert origin_ok("https://xa.local:8470", "xa.local:8470")
    assert not origin_ok("http://127.0.0.1:8471", "127.0.0.1:8470")
    assert not origin_ok("file://127.0.0.1:8470", "127.0.0.1:8470")
    assert not origin_ok("null", "127.0.0.1:8470")


def test_the_chairman_runs_read_only_with_the_database_out_of_the_command_line() -> None:
    chairman = options(db="postgresql+psycopg://xa:mat-khau@10.0.0.5/ns")
    assert chairman.command().endswith("-m budget tui --summary --read-only")
    assert "mat-khau" not in chairman.command()
    assert chairman.environment() == {
        "BUDGET_DATABASE_URL": "postgresql+psycopg://xa:mat-khau@10.0.0.5/ns",
        "BUDGET_LANG": "vi",  # the browser's app speaks the server's language
    }
    accountant = options(accountant=True, norms_files=("/tmp/định mức.toml",))
    assert accountant.command().endswith("-m budget --norms '/tmp/định mức.toml' tui")


def test_local_start_prints_the_link_without_a_warning() -> None:
    lines = start_lines(options())
    assert lines[0] == f"Mở trình duyệt tại: http://127.0.0.1:{PORT}/?token={TOKEN}"
    assert len(lines) == 2
    assert warning_for_host("localhost") is None


def test_the_office_network_gets_a_clear_warning() -> None:
    lines = start_lines(options(host="0.0.0.0"))
    assert lines[0] == f"Mở trình duyệt tại: http://127.0.0.1:{PORT}/?token={TOKEN}"
    assert lines[2].startswith("CẢNH BÁO: trang đang mở cho mọi máy trong mạng")
    assert "0.0.0.0" in lines[2] and "Ctrl+C" in lines[2]
    assert lines[3] == "Từ máy khác: thay 127.0.0.1 trong đường dẫn bằng địa chỉ IP của máy này."
    named = start_lines(options(host="192.0.2.7"))
    assert named[0].startswith("Mở trình duyệt tại: http://192.0.2.7:8470/?token=")
    assert len(named) == 3 and "192.0.2.7" in named[2]


def test_serve_refuses_a_missing_database_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "khong-co.db"
    result = run_cli("--db", str(missing), "serve", "--port", "1")
    assert result.code == 2
    assert result.err.strip() == f"Lỗi: Không tìm thấy tệp cơ sở dữ liệu {missing}."
    assert result.out == ""  # no link, no token printed
    assert not missing.exists()


def test_serve_on_a_busy_port_is_one_line_and_prints_no_token(tmp_path: Path) -> None:
    from budget.db import open_database

    path = tmp_path / "budget.db"
    open_database(str(path)).dispose()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("--db", str(path), "serve", "--port", str(port))
    assert result.code == 2
    assert result.err.strip() == f"Lỗi: Không mở được cổng 127.0.0.1:{port}: cổng đang được dùng."
    assert "token" not in result.out
