"""A small TCP proxy of ours between a kiosk and the server, to make the network misbehave.

It forwards bytes on 127.0.0.1 and understands just enough HTTP/1.1 (a request's head
and its Content-Length body) to capture each request and to tell one response from the
next. Modes, switched at any time:

- `PASS`: forward both ways;
- `DOWN`: the network is down: open connections are reset, new ones reset at once;
- `SWALLOW`: a request is read (and captured) but never reaches the server; reset;
- `DROP_RESPONSE`: the request reaches the server, which commits and answers; the
  answer is thrown away at its first byte and the kiosk's connection reset;
- `HOLD`: the server's answer is kept here until `release()` (a kiosk may die meanwhile).

`set_mode(mode, responses=n)` applies a mode to the next n requests or responses only,
then the proxy passes again. Every answer the server began is counted (`answered`),
so a test knows the server committed before it kills something.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit


class Mode(StrEnum):
    PASS = "pass"
    DOWN = "down"
    SWALLOW = "swallow"
    DROP_RESPONSE = "drop_response"
    HOLD = "hold"


@dataclass(frozen=True)
class CapturedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def _reset(sock: socket.socket) -> None:
    """Close with an RST (SO_LINGER 0): the peer sees 'connection reset', as on a cut cable."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class _RequestReader:
    """Splits the client's byte stream into HTTP requests (head + Content-Length body)."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[CapturedRequest]:
        self._buffer += data
        found = []
        while True:
            head_end = self._buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return found
            head = self._buffer[:head_end].decode("latin-1").split("\r\n")
            headers = {}
            for line in head[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            end = head_end + 4 + length
            if len(self._buffer) < end:
                return found
            method, path, *_ = head[0].split(" ")
            found.append(CapturedRequest(method, path, headers, self._buffer[head_end + 4 : end]))
            self._buffer = self._buffer[end:]


@dataclass
class _Link:
    """One client connection and its connection to the server."""

    client: socket.socket
    upstream: socket.socket
    reader: _RequestReader = field(default_factory=_RequestReader)
    answering: Mode | None = None  # how the response now coming is treated
    held: bytearray = field(default_factory=bytearray)
    release: threading.Event = field(default_factory=threading.Event)
    closed: bool = False


class TcpProxy:
    def __init__(self, target_url: str) -> None:
        self._lock = threading.Lock()
        self._target = self._address(target_url)
        self._mode = Mode.PASS
        self._remaining: int | None = None  # requests/responses the mode still applies to
        self._links: list[_Link] = []
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self.captured: list[CapturedRequest] = []
        self.answered = 0  # responses the server began to send (it had committed)
        self.dropped = 0
        self.held = 0
        self.reset = 0  # connections reset because the network was down
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.05)
        self.port = int(self._listener.getsockname()[1])
        self._acceptor = threading.Thread(target=self._accept, name="tcp-proxy", daemon=True)
        self._acceptor.start()

    # ------------------------------------------------------------------ control
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @staticmethod
    def _address(url: str) -> tuple[str, int]:
        parts = urlsplit(url)
        assert parts.hostname is not None and parts.port is not None, url
        return parts.hostname, parts.port

    def retarget(self, target_url: str) -> None:
        """Send new connections to another server (the old ones are cut)."""
        with self._lock:
            self._target = self._address(target_url)
            links = list(self._links)
        for link in links:
            self._close(link)

    def set_mode(self, mode: Mode, *, responses: int | None = None) -> None:
        with self._lock:
            self._mode = mode
            self._remaining = responses
            links = list(self._links) if mode is Mode.DOWN else []
        for link in links:
            self._close(link, reset=True)

    @property
    def mode(self) -> Mode:
        with self._lock:
            return self._mode

    def release(self) -> None:
        """Deliver the held answers (to whoever is still listening) and pass from now on."""
        self.set_mode(Mode.PASS)
        with self._lock:
            links = list(self._links)
        for link in links:
            link.release.set()

    def wait_for(self, what: str, count: int, timeout: float = 10.0) -> None:
        """Wait until the counter `what` (answered, dropped, held, reset) reaches `count`."""
        deadline = time.monotonic() + timeout
        while getattr(self, what) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"proxy: {what} is {getattr(self, what)}, not {count}")
            time.sleep(0.01)

    def close(self) -> None:
        self._stopping.set()
        self._acceptor.join(5)
        self._listener.close()
        with self._lock:
            links = list(self._links)
        for link in links:
            self._close(link)
        for thread in self._threads:
            thread.join(5)

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ the mode of one step
    def _take(self, modes: tuple[Mode, ...]) -> Mode:
        """The mode for one request or response; counted modes run out, then PASS again."""
        with self._lock:
            mode = self._mode
            if mode not in modes:
                return Mode.PASS
            if self._remaining is not None:
                self._remaining -= 1
                if self._remaining <= 0:
                    self._mode, self._remaining = Mode.PASS, None
            return mode

    # ------------------------------------------------------------------ the plumbing
    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                down, target = self._mode is Mode.DOWN, self._target
            if down:
                self.reset += 1
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(target, timeout=5)
            except OSError:
                _reset(client)
                continue
            link = _Link(client, upstream)
            with self._lock:
                self._links.append(link)
            thread = threading.Thread(target=self._pump, args=(link,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _pump(self, link: _Link) -> None:
        selector = selectors.DefaultSelector()
        try:
            selector.register(link.client, selectors.EVENT_READ, "client")
            selector.register(link.upstream, selectors.EVENT_READ, "upstream")
            while not link.closed and not self._stopping.is_set():
                if link.held and link.release.is_set():
                    link.client.sendall(bytes(link.held))
                    link.held.clear()
                    link.answering = Mode.PASS
                for key, _ in selector.select(timeout=0.02):
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    if not data:
                        self._close(link)
                        break
                    if key.data == "client":
                        self._from_client(link, data)
                    else:
                        self._from_upstream(link, data)
                    if link.closed:
                        break
        except (OSError, ValueError):  # a socket closed by another thread (DOWN, close)
            self._close(link, reset=True)
        finally:
            selector.close()
            self._close(link)

    def _from_client(self, link: _Link, data: bytes) -> None:
        requests = link.reader.feed(data)
        with self._lock:
            self.captured.extend(requests)
        if requests and self._take((Mode.SWALLOW,)) is Mode.SWALLOW:
            self._close(link, reset=True)  # lost on the way: the server never sees it
            return
        if requests:
            link.answering = None  # a new answer will come
        link.upstream.sendall(data)

    def _from_upstream(self, link: _Link, data: bytes) -> None:
        if link.answering is None:
            link.answering = self._take((Mode.DROP_RESPONSE, Mode.HOLD))
            with self._lock:
                self.answered += 1
                if link.answering is Mode.DROP_RESPONSE:
                    self.dropped += 1
                elif link.answering is Mode.HOLD:
                    self.held += 1
        if link.answering is Mode.DROP_RESPONSE:
            self._close(link, reset=True)
        elif link.answering is Mode.HOLD and not link.release.is_set():
            link.held += data
        else:
            link.client.sendall(data)

    def _close(self, link: _Link, *, reset: bool = False) -> None:
        with self._lock:
            if link.closed:
                return
            link.closed = True
            if link in self._links:
                self._links.remove(link)
        if reset:
            _reset(link.client)
        else:
            link.client.close()
        link.upstream.close()
