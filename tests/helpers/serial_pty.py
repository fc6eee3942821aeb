"""A pseudo-terminal pair as the fake for a serial badge reader: the kiosk opens the slave
path with pyserial, the test writes what the reader would send on the master."""

from __future__ import annotations

import functools
import operator
import os
import select
import time
import tty


class PtyPair:
    """One pty pair in raw mode (no echo, no CR/LF translation: bytes pass unchanged)."""

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        tty.setraw(self.master)
        tty.setraw(self._slave)
        # Non-blocking, so a reader that stops consuming fails the test instead of hanging it.
        os.set_blocking(self.master, False)
        self.slave_path = os.ttyname(self._slave)
        self._is_closed = False

    def write(self, data: bytes, timeout: float = 10.0) -> None:
        """Write all of `data` as the reader device would (the kernel buffer is ~4 KB)."""
        view = memoryview(data)
        deadline = time.monotonic() + timeout
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"the port stopped reading; {len(view)} bytes not written")
            _, writable, _ = select.select([], [self.master], [], remaining)
            if not writable:
                continue
            try:
                written = os.write(self.master, view)
            except BlockingIOError:
                continue
            view = view[written:]

    def close(self) -> None:
        """Unplug: the port's next read fails and the slave path disappears."""
        if self._is_closed:
            return
        self._is_closed = True
        os.close(self.master)
        os.close(self._slave)


def rdm6300_frame(uid: str, *, checksum: int | None = None) -> bytes:
    """The frame an RDM6300 sends for a 10-hex-char card UID (a wrong checksum on request)."""
    data = bytes.fromhex(uid)
    if checksum is None:
        checksum = functools.reduce(operator.xor, data, 0)
    return b"\x02" + uid.encode("ascii") + f"{checksum:02X}".encode("ascii") + b"\x03"
