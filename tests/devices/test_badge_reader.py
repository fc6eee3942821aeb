"""The real BadgeReader thread on real pseudo-terminals: the pty stands in for the device."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.devices.badge_frames import FrameCounters, decoder_for
from kiosk.devices.badge_reader import BadgeReader, ReaderConfig, ReaderState
from tests.helpers.serial_pty import PtyPair, rdm6300_frame

UID = "0100BA9B5F"
FRAME = rdm6300_frame(UID)
OTHER_UID = "1A2B3C4D5E"
WAIT_MS = 5000  # generous: the machine is shared; the taps themselves take milliseconds


class Recorder:
    """Everything one reader emitted, in order."""

    def __init__(self, reader: BadgeReader) -> None:
        self.taps: list[str] = []
        self.states: list[tuple[str, str]] = []
        self.counters: list[FrameCounters] = []
        reader.badge_tapped.connect(self.taps.append)
        reader.state_changed.connect(lambda state, detail: self.states.append((state, detail)))
        reader.counters_changed.connect(self.counters.append)


MakeReader = Callable[..., tuple[BadgeReader, Recorder]]


@pytest.fixture
def make_reader(qtbot: QtBot) -> Iterator[MakeReader]:
    """Builds readers (with a short retry) and stops every one of them after the test."""
    readers: list[BadgeReader] = []

    def make(port: str, **options: object) -> tuple[BadgeReader, Recorder]:
        options.setdefault("retry_seconds", 0.05)
        reader = BadgeReader(ReaderConfig(port, **options))  # type: ignore[arg-type]
        readers.append(reader)
        return reader, Recorder(reader)

    yield make
    for reader in readers:
        reader.stop()
        assert reader.state is ReaderState.OFF


@pytest.fixture
def pty() -> Iterator[PtyPair]:
    pair = PtyPair()
    yield pair
    pair.close()


def start_connected(qtbot: QtBot, reader: BadgeReader) -> None:
    """Start and wait until the port is open: bytes written before that are flushed by the
    open (PLATFORM pitfall 11)."""
    reader.start()
    qtbot.waitUntil(lambda: reader.state is ReaderState.CONNECTED, timeout=WAIT_MS)


Connected = tuple[BadgeReader, Recorder, PtyPair]


@pytest.fixture
def connected(qtbot: QtBot, pty: PtyPair, make_reader: MakeReader) -> Connected:
    """A reader (RDM6300 framing, 1 s hold) with its port open on `pty`."""
    reader, recorder = make_reader(pty.slave_path)
    start_connected(qtbot, reader)
    return reader, recorder, pty


def test_a_valid_frame_is_one_tap(qtbot: QtBot, connected: Connected) -> None:
    reader, recorder, pty = connected
    with qtbot.waitSignal(reader.badge_tapped, timeout=WAIT_MS) as tapped:
        pty.write(FRAME)
    assert tapped.args == [UID]
    qtbot.waitUntil(lambda: reader.counters.frames == 1, timeout=WAIT_MS)
    qtbot.wait(200)
    assert recorder.taps == [UID]
    assert recorder.states[-1][0] == "connected"
    assert pty.slave_path in recorder.states[-1][1]


def test_a_bad_checksum_is_no_tap_but_is_counted(qtbot: QtBot, connected: Connected) -> None:
    reader, recorder, pty = connected
    with qtbot.waitSignal(
        reader.counters_changed,
        timeout=WAIT_MS,
        check_params_cb=lambda counters: counters.bad_checksum == 1,
    ):
        pty.write(rdm6300_frame(UID, checksum=0x00))
    assert recorder.taps == []
    assert reader.counters.bad_checksum == 1
    # Still reading: the next good frame taps.
    with qtbot.waitSignal(reader.badge_tapped, timeout=WAIT_MS):
        pty.write(FRAME)
    assert recorder.taps == [UID]


def test_a_frame_in_two_writes_with_a_pause_is_one_tap(qtbot: QtBot, connected: Connected) -> None:
    reader, recorder, pty = connected
    pty.write(FRAME[:6])
    qtbot.wait(150)  # several read timeouts' worth of silence in the middle of the frame
    assert recorder.taps == []
    with qtbot.waitSignal(reader.badge_tapped, timeout=WAIT_MS):
        pty.write(FRAME[6:])
    qtbot.wait(100)
    assert recorder.taps == [UID]
    assert reader.counters == FrameCounters(frames=1)


def test_a_badge_held_on_the_reader_is_one_tap(qtbot: QtBot, connected: Connected) -> None:
    reader, recorder, pty = connected
    writes = 0
    end = time.monotonic() + 1.5
    while time.monotonic() < end:  # an RDM6300 repeats the frame every ~100 ms
        pty.write(FRAME)
        writes += 1
        qtbot.wait(100)
    qtbot.waitUntil(lambda: reader.counters.frames == writes, timeout=WAIT_MS)
    assert writes >= 10
    assert recorder.taps == [UID]
    # Lifted for longer than the hold (1 s), then presented again: a new tap.
    qtbot.wait(1100)
    with qtbot.waitSignal(reader.badge_tapped, timeout=WAIT_MS):
        pty.write(FRAME)
    assert recorder.taps == [UID, UID]


def test_noise_is_no_tap(qtbot: QtBot, connected: Connected) -> None:
    reader, recorder, pty = connected
    noise = b"\x00\xff hello \x03\x03 0100BA9B5F7F \r\n" * 20  # no STX: all outside frames
    pty.write(noise)
    qtbot.waitUntil(lambda: reader.counters.noise_bytes == len(noise), timeout=WAIT_MS)
    assert recorder.taps == []
    with qtbot.waitSignal(reader.badge_tapped, timeout=WAIT_MS):
        pty.write(rdm6300_frame(OTHER_UID))
    assert recorder.taps == [OTHER_UID]


def test_ascii_lines_through_the_port(qtbot: QtBot, pty: PtyPair, make_reader: MakeReader) -> None:
    reader, recorder = make_reader(pty.slave_path, protocol="ascii")
    start_connected(qtbot, reader)
    with qtbot.waitSignal(reader.badge_tapped, timeout=WAIT_MS) as tapped:
        pty.write(b"ab12cd34\r\n")
    assert tapped.args == ["AB12CD34"]
    assert recorder.taps == ["AB12CD34"]


def test_an_unplugged_reader_reconnects_when_plugged_back(
    qtbot: QtBot, tmp_path: Path, make_reader: MakeReader
) -> None:
    link = tmp_path / "rfid"  # the stable name a udev rule would give the reader
    first = PtyPair()
    second: PtyPair | None = None
    try:
        os.symlink(first.slave_path, link)
        reader, recorder = make_reader(str(link))
        start_connected(qtbot, reader)
        with qtbot.waitSignal(reader.badge_tapped, timeout=WAIT_MS):
            first.write(FRAME)

        # Unplugged: the device node goes away (the link first, so that a retry can
        # never reach a pty some other process gets with the same number).
        link.unlink()
        first.close()
        qtbot.waitUntil(lambda: reader.state is ReaderState.RECONNECTING, timeout=WAIT_MS)
        state, detail = recorder.states[-1]
        assert state == "reconnecting"
        assert str(link) in detail
        qtbot.wait(200)  # a few failed attempts to reopen
        assert reader.state is ReaderState.RECONNECTING

        # Plugged back in: a new device under the same name.
        second = PtyPair()
        os.symlink(second.slave_path, link)
        qtbot.waitUntil(lambda: reader.state is ReaderState.CONNECTED, timeout=WAIT_MS)
        with qtbot.waitSignal(reader.badge_tapped, timeout=WAIT_MS) as tapped:
            second.write(rdm6300_frame(OTHER_UID))
        assert tapped.args == [OTHER_UID]
        assert recorder.taps == [UID, OTHER_UID]
        seen = [state for state, _ in recorder.states]
        assert seen[0] == "connected"
        assert "reconnecting" in seen
        assert seen[-1] == "connected"
    finally:
        first.close()
        if second is not None:
            second.close()


def test_a_missing_port_at_start_is_reconnecting_and_stop_is_quick(
    qtbot: QtBot, tmp_path: Path, make_reader: MakeReader
) -> None:
    # A long retry: stop() must interrupt the wait, not sit it out.
    reader, recorder = make_reader(str(tmp_path / "no-such-port"), retry_seconds=30.0)
    reader.start()
    qtbot.waitUntil(lambda: reader.state is ReaderState.RECONNECTING, timeout=WAIT_MS)
    assert "no-such-port" in recorder.states[-1][1]
    started = time.monotonic()
    reader.stop()
    assert time.monotonic() - started < 1.0
    assert reader.state is ReaderState.OFF
    assert recorder.states[-1] == ("off", "stopped")
    reader.stop()  # twice is fine
    assert recorder.states[-1] == ("off", "stopped")


def test_stop_on_a_connected_reader_is_quick(qtbot: QtBot, connected: Connected) -> None:
    reader, recorder, _ = connected
    started = time.monotonic()
    reader.stop()
    assert time.monotonic() - started < 1.0
    qtbot.wait(50)
    assert recorder.states[-1] == ("off", "stopped")


def test_nothing_the_thread_sent_arrives_after_stop(qtbot: QtBot, connected: Connected) -> None:
    reader, recorder, pty = connected
    pty.write(FRAME)
    # Wait without running the GUI event loop: the tap is queued, not yet delivered.
    deadline = time.monotonic() + WAIT_MS / 1000
    while reader.counters.frames < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert reader.counters.frames == 1
    reader.stop()
    qtbot.wait(100)
    assert recorder.taps == []
    assert recorder.states[-1] == ("off", "stopped")
    assert reader.counters.frames == 1


def test_no_port_means_off_and_no_thread(qtbot: QtBot, make_reader: MakeReader) -> None:
    reader, recorder = make_reader("")
    reader.start()
    assert reader.state is ReaderState.OFF
    assert recorder.states == [("off", "no badge reader configured (rfid_port is empty)")]
    reader.stop()  # nothing was started: nothing to stop
    assert len(recorder.states) == 1


def test_a_port_url_pyserial_cannot_use_is_an_error(qtbot: QtBot, make_reader: MakeReader) -> None:
    reader, recorder = make_reader("nosuchscheme://reader")
    reader.start()
    qtbot.waitUntil(lambda: reader.state is ReaderState.ERROR, timeout=WAIT_MS)
    assert "nosuchscheme" in recorder.states[-1][1]


def test_an_unknown_protocol_fails_when_the_reader_is_made() -> None:
    with pytest.raises(ValueError, match="wiegand"):
        BadgeReader(ReaderConfig("/dev/ttyUSB0", protocol="wiegand"))


def test_the_loop_url_works_too(qtbot: QtBot, make_reader: MakeReader) -> None:
    # pyserial's loop:// echoes what is written: handy for a demo without hardware.
    reader, _ = make_reader("loop://")
    start_connected(qtbot, reader)
    assert reader.state is ReaderState.CONNECTED


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(("rdm6300", FRAME, UID), id="rdm6300"),
        pytest.param(("ascii", b"\r\nABCD1234\r\n", "ABCD1234"), id="ascii"),
    ],
)
def test_100k_random_bytes_are_no_tap_and_the_reader_keeps_reading(
    qtbot: QtBot, pty: PtyPair, make_reader: MakeReader, case: tuple[str, bytes, str]
) -> None:
    protocol, trailer, uid = case
    reader, recorder = make_reader(pty.slave_path, protocol=protocol)
    start_connected(qtbot, reader)
    noise = random.Random(2026).randbytes(100_000)  # free of valid frames: see test_badge_frames
    pty.write(noise)
    with qtbot.waitSignal(reader.badge_tapped, timeout=20_000):
        pty.write(trailer)
    assert recorder.taps == [uid]
    assert reader.state is ReaderState.CONNECTED
    # The thread counted exactly what the decoder counts on the same bytes, in one piece.
    expected = decoder_for(protocol)
    expected.feed(noise + trailer)
    qtbot.waitUntil(lambda: reader.counters == expected.counters, timeout=WAIT_MS)
    assert reader.counters.noise_bytes + reader.counters.malformed > 1000
    qtbot.waitUntil(lambda: recorder.counters[-1:] == [expected.counters], timeout=WAIT_MS)
