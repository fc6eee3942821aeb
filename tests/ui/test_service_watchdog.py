"""systemd hears the kiosk is up and alive: READY=1, then WATCHDOG=1 from the GUI thread.

A real AF_UNIX datagram socket stands in for systemd's $NOTIFY_SOCKET; the pings come from
the kiosk's own Qt timer, so a GUI thread that is stuck sends none (and systemd restarts it).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.systemd_notify import sd_notify, watchdog_interval_seconds
from kiosk.ui.watchdog import Watchdog


@pytest.fixture
def notify_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[socket.socket]:
    """systemd's end: a datagram socket; its path is in $NOTIFY_SOCKET."""
    path = tmp_path / "notify"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    server.setblocking(False)
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    yield server
    server.close()


def _received(server: socket.socket) -> list[str]:
    messages = []
    while True:
        try:
            messages.append(server.recv(4096).decode())
        except BlockingIOError:
            return messages


def test_sd_notify_reaches_the_socket(notify_socket: socket.socket) -> None:
    assert sd_notify("READY=1")
    assert _received(notify_socket) == ["READY=1"]


def test_an_abstract_socket_address_works(monkeypatch: pytest.MonkeyPatch) -> None:
    name = f"line-kiosk-test-{time.monotonic_ns()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind("\0" + name)
        monkeypatch.setenv("NOTIFY_SOCKET", "@" + name)
        assert sd_notify("WATCHDOG=1")
        assert server.recv(100) == b"WATCHDOG=1"


def test_without_systemd_nothing_is_sent_and_nothing_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert not sd_notify("READY=1")
    monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "gone"))  # systemd went away
    assert not sd_notify("READY=1")


def test_the_ping_interval_is_half_the_units_watchdog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDOG_USEC", "30000000")
    assert watchdog_interval_seconds() == 15.0
    monkeypatch.setenv("WATCHDOG_USEC", "0")
    assert watchdog_interval_seconds() is None
    monkeypatch.delenv("WATCHDOG_USEC")
    assert watchdog_interval_seconds() is None


def test_ready_then_pings_from_the_gui_thread_stop_while_it_hangs(
    notify_socket: socket.socket, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    monkeypatch.setenv("WATCHDOG_USEC", "100000")  # WatchdogSec=0.1: a ping every 50 ms
    watchdog = Watchdog()
    watchdog.ready()
    qtbot.waitUntil(lambda: watchdog.pings >= 3, timeout=2000)
    messages = _received(notify_socket)
    assert messages[0] == "READY=1"
    assert set(messages[1:]) == {"WATCHDOG=1"}
    time.sleep(0.4)  # the GUI thread is stuck: its event loop runs no timer
    assert _received(notify_socket) == []
    qtbot.waitUntil(lambda: "WATCHDOG=1" in _received(notify_socket), timeout=2000)
    watchdog.timer.stop()


def test_without_a_watchdog_in_the_unit_only_ready_is_sent(
    notify_socket: socket.socket, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    monkeypatch.delenv("WATCHDOG_USEC", raising=False)
    watchdog = Watchdog()
    watchdog.ready()
    qtbot.wait(100)
    assert _received(notify_socket) == ["READY=1"]
    assert not watchdog.timer.isActive()
