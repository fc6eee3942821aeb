"""Badges that logged in under the previous badge key, waiting to be re-hashed by the server.

During a badge-key rotation a tap that matches only under the previous key still logs in;
the kiosk then sends the badge's UID to the server once (online, with its device token),
and the server re-hashes it under the new key after checking it against the hash it holds.
The UIDs wait here, in memory only: they are never written to the kiosk's disk.
"""

from __future__ import annotations

import logging
import threading

from kiosk.sync.client import SyncClient, SyncError, SyncErrorKind

log = logging.getLogger(__name__)

_MAX_WAITING = 64  # badges tapped between two rounds; more are asked for at their next tap


class BadgeRehashQueue:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: list[str] = []

    def add(self, uid: str) -> None:
        with self._lock:
            if uid not in self._waiting and len(self._waiting) < _MAX_WAITING:
                self._waiting.append(uid)

    def send(self, client: SyncClient) -> int:
        """Send every waiting badge; returns how many the server re-hashed.

        Offline, the badges wait for the next round; a refusal drops the badge (its next
        tap under the previous key asks again).
        """
        with self._lock:
            waiting, self._waiting = self._waiting, []
        rehashed = 0
        for index, uid in enumerate(waiting):
            try:
                rehashed += client.rehash_badge(uid)
            except SyncError as error:
                if error.kind in (SyncErrorKind.OFFLINE, SyncErrorKind.SERVER):
                    for later in waiting[index:]:
                        self.add(later)
                    raise
                log.warning("the server did not re-hash a badge: %s", error)
        return rehashed
