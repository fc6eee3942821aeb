"""The door of the service: request bodies past a size are refused as they stream in, and
every refusal or failure (401, 403, 413, 429, 5xx) is counted and logged.

Starlette 1.10 and FastAPI 0.165 have a `max_body_size` of their own, but it refuses only
when the route reads its body, with a plain "Content Too Large" unlike our error
answers, and keeps the connection open for the rest of the upload. This middleware reads
the body itself before anything runs (uvicorn hands it over in chunks and stops reading
the socket while a chunk waits): at most the limit is ever held, a declared
`Content-Length` past it is refused before one byte is kept, a lying or missing one when
the count passes it; the connection is then closed after a bounded drain.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

COUNTED_STATUSES = frozenset({401, 403, 413, 429})
TOO_LARGE = "too_large"
DEVICE_ID_STATE = "device_id"  # set in the request's state once its token is known
_OTHER_ROUTE = "other"
# What is read and dropped of a refused body before its connection closes.
DRAIN_BYTES = 16 * 1024 * 1024
DRAIN_SECONDS = 5.0


class BodyTooLargeError(Exception):
    pass


class _ClientGoneError(Exception):
    """The client disconnected before its body was whole: nobody to answer."""


class RequestLimits:
    """Pure ASGI middleware: the body size limit, and the answer counters and log lines."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 0

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            try:
                body = await self._read_body(scope, receive)
            except BodyTooLargeError:
                status = 413
                await _answer_too_large(receive, send, self.max_body_bytes)
                return
            except _ClientGoneError:
                return
            await self.app(scope, _replay(body, receive), noting_status)
        except Exception:
            status = status or 500  # ServerErrorMiddleware, outside, answers it
            raise
        finally:
            if status in COUNTED_STATUSES or status >= 500:
                _note(scope, status)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            raise BodyTooLargeError
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                raise _ClientGoneError
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise BodyTooLargeError
            chunks.append(chunk)
            if not message.get("more_body", False):
                return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read already, as one message; then the server's own (a disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses such a request before it reaches us
    return None


async def _answer_too_large(receive: Receive, send: Send, limit: int) -> None:
    """413 at once; then a bounded part of the rest is read and dropped before the connection
    closes, so a client that reads its answer only once it has sent (as most do) still gets
    it, while a 200 MB upload is cut off after DRAIN_BYTES or DRAIN_SECONDS."""
    body = json.dumps(
        {
            "detail": {
                "code": TOO_LARGE,
                "message": f"the request body is larger than {limit} bytes",
            }
        }
    ).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": True})
    with anyio.move_on_after(DRAIN_SECONDS):
        dropped = 0
        while dropped < DRAIN_BYTES:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
            dropped += len(message.get("body", b""))
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def route_of(scope: Scope) -> str:
    """The route's path template (a bounded set of labels), whatever path was asked for."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    app = scope.get("app")
    known = {getattr(item, "path", None) for item in getattr(app, "routes", ())}
    return scope["path"] if scope.get("path") in known else _OTHER_ROUTE


def _note(scope: Scope, status: int) -> None:
    """Count the answer in this process's metrics and log it with the device, never a token."""
    route = route_of(scope)
    app: Any = scope.get("app")
    backend = getattr(getattr(app, "state", None), "backend", None)
    if backend is not None:
        backend.metrics.error_responses.labels(status=str(status), route=route).inc()
    state = scope.get("state") or {}
    device = state.get(DEVICE_ID_STATE)
    client = scope.get("client")
    address = client[0] if client else "unknown"
    log.warning(
        "answered %d to %s %s from %s (device %s)",
        status,
        scope.get("method", ""),
        route,
        address,
        device or "unknown",
    )
