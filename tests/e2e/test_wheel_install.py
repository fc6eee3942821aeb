"""`pip install .` as an IT person does it: the wheel, not this checkout, runs the kiosk and
the server.

The wheel is built from a copy of the sources, installed with `--no-deps` into a new venv
that sees no other site-packages, on top of the pinned kiosk lock (hash-checked; pip's cache
makes the second run quick). The kiosk then smokes, creates its demo site and lists no test
or server tool; with the server lock added, `server-sync migrate` builds a fresh PostgreSQL
database. Every module imported comes from the venv: nothing is read from the checkout.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import venv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from kiosk.app import SMOKE_MARKER
from kiosk.store.migrate import head_revision
from server_sync.migrate import central_head
from tests.helpers.postgres import fresh_database, sqlalchemy_url

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ROOT / "requirements"
# Names that only development and the tests need: never in a kiosk's install.
TOOLS = {"pytest", "pytest-qt", "hypothesis", "schemathesis", "ruff", "mypy", "import-linter"}
SERVER_ONLY = {"fastapi", "uvicorn", "psycopg", "prometheus-client", "orjson"}
# What the program reads at run time from inside its packages.
PACKAGE_DATA = [
    "kiosk/py.typed",
    "kiosk/migrations/alembic.ini",
    "kiosk/migrations/env.py",
    "kiosk/migrations/script.py.mako",
    "kiosk/migrations/versions/0001_initial_schema.py",
    "kiosk/resources/kiosk.qss",
    "kiosk/resources/sounds/error.wav",
    "kiosk/resources/sounds/success.wav",
    "server_sync/migrations/alembic.ini",
    "server_sync/migrations/env.py",
]


@dataclass(frozen=True)
class Installed:
    folder: Path  # the venv
    wheel: Path

    def run(self, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
        """A command of the venv, from a folder outside the checkout, with no PYTHONPATH."""
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}
        }
        environment.update(env)
        return subprocess.run(
            [str(self.folder / "bin" / args[0]), *args[1:]],
            cwd=cwd,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def pip(self, *args: str, cwd: Path) -> None:
        """pip of the venv; `--no-compile`: modules compile when first imported, as few do."""
        result = self.run("python", "-m", "pip", "--quiet", *args, "--no-compile", cwd=cwd)
        assert result.returncode == 0, result.stdout + result.stderr

    def distributions(self, cwd: Path) -> set[str]:
        listing = self.run("python", "-m", "pip", "list", "--format=freeze", cwd=cwd)
        assert listing.returncode == 0, listing.stderr
        return {line.split("==")[0].lower().replace("_", "-") for line in listing.stdout.split()}


def _build_wheel(out: Path) -> Path:
    """`pip wheel --no-deps` of a copy of the sources (the build leaves build/ beside them)."""
    source = out / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("kiosk", "server_sync"):
        shutil.copytree(ROOT / package, source / package, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), "."],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("line_kiosk-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """The kiosk lock and the wheel in a venv of their own (no system site-packages)."""
    folder = tmp_path_factory.mktemp("wheel")
    wheel = _build_wheel(folder / "dist")
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(folder / "venv")
    target = Installed(folder / "venv", wheel)
    target.pip("install", "--require-hashes", "-r", str(LOCKS / "kiosk.lock"), cwd=folder)
    target.pip("install", "--no-deps", str(wheel), cwd=folder)
    yield target


def test_the_wheel_carries_the_migrations_and_resources(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as archive:
        names = set(archive.namelist())
    missing = [name for name in PACKAGE_DATA if name not in names]
    assert missing == []
    versions = {name for name in names if name.startswith("kiosk/migrations/versions/")}
    in_checkout = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "kiosk" / "migrations" / "versions").glob("*.py")
    }
    assert versions == in_checkout
    assert not any(name.startswith(("tests/", "bench/", "scripts/")) for name in names)


def test_the_kiosk_lock_satisfies_the_wheel_and_holds_no_tools(
    installed: Installed, tmp_path: Path
) -> None:
    check = installed.run("python", "-m", "pip", "check", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    names = installed.distributions(tmp_path)
    assert "line-kiosk" in names
    assert names & TOOLS == set()
    assert names & SERVER_ONLY == set()


def test_the_installed_kiosk_runs_from_the_venv_not_the_checkout(
    installed: Installed, tmp_path: Path
) -> None:
    where = installed.run(
        "python",
        "-c",
        "import kiosk, PySide6\n"
        "from kiosk.store.migrate import migrations_dir\n"
        "from kiosk.ui.application import resources_dir\n"
        "for path in (kiosk.__file__, PySide6.__file__, migrations_dir(), resources_dir()):\n"
        "    print(path)",
        cwd=tmp_path,
    )
    assert where.returncode == 0, where.stderr
    paths = [Path(line) for line in where.stdout.split()]
    assert len(paths) == 4
    for line in paths:
        assert line.exists(), line
        assert Path(line).is_relative_to(installed.folder), line
        assert not Path(line).is_relative_to(ROOT), line


def test_the_installed_kiosk_smokes_and_makes_its_demo_site(
    installed: Installed, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    offscreen = {"QT_QPA_PLATFORM": "offscreen", "KIOSK_LOG_DIR": str(tmp_path / "logs")}
    smoke = installed.run(
        "kiosk", "--demo", "--smoke", "--data-dir", str(data), cwd=tmp_path, **offscreen
    )
    assert smoke.returncode == 0, smoke.stderr
    assert SMOKE_MARKER in smoke.stdout
    assert "(3 tiles)" in smoke.stdout  # CUT-L02's two operators and its supervisor
    (database,) = data.glob("demo/*.sqlite3")
    with sqlite3.connect(database) as connection:
        (people,) = connection.execute("SELECT count(*) FROM app_user").fetchone()
    assert people == 13
    verify = installed.run(
        "kiosk", "audit", "verify", "--demo", "--data-dir", str(data), cwd=tmp_path
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "audit log intact" in verify.stdout


@pytest.mark.postgres
def test_with_the_server_lock_server_sync_migrates_a_fresh_database(
    installed: Installed, postgres_server: str, tmp_path: Path
) -> None:
    installed.pip("install", "--require-hashes", "-r", str(LOCKS / "server.lock"), cwd=tmp_path)
    check = installed.run("python", "-m", "pip", "check", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert installed.distributions(tmp_path) & TOOLS == set()
    with fresh_database(postgres_server) as url:
        migrate = installed.run(
            "server-sync", "--database-url", sqlalchemy_url(url), "migrate", cwd=tmp_path
        )
        assert migrate.returncode == 0, migrate.stdout + migrate.stderr
        assert "newest schema" in migrate.stdout
        with psycopg.connect(url) as connection:
            tables = {
                row[0]
                for row in connection.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            }
            (domain,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            (central,) = connection.execute(
                "SELECT version_num FROM alembic_version_central"
            ).fetchone()
    assert {"app_user", "work_order", "audit_log", "device", "change_feed"} <= tables
    # Both chains at the newest revision this checkout has: the wheel carried all of them.
    assert (domain, central) == (head_revision(), central_head())
