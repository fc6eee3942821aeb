"""Scanner bursts on a busy kiosk: real X key events into the real window, none may be lost.

The kiosk runs as in production (the application-wide scanner filter, the router, the
lookup on the worker thread) in a window on its own Xvfb display, an operator logged in.
`xdotool key` sends each burst (a work-order number and Enter) through the X server,
as a keyboard-wedge scanner's keys come, a few ms apart; the X server stamps each key.
First `--idle-scans` bursts with the GUI thread free, then `--scans` bursts while a
timer blocks the GUI thread 50-200 ms at a time with 10-60 ms free in between.

A burst counts as lost or mangled unless the scanner filter turned it into exactly its
code and the work-order screen showed that order. The latency runs from the Enter's X
stamp (put on this process's monotonic clock by the smallest stamp-to-arrival offset
seen) to the moment the work-order screen shows the order.

Without Xvfb or xdotool (`--keys qt`, or when they are missing) the keys are Qt key
events posted from a thread, each stamped with its send time, 5 ms apart: the output
says which. Goal (issue 13): 0 lost or mangled. Last line: `hid_lost_or_mangled: N scans`.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Qt reads QT_QPA_PLATFORM when the application is made, not on import: main() sets it.
from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from bench.kiosk_harness import Harness, percentile, start_kiosk
from kiosk.demo import demo_user

NUMBERS = ("WO-2026-004217", "WO-2026-004218", "WO-2026-004219")
RESULT_TIMEOUT = 5.0  # seconds a burst may take to show its work order
QT_KEY_GAP = 0.005
# xdotool's key --delay N is not N ms per key (PLATFORM.md item 14): 3 gave 3-6 ms here.
XDOTOOL_DELAY_MS = 3
KEYSYMS = {"-": "minus"}
SCAN_KEY_GAP_MS = 40  # the production setting: a sender slower than this is not a scanner


@dataclass
class Burst:
    code: str
    keys_sent_at: list[int] = field(default_factory=list)  # the keys' stamps, ms
    enter_stamp: int | None = None
    scans: list[str] = field(default_factory=list)
    shown_at: float | None = None  # monotonic seconds

    @property
    def is_intact(self) -> bool:
        return self.scans == [self.code] and self.shown_at is not None

    @property
    def widest_key_gap(self) -> int:
        stamps = self.keys_sent_at
        return max((b - a for a, b in itertools.pairwise(stamps)), default=0)


@contextmanager
def own_xvfb() -> Iterator[str]:
    """An Xvfb of our own on a free display number, with a cookie (PLATFORM.md item 15)."""
    number = next(
        n
        for n in range(150, 250)
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists()
    )
    display = f":{number}"
    with tempfile.TemporaryDirectory(prefix="bench-xvfb-") as folder:
        authority = str(Path(folder) / "xauth")
        subprocess.run(
            ["xauth", "-f", authority, "add", display, ".", secrets.token_hex(16)],
            check=True,
            capture_output=True,
        )
        server = subprocess.Popen(
            ["Xvfb", display, "-screen", "0", "1280x800x24", "-auth", authority],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 10
            while not Path(f"/tmp/.X11-unix/X{number}").exists():
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"Xvfb did not start on {display}")
                time.sleep(0.05)
            os.environ["DISPLAY"] = display
            os.environ["XAUTHORITY"] = authority
            yield display
        finally:
            server.terminate()
            server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=1000, help="bursts with the GUI busy")
    parser.add_argument("--idle-scans", type=int, default=200, help="bursts with it free")
    parser.add_argument("--keys", choices=("x", "qt"), default="x")
    args = parser.parse_args()
    use_x = args.keys == "x" and all(shutil.which(tool) for tool in ("Xvfb", "xdotool", "xauth"))
    if use_x:
        with own_xvfb() as display:
            os.environ["QT_QPA_PLATFORM"] = "xcb"
            run(args.idle_scans, args.scans, f"X key events from xdotool on Xvfb {display}")
    else:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        run(args.idle_scans, args.scans, "Qt key events posted from a thread, stamped when sent")


class LoadBench:
    """The kiosk, its probes, a sender thread and the timer that keeps the GUI thread busy."""

    def __init__(self, kiosk: Harness, is_x: bool) -> None:
        self.kiosk = kiosk
        self.is_x = is_x
        self.bursts: list[Burst] = []
        self.offsets: list[float] = []  # arrival minus stamp, ms: the clocks' offset and delay
        self._changed = threading.Condition()
        self._pace = random.Random(29)
        self._is_busy = False
        self._blocked = 0.0
        self._busy_timer = QTimer()
        self._busy_timer.setSingleShot(True)
        self._busy_timer.timeout.connect(self._block)
        # Qt makes its keyboard device with the first key event: here, on the GUI thread, not
        # on the sender's (a QObject parented across threads).
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
        self._handle = kiosk.window.windowHandle()
        self._probe = _KeyProbe(self)
        kiosk.app.installEventFilter(self._probe)  # after the scanner's: it sees keys first
        kiosk.devices.scanner.scanned.connect(self._on_scanned)
        screen = kiosk.window.work_order_screen
        self._original_show = screen.show_work_order
        screen.show_work_order = self._show_work_order  # type: ignore[method-assign]

    def phase(self, count: int, first: int, *, is_busy: bool) -> tuple[list[Burst], float]:
        """`count` bursts, the real event loop running; the share of time it was blocked."""
        self._is_busy, self._blocked = is_busy, 0.0
        if is_busy:
            self._busy_timer.start(0)
        start = len(self.bursts)
        began = time.monotonic()
        sender = threading.Thread(target=self._send_all, args=(count, first), daemon=True)
        loop = QEventLoop()
        watch = QTimer()
        watch.timeout.connect(lambda: None if sender.is_alive() else loop.quit())
        watch.start(20)
        sender.start()
        loop.exec()
        watch.stop()
        self._is_busy = False
        window = self.kiosk.window
        self.kiosk.wait_until(lambda: not window.runner.is_busy)
        return self.bursts[start:], self._blocked / (time.monotonic() - began)

    def key_read(self, key: QKeyEvent) -> None:
        if not self.bursts or not key.text():
            return  # before the first burst, or Shift
        burst = self.bursts[-1]
        stamp = key.timestamp()
        self.offsets.append(time.monotonic() * 1000 - stamp)
        burst.keys_sent_at.append(stamp)
        if key.text() == "\r":
            burst.enter_stamp = stamp

    def _on_scanned(self, text: str) -> None:
        if self.bursts:
            self.bursts[-1].scans.append(text)

    def _show_work_order(self, view: object) -> None:
        self._original_show(view)  # type: ignore[arg-type]
        with self._changed:
            burst = self.bursts[-1] if self.bursts else None
            if burst is not None and view.number == burst.code:  # type: ignore[attr-defined]
                burst.shown_at = time.monotonic()
            self._changed.notify_all()

    def _block(self) -> None:
        if not self._is_busy:
            return
        seconds = self._pace.uniform(0.050, 0.200)
        time.sleep(seconds)
        self._blocked += seconds
        self._busy_timer.start(self._pace.randrange(10, 60))

    def _send_all(self, count: int, first: int) -> None:
        """On the sender thread: one burst at a time, each once the last one's result is in."""
        for index in range(first, first + count):
            code = NUMBERS[index % len(NUMBERS)]
            with self._changed:
                self.bursts.append(Burst(code))
            self._send(code)
            with self._changed:
                self._changed.wait_for(lambda: self.bursts[-1].shown_at is not None, RESULT_TIMEOUT)
            time.sleep(0.05)  # the result's sound and refresh; the next label

    def _send(self, code: str) -> None:
        if self.is_x:
            keysyms = [KEYSYMS.get(char, char) for char in code]
            command = ["xdotool", "key", "--delay", str(XDOTOOL_DELAY_MS), *keysyms, "Return"]
            subprocess.run(command, check=True)
            return
        for char in code + "\r":
            key = Qt.Key.Key_Return if char == "\r" else Qt.Key(ord(char))
            shift = Qt.KeyboardModifier.ShiftModifier if char.isupper() else None
            event = QKeyEvent(
                QEvent.Type.KeyPress, key, shift or Qt.KeyboardModifier.NoModifier, char
            )
            event.setTimestamp(round(time.monotonic() * 1000))
            QApplication.postEvent(self._handle, event)
            time.sleep(QT_KEY_GAP)


class _KeyProbe(QObject):
    """Each key as it is first read: on the window (its QWindow), before any widget.

    The scanner filter's re-sends of held keys go straight to widgets and are not seen.
    """

    def __init__(self, bench: LoadBench) -> None:
        super().__init__()
        self._bench = bench
        self._window_handle = bench.kiosk.window.windowHandle()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.KeyPress and watched is self._window_handle:
            self._bench.key_read(cast(QKeyEvent, event))
        return False


def run(idle_scans: int, busy_scans: int, keys_kind: str) -> None:
    is_x = "xdotool" in keys_kind
    with tempfile.TemporaryDirectory(prefix="bench-hid-load-") as folder:
        kiosk = start_kiosk(Path(folder), scan_repeat_seconds=0.02)
        window = kiosk.window
        window.scan_router.submit_badge(demo_user("E1001").badge)
        kiosk.wait_until(lambda: window.actor is not None and bool(window.home_screen.rows))
        if is_x:
            command = ["xdotool", "windowfocus", "--sync", str(int(window.winId()))]
            subprocess.run(command, check=True)
            kiosk.wait_until(window.isActiveWindow)
        else:
            window.activateWindow()
        bench = LoadBench(kiosk, is_x)
        idle, _ = bench.phase(idle_scans, 0, is_busy=False)
        loaded, busy_share = bench.phase(busy_scans, idle_scans, is_busy=True)
        kiosk.close()
    report(keys_kind, idle, loaded, busy_share, min(bench.offsets))


def report(
    keys_kind: str, idle: list[Burst], loaded: list[Burst], busy_share: float, offset: float
) -> None:
    def latencies(done: list[Burst]) -> list[float]:
        return [
            burst.shown_at * 1000 - (burst.enter_stamp + offset)
            for burst in done
            if burst.is_intact and burst.enter_stamp is not None and burst.shown_at is not None
        ]

    gaps = [b - a for burst in idle + loaded for a, b in itertools.pairwise(burst.keys_sent_at)]
    idle_ms, loaded_ms = latencies(idle), latencies(loaded)
    idle_bad = [burst for burst in idle if not burst.is_intact]
    bad = [burst for burst in loaded if not burst.is_intact]
    slow_sent = [burst for burst in idle_bad + bad if burst.widest_key_gap > SCAN_KEY_GAP_MS]
    print(f"keys: {keys_kind}; 15 keys per burst (a 14-character work order and Enter)")
    print(
        f"key gaps as stamped: median {statistics.median(gaps):.0f} ms, "
        f"p95 {percentile(gaps, 0.95):.0f} ms, max {max(gaps)} ms"
    )
    print(
        f"idle: {len(idle)} bursts, {len(idle_bad)} lost or mangled; Enter -> work order shown: "
        f"median {statistics.median(idle_ms):.1f} ms, p95 {percentile(idle_ms, 0.95):.1f} ms"
    )
    print(
        f"busy (GUI thread blocked 50-200 ms at a time, {busy_share:.0%} of the run): "
        f"{len(loaded)} bursts, {len(bad)} lost or mangled; Enter -> work order shown: "
        f"median {statistics.median(loaded_ms):.1f} ms, p95 {percentile(loaded_ms, 0.95):.1f} ms"
    )
    for burst in (idle_bad + bad)[:10]:
        print(f"  {burst.code}: scanned {burst.scans}, widest key gap {burst.widest_key_gap} ms")
    if slow_sent:
        print(
            f"  of these, sent with a gap over {SCAN_KEY_GAP_MS} ms by the sender: {len(slow_sent)}"
        )
    print(
        f"hid_under_load_p95: {percentile(loaded_ms, 0.95):.1f} ms "
        f"(idle {percentile(idle_ms, 0.95):.1f} ms)"
    )
    print(f"hid_lost_or_mangled: {len(bad)} scans")


if __name__ == "__main__":
    main()
