"""The admin's kiosk settings: checked, stored beside the database, audited; others refused.

A stored change is read again at the next start (load_settings), above the settings file;
a refusal stores nothing and leaves only its audit entry.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.domain.errors import ErrorCode, PermissionDeniedError
from kiosk.services.kiosk_settings import DeviceProbe, KioskSettingsService
from kiosk.settings import SOURCE_COMMAND_LINE, SOURCE_KIOSK, kiosk_overrides_path, load_settings
from kiosk.store.models import AuditEntry, OutboxEvent
from tests.helpers.refusals import refusal_of
from tests.helpers.serial_pty import PtyPair
from tests.helpers.site import Site

NO_DEVICES = DeviceProbe(serial_ports=list, cameras=list, is_device=lambda _path: False)


def _service(site: Site, data_dir: Path, **command_line: object) -> KioskSettingsService:
    settings = load_settings(command_line={"data_dir": str(data_dir), **command_line})
    return KioskSettingsService(site.services().uow, settings)


def _audit_count(site: Site) -> int:
    return site.count(AuditEntry)


def test_a_port_that_exists_is_stored_audited_and_read_at_the_next_start(
    site: Site, tmp_path: Path
) -> None:
    services = site.services()
    admin = site.login(services, "E9001")
    service = _service(site, tmp_path)
    events = site.count(OutboxEvent)
    pty = PtyPair()
    try:
        change = service.change(admin, "rfid_port", pty.slave_path)
    finally:
        pty.close()
    assert (change.before, change.after, change.applies_now) == ("", pty.slave_path, True)
    assert service.settings.rfid_port == pty.slave_path
    assert site.audit_outcomes()[-1] == ("settings.change", "ok")
    assert site.count(OutboxEvent) == events  # no event kind fits: the audit chain carries it
    # The next start reads it, and says where it came from.
    again = load_settings(command_line={"data_dir": str(tmp_path)})
    assert again.rfid_port == pty.slave_path
    assert again.source_of("rfid_port") == SOURCE_KIOSK


def test_the_kiosk_change_beats_the_settings_file_but_not_the_command_line(
    site: Site, tmp_path: Path
) -> None:
    admin = site.login(site.services(), "E9001")
    config = tmp_path / "kiosk.toml"
    config.write_text('printer = "system"\nsounds = true\n', encoding="utf-8")
    settings = load_settings(
        command_line={"data_dir": str(tmp_path), "sounds": "true"}, config_file=config
    )
    service = KioskSettingsService(site.services().uow, settings)
    service.change(admin, "printer", "pdf")
    change = service.change(admin, "sounds", "off")
    assert change.command_line_wins
    again = load_settings(
        command_line={"data_dir": str(tmp_path), "sounds": "true"}, config_file=config
    )
    assert again.printer == "pdf" and again.source_of("printer") == SOURCE_KIOSK
    assert again.sounds is True and again.source_of("sounds") == SOURCE_COMMAND_LINE


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("rfid_port", "/dev/ttyUSB-not-plugged", "no_such_port"),
        ("rfid_port", "/etc/passwd", "no_such_port"),  # a file, not a serial port
        ("rfid_port", "COM3\x00; rm -rf /", "garbage"),
        ("rfid_protocol", "wiegand", "unknown_choice"),
        ("camera", "7", "no_such_camera"),
        ("printer", "fax", "unknown_choice"),
        ("printer_name", "Ghost-Printer", "no_such_printer"),
        ("sounds", "loud", "not_on_off"),
        ("language", "fr", "unknown_choice"),
        ("server_url", "https://evil.example", "not_here"),
        ("secret_store", "file", "not_here"),
    ],
)
def test_bad_values_are_refused_store_nothing_and_are_audited(
    site: Site, tmp_path: Path, name: str, value: str, problem: str
) -> None:
    admin = site.login(site.services(), "E9001")
    service = _service(site, tmp_path)
    before = service.settings
    events = site.count(OutboxEvent)
    audited = _audit_count(site)
    refusal = refusal_of(lambda: service.change(admin, name, value))
    assert refusal.code is ErrorCode.SETTING_REFUSED
    assert refusal.fields["problem"] == problem
    assert service.settings == before
    assert not kiosk_overrides_path(tmp_path).exists()
    assert _audit_count(site) == audited + 1
    assert site.audit_outcomes()[-1] == ("settings.change", "refused:settings.refused")
    assert site.count(OutboxEvent) == events


@pytest.mark.parametrize("employee_no", ["E1001", "E5002", "E6002"])
def test_an_operator_or_supervisor_cannot_see_or_change_the_settings(
    site: Site, tmp_path: Path, employee_no: str
) -> None:
    someone = site.login(site.services(), employee_no)
    service = KioskSettingsService(
        site.services().uow, load_settings(command_line={"data_dir": str(tmp_path)}), NO_DEVICES
    )
    with pytest.raises(PermissionDeniedError):
        service.view(someone)
    assert site.audit_outcomes()[-1] == ("settings.view", "refused:perm.denied")
    with pytest.raises(PermissionDeniedError):
        service.change(someone, "sounds", "off")
    assert site.audit_outcomes()[-1] == ("settings.change", "refused:perm.denied")
    assert not kiosk_overrides_path(tmp_path).exists()
    assert service.settings.sounds is True


def test_the_admin_sees_each_setting_with_what_is_plugged_in_and_no_secrets(
    site: Site, tmp_path: Path
) -> None:
    admin = site.login(site.services(), "E9001")
    probe = DeviceProbe(
        serial_ports=lambda: ["/dev/ttyUSB0"],
        cameras=lambda: ["0"],
        is_device=lambda _p: True,
        printers=lambda: ["Zebra-ZD421"],
    )
    service = KioskSettingsService(
        site.services().uow,
        load_settings(command_line={"data_dir": str(tmp_path), "server_url": "https://s:8400"}),
        probe,
    )
    views = {view.name: view for view in service.view(admin)}
    assert set(views) == {
        "rfid_port",
        "rfid_protocol",
        "camera",
        "printer",
        "printer_name",
        "sounds",
        "language",
    }
    assert views["rfid_port"].found == ("/dev/ttyUSB0",)
    assert views["camera"].found == ("0",)
    assert views["printer_name"].found == ("Zebra-ZD421",)
    assert views["language"].applies_now  # the screens switch language at once
    service.change(admin, "camera", "0")
    service.change(admin, "language", "id")
    service.change(admin, "printer_name", "Zebra-ZD421")
    text = kiosk_overrides_path(tmp_path).read_text(encoding="utf-8")
    assert 'camera = "0"' in text and 'language = "id"' in text
    assert 'printer_name = "Zebra-ZD421"' in text
    assert "server" not in text.replace("Settings screen", "")
