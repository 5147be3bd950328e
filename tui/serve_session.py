"""One browser connection: a ``budget tui`` subprocess behind a websocket."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from aiohttp import WSMsgType, web

log = logging.getLogger("budget.serve")


def _size(value: str | None, default: int, top: int) -> int:
    try:
        return max(10, min(top, int(value or default)))
    except ValueError:
        return default


async def _pump(websocket: web.WebSocketResponse, service: object) -> None:
    """Keys, resizes and pings from the browser to the app."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
            kind, data = envelope[0], envelope[1]
        except (ValueError, IndexError, KeyError, TypeError):
            continue
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))  # type: ignore[attr-defined]
        elif kind == "resize" and isinstance(data, dict):
            width = _size(str(data.get("width")), 80, 500)
            height = _size(str(data.get("height")), 24, 300)
            await service.set_terminal_size(width, height)  # type: ignore[attr-defined]
        elif kind == "ping":
            await websocket.send_json(["pong", str(data)[:32]])


async def run_session(request: web.Request, command: str, downloads: object) -> web.StreamResponse:
    from textual_serve.app_service import AppService

    websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 20)
    await websocket.prepare(request)
    width = _size(request.query.get("width"), 80, 500)
    height = _size(request.query.get("height"), 24, 300)
    service = AppService(
        command,
        write_bytes=websocket.send_bytes,
        write_str=websocket.send_str,
        close=websocket.close,
        download_manager=downloads,  # type: ignore[arg-type]
    )
    try:
        await service.start(width, height)
        await _pump(websocket, service)
    except asyncio.CancelledError:
        pass
    except Exception:  # noqa: BLE001 - one connection must not stop the server
        log.exception("browser session failed")
    finally:
        with contextlib.suppress(Exception):
            await service.stop()
        with contextlib.suppress(Exception):
            await websocket.close()
    return websocket
