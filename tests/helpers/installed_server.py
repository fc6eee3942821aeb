"""installer/server's files made runnable in a test: the unit's command and environment, and
the nginx site wrapped in a main configuration of the test's own (ports and paths its own)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer" / "server"
INSTALL_PREFIX = "/opt/server-sync/bin/"
BACKUP_SCRIPT_PATH = "/usr/local/lib/line-kiosk/backup-database"


def venv_bin() -> Path:
    """Where this environment's `server-sync` is (the unit's /opt/server-sync/bin)."""
    return Path(sys.executable).parent


def unit_value(unit: Path, key: str) -> str:
    values = [
        line.partition("=")[2]
        for line in unit.read_text(encoding="utf-8").splitlines()
        if line.startswith(f"{key}=")
    ]
    assert len(values) == 1, (unit, key, values)
    return values[0]


def env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile reads them (no quotes used here)."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, equals, value = line.partition("=")
            assert equals and key == key.strip() and " " not in key, line
            values[key] = value
    return values


def exec_start(unit: Path) -> list[str]:
    """The unit's ExecStart with the install folder replaced by this environment's."""
    command = shlex.split(unit_value(unit, "ExecStart"))
    assert command[0].startswith(INSTALL_PREFIX), command
    return [str(venv_bin() / command[0].removeprefix(INSTALL_PREFIX)), *command[1:]]


def _replaced(text: str, old: str, new: str) -> str:
    assert old in text, f"the nginx site no longer has {old!r}: update the test's rendering"
    return text.replace(old, new)


@dataclass
class Nginx:
    """nginx with installer/server's site, listening on 127.0.0.1:`port` in the foreground."""

    folder: Path
    port: int
    upstream_port: int
    certfile: Path
    keyfile: Path
    process: subprocess.Popen[bytes] | None = None

    def write(self) -> Path:
        site = (INSTALLER / "nginx-server-sync.conf").read_text(encoding="utf-8")
        site = _replaced(site, "listen 443 ssl;", f"listen 127.0.0.1:{self.port} ssl;")
        site = _replaced(site, "listen [::]:443 ssl;", "")
        site = _replaced(site, "/etc/line-kiosk/tls/server.pem", str(self.certfile))
        site = _replaced(site, "/etc/line-kiosk/tls/server.key", str(self.keyfile))
        site = _replaced(site, "server 127.0.0.1:8400;", f"server 127.0.0.1:{self.upstream_port};")
        (self.folder / "server-sync.conf").write_text(site, encoding="utf-8")
        temp = "\n".join(
            f"    {kind}_temp_path {self.folder / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        main = self.folder / "nginx.conf"
        main.write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"daemon off;\npid {self.folder / 'nginx.pid'};\n"
            + f"error_log {self.folder / 'error.log'};\n"
            + "events { worker_connections 64; }\n"
            + f"http {{\n    access_log off;\n{temp}\n"
            + f"    include {self.folder / 'server-sync.conf'};\n}}\n",
            encoding="utf-8",
        )
        return main

    def command(self, *arguments: str) -> list[str]:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        return [
            nginx,
            "-p",
            str(self.folder),
            "-e",
            str(self.folder / "error.log"),
            "-c",
            str(self.folder / "nginx.conf"),
            *arguments,
        ]

    def start(self) -> None:
        self.write()
        output = self.folder / "nginx.out"
        with output.open("wb") as written:
            self.process = subprocess.Popen(self.command(), stdout=written, stderr=written)
        time.sleep(0.3)
        if self.process.poll() is not None:
            raise RuntimeError(f"nginx exited: {output.read_text(encoding='utf-8')}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


def nginx_binary() -> str | None:
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None
    )
