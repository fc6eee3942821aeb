"""The lock files agree with pyproject.toml, and this venv runs what they pin.

`requirements/kiosk.lock`, `server.lock` and `dev.lock` (made by `scripts/lock`) pin every
package with its hashes; `scripts/install` (and so CI) installs dev.lock. A dependency
added to pyproject.toml without `scripts/lock`, a lock edited by hand without hashes, or a
venv left on other versions fails here, before two kiosks run different libraries.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
LOCK_NAMES = ("kiosk", "server", "dev")
_PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)(?:\s*;\s*(?P<marker>[^\\]+))?"
)


@dataclass(frozen=True)
class Pin:
    version: Version
    marker: Marker | None
    hashes: int


def _read_lock(name: str) -> dict[str, Pin]:
    pins: dict[str, Pin] = {}
    current: str | None = None
    for line in (ROOT / "requirements" / f"{name}.lock").read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            current = canonicalize_name(match["name"])
            marker = match["marker"]
            pins[current] = Pin(
                Version(match["version"]), Marker(marker.strip()) if marker else None, 0
            )
        elif line.strip().startswith("--hash=sha256:") and current is not None:
            pin = pins[current]
            pins[current] = Pin(pin.version, pin.marker, pin.hashes + 1)
    return pins


LOCKS = {name: _read_lock(name) for name in LOCK_NAMES}


def _requirements(*extras: str) -> list[Requirement]:
    """The base dependencies and those of the extras, self-references (`line-kiosk[…]`) opened."""
    wanted = list(PROJECT["dependencies"])
    pending = list(extras)
    seen: set[str] = set()
    while pending:
        extra = pending.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for text in PROJECT["optional-dependencies"][extra]:
            requirement = Requirement(text)
            if canonicalize_name(requirement.name) == canonicalize_name(PROJECT["name"]):
                pending.extend(requirement.extras)
            else:
                wanted.append(text)
    return [Requirement(text) for text in wanted]


TARGETS = {"kiosk": (), "server": ("server",), "dev": ("dev",)}


@pytest.mark.parametrize("lock", LOCK_NAMES)
def test_every_dependency_is_pinned_in_its_lock_within_its_bounds(lock: str) -> None:
    pins = LOCKS[lock]
    for requirement in _requirements(*TARGETS[lock]):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is in pyproject.toml but not in {lock}.lock: run scripts/lock"
        assert requirement.specifier.contains(pins[name].version, prereleases=True), (
            f"{lock}.lock pins {name}=={pins[name].version}, pyproject wants {requirement}"
        )


@pytest.mark.parametrize("lock", LOCK_NAMES)
def test_every_pin_carries_its_hashes(lock: str) -> None:
    unhashed = [name for name, pin in LOCKS[lock].items() if pin.hashes == 0]
    assert unhashed == []
    assert len(LOCKS[lock]) > len(PROJECT["dependencies"])  # the lock was read at all


def test_the_kiosk_lock_carries_no_test_development_or_server_tool() -> None:
    kiosk_names = {canonicalize_name(r.name) for r in _requirements()}
    others = {canonicalize_name(r.name) for r in _requirements("dev")} - kiosk_names
    assert {"pytest", "ruff", "mypy", "fastapi", "psycopg"} <= others
    assert others & set(LOCKS["kiosk"]) == set()


def test_the_kiosk_the_server_and_ci_run_the_same_versions() -> None:
    """server.lock is made within kiosk.lock, dev.lock within server.lock."""
    for smaller, larger in (("kiosk", "server"), ("server", "dev")):
        for name, pin in LOCKS[smaller].items():
            assert name in LOCKS[larger], f"{name} of {smaller}.lock missing from {larger}.lock"
            assert LOCKS[larger][name].version == pin.version, name


def test_this_venv_runs_the_versions_of_the_dev_lock() -> None:
    """What CI tests is what the locks pin (scripts/install installs dev.lock)."""
    wrong = []
    for name, pin in LOCKS["dev"].items():
        if pin.marker is not None and not pin.marker.evaluate():
            continue
        try:
            installed = Version(metadata.version(name))
        except metadata.PackageNotFoundError:
            wrong.append(f"{name} not installed")
            continue
        if installed != pin.version:
            wrong.append(f"{name} {installed}, dev.lock pins {pin.version}")
    assert wrong == [], "run scripts/install: " + "; ".join(wrong)
