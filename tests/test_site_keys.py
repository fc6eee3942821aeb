"""Where this kiosk's own slip-signing key comes from at start, and what a kiosk without it does.

`secret_store_for` picks the store from the settings (files in the demo unless told
otherwise), `load_site_keys` reads the kiosk's private slip key; without it the kiosk
still starts, receives slips, and refuses to print one with a message. Two demo sites
share the public demo key. No site-wide slip key exists any more.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path

import argon2
import keyring
import keyring.backends.fail
import pytest
from sqlalchemy import select

from kiosk.app import load_site_keys, secret_store_for
from kiosk.demo import DEMO_SITE_CODE, DEMO_SLIP_KEY, demo_database_path, ensure_demo_site
from kiosk.domain.errors import ErrorCode
from kiosk.domain.slip_keys import SlipSigner
from kiosk.services.container import KioskServices, build_services
from kiosk.services.pin_hasher import PinHasher
from kiosk.services.slip_keys import SiteKeys
from kiosk.settings import SettingsError, load_settings
from kiosk.store import secrets as secrets_module
from kiosk.store.database import open_database
from kiosk.store.models import SiteSetting, Transfer
from kiosk.store.secrets import (
    SLIP_SIGNING_KEY_NAME,
    FileSecretStore,
    KeyringSecretStore,
    SecretStoreError,
)
from tests.helpers.fakes import FakeClock
from tests.helpers.keyring import MemoryKeyring, UseKeyring
from tests.helpers.refusals import refusal_of
from tests.helpers.site import Site

CUTTING_WO = "WO-2026-004217"  # CUT-L02, IN_PROGRESS, R2 (CUT -> SEW), 72 good
PLANT_KEY = bytes(range(7, 39))
DEMO_SIGNER = SlipSigner(DEMO_SLIP_KEY)


def _key_ids(keys: SiteKeys) -> tuple[str, str | None]:
    """What identifies loaded keys: the site and the signing key's id (signers compare by id)."""
    return keys.site_code, None if keys.signer is None else keys.signer.key_id


# Cheap argon2 for the demo sites these tests seed themselves (the PINs are not the point).
CHEAP_PINS = PinHasher(argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def no_keyring(use_keyring: UseKeyring) -> None:
    """A box without a keyring backend (PLATFORM pitfall 6)."""
    use_keyring(keyring.backends.fail.Keyring())


def _secret_files(site: Site) -> dict[str, bytes]:
    folder = FileSecretStore.beside(site.path).folder
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _services(site: Site, site_keys: SiteKeys, line: str = "CUT-L02") -> KioskServices:
    return build_services(
        site.database, site.clock, line, badge_key=site.badge_key, site_keys=site_keys
    )


# ------------------------------------------------------------------ which store
def test_the_demo_keeps_its_key_in_files_unless_told_otherwise(tmp_path: Path) -> None:
    database_path = tmp_path / "demo" / "kiosk.sqlite3"
    settings = load_settings()
    assert settings.secret_store == "keyring"  # the default, for real kiosks
    store = secret_store_for(settings, database_path, demo=True)
    assert isinstance(store, FileSecretStore)
    assert store.folder == tmp_path / "demo" / "secrets"
    assert isinstance(secret_store_for(settings, database_path, demo=False), KeyringSecretStore)


def test_secret_store_file_means_files_on_a_real_kiosk_too(tmp_path: Path) -> None:
    database_path = tmp_path / "kiosk.sqlite3"
    settings = load_settings({"secret_store": "file"})
    for demo in (False, True):
        store = secret_store_for(settings, database_path, demo=demo)
        assert isinstance(store, FileSecretStore)
        assert store.folder == tmp_path / "secrets"


@pytest.mark.parametrize("source", ["command line", "environment", "file"])
def test_an_explicit_keyring_is_used_even_in_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    if source == "command line":
        settings = load_settings({"secret_store": "keyring"})
    elif source == "environment":
        monkeypatch.setenv("KIOSK_SECRET_STORE", "keyring")
        settings = load_settings()
    else:
        config = tmp_path / "kiosk.toml"
        config.write_text('secret_store = "keyring"\n')
        monkeypatch.setenv("KIOSK_CONFIG", str(config))
        settings = load_settings()
    assert settings.source_of("secret_store") != "default"
    store = secret_store_for(settings, tmp_path / "demo" / "kiosk.sqlite3", demo=True)
    assert isinstance(store, KeyringSecretStore)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("printer", "fax", "printer must be pdf or system"),
        ("secret_store", "plaintext", "secret_store must be keyring or file"),
        ("secret_store", "", "secret_store must be keyring or file"),
    ],
)
def test_settings_refuse_an_unknown_printer_or_secret_store(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    with pytest.raises(SettingsError, match=f"{message} \\(from command line\\)"):
        load_settings({name: value})
    monkeypatch.setenv(f"KIOSK_{name.upper()}", value)
    with pytest.raises(SettingsError, match=f"{message} \\(from environment KIOSK_"):
        load_settings()


def test_settings_accept_the_known_printers_and_stores() -> None:
    settings = load_settings({"printer": "system", "secret_store": "file"})
    assert (settings.printer, settings.secret_store) == ("system", "file")
    assert load_settings({"printer": "pdf", "secret_store": "keyring"}).printer == "pdf"


# ------------------------------------------------------------------ loading the key
def test_the_kiosks_own_key_is_read_from_the_store(
    site: Site, memory_keyring: MemoryKeyring
) -> None:
    from_files = load_site_keys(FileSecretStore.beside(site.path), site.database)
    assert _key_ids(from_files) == (DEMO_SITE_CODE, DEMO_SIGNER.key_id)
    store = KeyringSecretStore()
    store.put(SLIP_SIGNING_KEY_NAME, PLANT_KEY)
    assert _key_ids(load_site_keys(store, site.database)) == (
        DEMO_SITE_CODE,
        SlipSigner(PLANT_KEY).key_id,
    )


def test_the_site_code_comes_from_the_database(site: Site, memory_keyring: MemoryKeyring) -> None:
    store = KeyringSecretStore()
    store.put(SLIP_SIGNING_KEY_NAME, PLANT_KEY)
    with site.database.writer() as session:
        row = session.get(SiteSetting, "site_code")
        assert row is not None
        row.value = "PLANT2"
        session.commit()
    assert _key_ids(load_site_keys(store, site.database)) == (
        "PLANT2",
        SlipSigner(PLANT_KEY).key_id,
    )
    with site.database.writer() as session:
        session.delete(session.get(SiteSetting, "site_code"))
        session.commit()
    # No code set up yet: "SITE".
    assert load_site_keys(store, site.database).site_code == "SITE"


def test_no_site_wide_slip_key_is_kept_or_handed_out(tmp_path: Path) -> None:
    """The demo keeps its kiosk's own key; no `site-key-…` secret exists any more."""
    path = ensure_demo_site(tmp_path, FakeClock(), CHEAP_PINS)
    names = {entry.name for entry in FileSecretStore.beside(path).folder.iterdir()}
    assert SLIP_SIGNING_KEY_NAME in names
    assert not any(name.startswith("site-key-") for name in names)
    assert not hasattr(secrets_module, "site_key_name")


def test_a_missing_key_is_logged_and_leaves_the_kiosk_keyless(
    site: Site, memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.app"):
        keys = load_site_keys(KeyringSecretStore(), site.database)
    assert keys == SiteKeys(DEMO_SITE_CODE)
    assert (
        "no slip-signing key of this kiosk in keyring (MemoryKeyring, service line-kiosk)"
        in caplog.text
    )


def test_a_failing_keyring_is_logged_as_an_error_and_no_file_is_written(
    site: Site, no_keyring: None, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _secret_files(site)
    written: list[Path] = []
    monkeypatch.setattr(secrets_module, "_write_private", lambda path, _key: written.append(path))
    with caplog.at_level(logging.WARNING, logger="kiosk.app"):
        keys = load_site_keys(KeyringSecretStore(), site.database)
    assert keys == SiteKeys(DEMO_SITE_CODE)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert (
        "slip-signing key unavailable from keyring (Keyring, service line-kiosk)"
        in errors[0].getMessage()
    )
    assert written == []
    assert _secret_files(site) == before  # the demo key file beside it is not used either


def test_without_the_key_the_kiosk_starts_and_refuses_a_handoff(
    site: Site, no_keyring: None
) -> None:
    keys = load_site_keys(KeyringSecretStore(), site.database)
    services = _services(site, keys)  # the kiosk's services are built: it starts
    rina = site.login(services, "E1001")
    work_order = site.work_order(CUTTING_WO)
    # Reading still works; only signing a slip needs the kiosk's own key.
    assert services.transfers.handoff_options(rina, work_order.id).sendable == work_order.good_qty
    refusal = refusal_of(lambda: services.transfers.prepare(rina, work_order.id, "10", "SEW-L03"))
    assert (refusal.code, refusal.fields["site"]) == (ErrorCode.SITE_KEY_MISSING, DEMO_SITE_CODE)
    assert site.count(Transfer) == 0
    assert site.work_order(CUTTING_WO).good_qty == work_order.good_qty
    # With the key the same handoff goes through.
    with_key = _services(site, load_site_keys(FileSecretStore.beside(site.path), site.database))
    rina = site.login(with_key, "E1001")
    assert with_key.transfers.prepare(rina, work_order.id, "10", "SEW-L03").document.qr_payload
    assert site.count(Transfer) == 1


def test_a_kiosk_whose_key_sits_under_the_shared_name_of_old_still_signs(
    site: Site, memory_keyring: MemoryKeyring
) -> None:
    """Upgraded in place: its slip key was written under "line-kiosk" by the older version.
    It starts with its key (moved to its data folder's own name) and signs a handoff."""
    memory_keyring.passwords[("line-kiosk", SLIP_SIGNING_KEY_NAME)] = base64.b64encode(
        PLANT_KEY
    ).decode("ascii")
    settings = load_settings({"data_dir": str(site.path.parent)})
    store = secret_store_for(settings, site.path, demo=False)
    keys = load_site_keys(store, site.database)
    assert _key_ids(keys) == (DEMO_SITE_CODE, SlipSigner(PLANT_KEY).key_id)
    assert ("line-kiosk", SLIP_SIGNING_KEY_NAME) not in memory_keyring.passwords
    assert _key_ids(
        load_site_keys(secret_store_for(settings, site.path, demo=False), site.database)
    ) == (
        DEMO_SITE_CODE,
        SlipSigner(PLANT_KEY).key_id,
    )
    services = _services(site, keys)
    rina = site.login(services, "E1001")
    work_order = site.work_order(CUTTING_WO)
    assert services.transfers.prepare(rina, work_order.id, "10", "SEW-L03").document.qr_payload


# ------------------------------------------------------------------ two demo sites
def test_two_demo_sites_share_the_public_demo_key_and_verify_each_others_slips(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    clock = FakeClock()
    # Machine A keeps the key in files (the demo's default), machine B in its keyring.
    path_a = ensure_demo_site(tmp_path / "a", clock, CHEAP_PINS)
    path_b = ensure_demo_site(tmp_path / "b", clock, CHEAP_PINS, secrets=KeyringSecretStore())
    assert FileSecretStore.beside(path_a).get(SLIP_SIGNING_KEY_NAME) == DEMO_SLIP_KEY
    assert KeyringSecretStore().get(SLIP_SIGNING_KEY_NAME) == DEMO_SLIP_KEY
    assert FileSecretStore.beside(path_b).get(SLIP_SIGNING_KEY_NAME) is None
    # A second start changes nothing.
    assert ensure_demo_site(tmp_path / "a", clock, CHEAP_PINS) == path_a
    assert FileSecretStore.beside(path_a).get(SLIP_SIGNING_KEY_NAME) == DEMO_SLIP_KEY

    cutting_site = Site(path=path_a, database=open_database(path_a), clock=clock)
    sewing_site = Site(path=path_b, database=open_database(path_b), clock=clock)
    try:
        keys_a = load_site_keys(FileSecretStore.beside(path_a), cutting_site.database)
        keys_b = load_site_keys(KeyringSecretStore(), sewing_site.database)
        assert _key_ids(keys_a) == _key_ids(keys_b) == (DEMO_SITE_CODE, DEMO_SIGNER.key_id)
        cutting = _services(cutting_site, keys_a)
        sewing = _services(sewing_site, keys_b, line="SEW-L03")
        rina = cutting_site.login(cutting, "E1001")
        prepared = cutting.transfers.prepare(
            rina, cutting_site.work_order(CUTTING_WO).id, "10", "SEW-L03"
        )
        payload = prepared.document.qr_payload
        assert payload is not None
        dewi = sewing_site.login(sewing, "E2001")
        slip = sewing.transfers.check_slip(dewi, payload)
        assert slip.slip_id == prepared.transfer.slip_id
        assert sewing.transfers.receive(dewi, payload, "10").accepted
        with sewing_site.database.reader() as session:
            received = session.scalar(
                select(Transfer).where(Transfer.slip_id == prepared.transfer.slip_id)
            )
            assert received is not None and received.quantity == 10
    finally:
        cutting_site.database.dispose()
        sewing_site.database.dispose()


def test_a_demo_started_on_a_broken_keyring_store_says_so(tmp_path: Path, no_keyring: None) -> None:
    """`--demo` with secret_store = "keyring" on a box without a keyring: the demo site
    cannot store its key and says why (never a silent fallback to a file)."""
    with pytest.raises(SecretStoreError, match="cannot be read"):
        ensure_demo_site(tmp_path, FakeClock(), CHEAP_PINS, secrets=KeyringSecretStore())
    store = FileSecretStore.beside(demo_database_path(tmp_path))
    assert store.get(SLIP_SIGNING_KEY_NAME) is None
