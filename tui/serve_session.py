"""One browser connection: a ``budget tui`` subprocess behind a websocket."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from aiohttp import WSMsgType, web

log = logging.getLogger("budget.serve")


def _size(value: Any, default: int, top: int) -> int:
    try:
        return max(10, min(top, int(value if value is not None else default)))
    except (TypeError, ValueError):
        return default


def _service_class() -> type[Any]:
    from textual_serve.app_service import AppService

    class BudgetAppService(AppService):  # type: ignore[misc]
        """textual-serve's app process, with the database address in its environment."""

        extra_environment: dict[str, str] = {}  # noqa: RUF012 - set per instance

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            environment: dict[str, str] = super()._build_environment(width, height)
            environment.update(self.extra_environment)
            return environment

    return BudgetAppService


async def _pump(websocket: web.WebSocketResponse, service: Any) -> None:
    """Keys, resizes, focus and pings from the browser to the app."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
            kind = envelope[0]
            data = envelope[1] if len(envelope) > 1 else None
        except (ValueError, IndexError, KeyError, TypeError):
            continue
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            width = _size(data.get("width"), 80, 500)
            height = _size(data.get("height"), 24, 300)
            await service.set_terminal_size(width, height)
        elif kind == "ping":
            await websocket.send_json(["pong", str(data)[:32]])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


async def _stop(service: Any, timeout: float = 5.0) -> None:
    """Ask the app to quit; one that does not within ``timeout`` is killed."""
    try:
        await asyncio.wait_for(service.stop(), timeout)
    except Exception:  # noqa: BLE001 - already gone, or hung
        process = getattr(service, "_process", None)
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()


async def run_session(
    request: web.Request, command: str, environment: dict[str, str]
) -> web.StreamResponse:
    from textual_serve.download_manager import DownloadManager

    websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 20)
    await websocket.prepare(request)
    width = _size(request.query.get("width"), 80, 500)
    height = _size(request.query.get("height"), 24, 300)
    service = _service_class()(
        command,
        write_bytes=websocket.send_bytes,
        write_str=websocket.send_str,
        close=websocket.close,
        download_manager=DownloadManager(),
    )
    service.extra_environment = dict(environment)
    try:
        await service.start(width, height)
        await _pump(websocket, service)
    except asyncio.CancelledError:
        pass
    except Exception:  # noqa: BLE001 - one connection must not stop the server
        log.exception("browser session failed")
    finally:
        # The socket first: the app's own "exit" then finds it closed instead of
        # waiting for a browser that is gone (or a server shutting down).
        with contextlib.suppress(Exception):
            await asyncio.wait_for(websocket.close(), 2.0)
        await _stop(service)
    return websocket
