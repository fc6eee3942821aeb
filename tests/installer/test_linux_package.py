"""installer/linux/build-deb: what the .deb puts where, its scripts and its unit.

A small stand-in for the frozen app keeps this fast; test_frozen_build.py packs the real one.
Installing it (`dpkg -i`) changes the machine's users and services: done by hand, see the
installer README.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.installer.conftest import ROOT, build_deb, deb_contents, unit_findings

FILES = ROOT / "installer" / "linux" / "files"


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    frozen = tmp_path_factory.mktemp("frozen") / "line-kiosk"
    (frozen / "_internal").mkdir(parents=True)
    (frozen / "_internal" / "marker").write_text("stand-in\n", encoding="utf-8")
    (frozen / "kiosk").write_text('#!/bin/sh\necho "kiosk 0.1.0"\n', encoding="utf-8")
    (frozen / "kiosk").chmod(0o755)
    return build_deb(frozen, tmp_path_factory.mktemp("out"))


def _field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "--field", str(deb), name], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_package_is_named_and_versioned_from_the_frozen_app(deb: Path) -> None:
    assert deb.name.startswith("line-kiosk_0.1.0_")
    assert _field(deb, "Package") == "line-kiosk"
    assert _field(deb, "Version") == "0.1.0"
    depends = {item.strip().split()[0] for item in _field(deb, "Depends").split(",")}
    # The session (Xorg, xinit, xset), the user tools, fonts (PLATFORM pitfall 3) and udev.
    assert {"xserver-xorg-core", "xinit", "x11-xserver-utils", "adduser", "udev"} <= depends
    assert {"fontconfig-config", "fonts-dejavu-core"} <= depends


def test_every_file_lands_where_the_readme_says_owned_by_root(deb: Path) -> None:
    files = deb_contents(deb)
    expected = {
        "/opt/line-kiosk/kiosk": "-rwxr-xr-x",
        "/opt/line-kiosk/_internal/marker": "-rw-r--r--",
        "/opt/line-kiosk/session/kiosk-session": "-rwxr-xr-x",
        "/opt/line-kiosk/README.md": "-rw-r--r--",
        "/lib/systemd/system/line-kiosk.service": "-rw-r--r--",
        "/lib/udev/rules.d/70-line-kiosk-badge.rules": "-rw-r--r--",
        "/etc/X11/xorg.conf.d/50-line-kiosk.conf": "-rw-r--r--",
        "/etc/line-kiosk/kiosk.toml": "-rw-r--r--",
        "/etc/default/line-kiosk": "-rw-r--r--",
    }
    for path, mode in expected.items():
        assert files.get(path) == f"{mode} root/root", path
    # The data folder is made by postinst for the kiosk user, never shipped (nor removed).
    assert not any(path.startswith("/var/lib/line-kiosk") for path in files)


def test_the_maintainer_scripts_are_there_and_parse(deb: Path, tmp_path: Path) -> None:
    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "--control", str(deb), str(control)], check=True)
    for script in ("postinst", "prerm", "postrm"):
        path = control / script
        assert path.stat().st_mode & 0o111, script
        subprocess.run(["sh", "-n", str(path)], check=True)
    postinst = (control / "postinst").read_text(encoding="utf-8")
    assert "usermod -a -G dialout,video kiosk" in postinst
    assert "install -d -m 0700 -o kiosk -g kiosk" in postinst
    postrm = (control / "postrm").read_text(encoding="utf-8")
    assert "rm -r" not in postrm.replace('echo "line-kiosk:   rm -r', "")  # only advice
    assert (control / "conffiles").read_text(encoding="utf-8").split() == [
        "/etc/X11/xorg.conf.d/50-line-kiosk.conf",
        "/etc/line-kiosk/kiosk.toml",
        "/etc/default/line-kiosk",
    ]


def _unit() -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(FILES / "line-kiosk.service", encoding="utf-8")
    return unit


def test_the_unit_restarts_the_kiosk_and_watches_it() -> None:
    service = _unit()["Service"]
    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "all"  # the kiosk is xinit's child
    assert service["Restart"] == "always"
    assert int(service["WatchdogSec"]) > 0
    assert service["User"] == "kiosk"
    assert "/opt/line-kiosk/session/kiosk-session" in service["ExecStart"]
    assert "-s 0 -dpms" in service["ExecStart"]
    assert _unit()["Unit"]["StartLimitIntervalSec"] == "0"
    text = (FILES / "line-kiosk.service").read_text(encoding="utf-8")
    assert "Environment=KIOSK_DATA_DIR=/var/lib/line-kiosk\n" in text


def test_the_unit_passes_systemd_analyze_verify() -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("no systemd-analyze here")
    assert unit_findings(FILES / "line-kiosk.service") == []


def test_the_session_cannot_be_left_by_the_keyboard() -> None:
    conf = (FILES / "50-line-kiosk.conf").read_text(encoding="utf-8")
    for option in ("DontVTSwitch", "DontZap", "DontZoom"):
        assert f'Option "{option}" "true"' in conf
    session = (FILES / "kiosk-session").read_text(encoding="utf-8")
    assert "xset s off s noblank -dpms" in session
    assert "exec /opt/line-kiosk/kiosk" in session  # its exit ends the session: a restart
    assert "XORG_ARGS=-nocursor" in (FILES / "default").read_text(encoding="utf-8")


def test_the_udev_rule_names_the_reader_for_the_dialout_group() -> None:
    rules = [
        line
        for line in (FILES / "70-line-kiosk-badge.rules").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert len(rules) >= 4
    for rule in rules:
        assert 'SUBSYSTEM=="tty"' in rule
        assert 'SYMLINK+="kiosk-badge"' in rule
        assert 'GROUP="dialout"' in rule
