"""Request bodies read as the JSON standard says: nothing PostgreSQL could not store.

Python's JSON parser lets NaN, Infinity, numbers too large for a float (1e400), escaped
NUL characters and lone surrogates through; stored, any of them would fail the whole
batch's transaction. They are refused while the body is parsed: the constants and floats
through the parser's own hooks, the escapes by a search of the raw text (in C). A body
of thousands of values is therefore never serialised a second time only to be checked
(that cost a push about 5 % of its time).
A refusal is a JSON decode error: FastAPI answers it 422, like any malformed body.

A body whose model can read itself from the raw bytes (`read_json`, the push's) is read
that way first, with pydantic's JSON parser, unless its text holds anything that could
be one of those values (the letters NaN or Infinity, or any \\u escape, even inside a
string): those bodies, and any the model does not take as they are (it checks its parsed
numbers itself), go the usual way above, so what is refused, and its message, stays the
same.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.types import Receive, Scope

# A NUL as JSON writes it: an odd number of backslashes before "u0000" (an even number is
# escaped backslashes followed by the letters "u0000").
_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# Text a body read straight from its bytes must not hold (each a C search of the bytes):
# any \u escape at all, as a kiosk writes UTF-8 and escapes only control characters.
_LEFT_TO_THE_USUAL_PARSE = (b"NaN", b"Infinity", b"\\u")
# The body's value read from its bytes, or None; None too for a body holding a number too
# large for a float (1e400, or 400 digits and a fraction), which such a reader's parser
# reads as infinity: the usual parse refuses it with its message.
RawReader = Callable[[bytes], Any]


def parse_storable(body: bytes) -> Any:
    """The body's JSON value; `json.JSONDecodeError` for anything PostgreSQL cannot store."""
    try:
        text = body.decode("utf-8")  # strict: UTF-8 encoded surrogates are refused here
    except UnicodeDecodeError as error:
        raise json.JSONDecodeError("text must be valid UTF-8", "", error.start) from None
    value = json.loads(text, parse_constant=_refuse_constant(text), parse_float=_finite_float(text))
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


def _finite_float(text: str) -> Callable[[str], float]:
    def finite(number: str) -> float:
        value = float(number)
        if not math.isfinite(value):
            raise json.JSONDecodeError("numbers must be finite", text, text.find(number))
        return value

    return finite


def _has_lone_surrogate(value: Any) -> bool:
    """Rare (only where the text escapes a surrogate, as a pair does for an emoji)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_body(body: bytes, read_raw: RawReader | None = None) -> Any:
    """The body's value: through `read_raw` where it may be read straight from the bytes
    and takes it, else `parse_storable` (for the route's model to validate)."""
    if read_raw is not None and not any(map(body.__contains__, _LEFT_TO_THE_USUAL_PARSE)):
        value = read_raw(body)
        if value is not None:
            return value
    return parse_storable(body)


class StorableJsonRequest(Request):
    """A request whose JSON body is read by `read_body`."""

    def __init__(self, scope: Scope, receive: Receive, read_raw: RawReader | None) -> None:
        super().__init__(scope, receive)
        self._read_raw = read_raw

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = read_body(await self.body(), self._read_raw)
        return self._json


class StorableJsonRoute(APIRoute):
    """Routes whose bodies are read by `StorableJsonRequest` (FastAPI's custom route class);
    a body model's `read_json` classmethod, if it has one, reads it from the raw bytes."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        model = None if self.body_field is None else self.body_field.field_info.annotation
        read_raw: RawReader | None = getattr(model, "read_json", None)

        async def storable_json_handler(request: Request) -> Response:
            return await handler(StorableJsonRequest(request.scope, request.receive, read_raw))

        return storable_json_handler
