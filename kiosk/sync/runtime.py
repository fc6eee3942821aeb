"""Builds the sync of one kiosk from its settings: client, engine and worker, or none.

A kiosk syncs when it is enrolled (its database remembers the device) and has its
token; `server_url` from the settings wins over the URL it was enrolled with.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.domain.clock import Clock
from kiosk.settings import Settings
from kiosk.store.database import Database
from kiosk.store.secrets import (
    BADGE_KEY_NAMES,
    RETIRED_SLIP_KEY_PREFIX,
    FileSecretStore,
    SecretStore,
)
from kiosk.sync.badge_rehash import BadgeRehashQueue
from kiosk.sync.client import SyncClient
from kiosk.sync.engine import SyncEngine
from kiosk.sync.enrolment import stored_token
from kiosk.sync.identity import HttpIdentityServer
from kiosk.sync.local import SyncStateView, SyncStore
from kiosk.sync.status import RoundReport, SyncStatus
from kiosk.sync.trust import stored_trust
from kiosk.sync.worker import SyncWorker

log = logging.getLogger(__name__)


class SyncSetupError(Exception):
    """Sync is asked for but cannot run; the message says what to do."""


@dataclass
class SyncRuntime:
    store: SyncStore
    worker: SyncWorker
    client: SyncClient
    badge_rehash: BadgeRehashQueue
    identity: HttpIdentityServer  # privileged identity requests, with the device's token

    def rehash_badge(self, uid: str) -> None:
        """A badge matched only under the previous badge key: the next round re-hashes it."""
        self.badge_rehash.add(uid)
        self.worker.sync_now()

    @property
    def state(self) -> SyncStateView:
        return self.store.state()

    def stop(self) -> None:
        self.worker.stop()
        self.client.close()


def site_key_sink(secrets: SecretStore, database_path: Path) -> Callable[[str, bytes], None]:
    """Where keys from the server go: badge keys beside the database, the rest to `secrets`.

    An empty key is the server saying it withdrew the key (a finished badge-key rotation).
    """
    badge_store = FileSecretStore.beside(database_path)

    def store(name: str, key: bytes) -> None:
        if name.startswith(RETIRED_SLIP_KEY_PREFIX):
            return  # an old server's site slip key: slips are signed per device now
        if name in BADGE_KEY_NAMES and not key:
            badge_store.remove(name)
            return
        target: SecretStore = badge_store if name in BADGE_KEY_NAMES else secrets
        if target.get(name) != key:
            target.put(name, key)

    return store


def build_sync(
    settings: Settings,
    database: Database,
    database_path: Path,
    secrets: SecretStore,
    clock: Clock,
    *,
    on_status: Callable[[SyncStatus], None],
    on_round: Callable[[RoundReport], None],
) -> SyncRuntime | None:
    """The kiosk's sync, not started; None when this kiosk is not enrolled with a server."""
    store = SyncStore(database)
    state = store.state()
    if not state.is_enrolled:
        if settings.server_url:
            raise SyncSetupError(
                f"server_url is set but this kiosk is not enrolled. Ask an admin for a code, "
                f"then run: kiosk enrol CODE --server-url {settings.server_url}"
            )
        return None
    url = settings.server_url or state.server_url
    if not url:
        raise SyncSetupError("this kiosk is enrolled but no server_url is known")
    token = stored_token(secrets)
    if token is None:
        raise SyncSetupError(
            f"this kiosk's device token is missing from {secrets.description}: enrol it again"
        )
    # A plain-http URL to another computer is not refused here but by the client, before it
    # connects: the health strip then says why sync stopped.
    trust = stored_trust(secrets, settings.server_ca_path)
    client = SyncClient(url, token, timeout_seconds=settings.sync_timeout_seconds, trust=trust)
    badge_rehash = BadgeRehashQueue()
    engine = SyncEngine(
        store,
        client,
        clock,
        site_keys=site_key_sink(secrets, database_path),
        batch_size=settings.sync_batch_size,
        retention_days=settings.sync_retention_days,
        badge_rehash=badge_rehash,
    )
    worker = SyncWorker(
        engine,
        store,
        clock,
        interval_seconds=settings.sync_interval_seconds,
        max_backoff_seconds=settings.sync_max_backoff_seconds,
        on_status=on_status,
        on_round=on_round,
    )
    log.info("sync with %s (%s) as device %s", url, trust.description, state.device_id)
    identity = HttpIdentityServer(client, store, state.line_code, changed=worker.sync_now)
    return SyncRuntime(
        store=store, worker=worker, client=client, badge_rehash=badge_rehash, identity=identity
    )
