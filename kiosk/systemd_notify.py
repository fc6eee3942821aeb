"""`sd_notify` without libsystemd: tell the service manager the kiosk is up and still alive.

The unit (installer/linux) is `Type=notify` with `WatchdogSec`: systemd restarts the kiosk
when READY=1 never comes or the WATCHDOG=1 pings stop. The pings come from a GUI-thread
timer (kiosk.ui.watchdog), so a hung GUI stops them, not only a dead process. Outside
systemd ($NOTIFY_SOCKET unset) every call is a no-op.
"""

from __future__ import annotations

import logging
import os
import socket

log = logging.getLogger(__name__)

NOTIFY_SOCKET = "NOTIFY_SOCKET"
WATCHDOG_USEC = "WATCHDOG_USEC"


def sd_notify(state: str) -> bool:
    """Send `state` (e.g. "READY=1") to $NOTIFY_SOCKET; False when there is none or it failed."""
    address = os.environ.get(NOTIFY_SOCKET, "")
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket: a leading NUL byte instead of "@"
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(state.encode("utf-8"))
    except OSError as error:
        log.warning("sd_notify %r to %s failed: %s", state, address, error)
        return False
    return True


def watchdog_interval_seconds() -> float | None:
    """Half the unit's WatchdogSec (systemd's advice), or None when no watchdog is asked for.

    WATCHDOG_PID is not checked: it names xinit, the unit's main process, while the pings
    come from the kiosk under it (the unit says NotifyAccess=all).
    """
    usec = os.environ.get(WATCHDOG_USEC, "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    return int(usec) / 2_000_000
