"""Request bodies read as the JSON standard says: nothing PostgreSQL could not store.

Python's JSON parser lets NaN, Infinity, escaped NUL characters and lone surrogates
through; stored, any of them would fail the whole batch's transaction. They are refused
while the body is parsed: the constants through the parser's own hook, the escapes by a
search of the raw text (in C). A body of thousands of values is therefore never
serialised a second time only to be checked (that cost a push about 5 % of its time).
A refusal is a JSON decode error: FastAPI answers it 422, like any malformed body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

# A NUL as JSON writes it: an odd number of backslashes before "u0000" (an even number is
# escaped backslashes followed by the letters "u0000").
_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def parse_storable(body: bytes) -> Any:
    """The body's JSON value; `json.JSONDecodeError` for anything PostgreSQL cannot store."""
    try:
        text = body.decode("utf-8")  # strict: UTF-8 encoded surrogates are refused here
    except UnicodeDecodeError as error:
        raise json.JSONDecodeError("text must be valid UTF-8", "", error.start) from None
    value = json.loads(text, parse_constant=_refuse_constant(text))
    found = _NUL_ESCAPE.search(text) if "\\u0000" in text else None
    if found is not None:
        raise json.JSONDecodeError("text must not contain a NUL character", text, found.start())
    if _SURROGATE_ESCAPE.search(text) is not None and _has_lone_surrogate(value):
        raise json.JSONDecodeError("text must be valid Unicode", text, 0)
    return value


def _refuse_constant(text: str) -> Callable[[str], Any]:
    def refuse(name: str) -> Any:
        raise json.JSONDecodeError(f"numbers must be finite, not {name}", text, text.find(name))

    return refuse


def _has_lone_surrogate(value: Any) -> bool:
    """Rare (only where the text escapes a surrogate, as a pair does for an emoji)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class StorableJsonRequest(Request):
    """A request whose JSON body is parsed with `parse_storable`."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = parse_storable(await self.body())
        return self._json


class StorableJsonRoute(APIRoute):
    """Routes whose bodies are read by `StorableJsonRequest` (FastAPI's custom route class)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def storable_json_handler(request: Request) -> Response:
            return await handler(StorableJsonRequest(request.scope, request.receive))

        return storable_json_handler
