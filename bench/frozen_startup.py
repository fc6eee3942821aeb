"""The frozen kiosk (build.spec) from process start to login screen shown, beside the venv's.

    .venv/bin/python bench/frozen_startup.py [FROZEN_APP_DIR]

FROZEN_APP_DIR defaults to dist/line-kiosk; without one there, build.spec is built into a
temporary folder first (not measured). Each run is `kiosk --demo --smoke` off-screen, timed
as bench/startup.py does (the clock stops at the program's "login screen shown" line),
frozen and venv runs taking turns, five of each. Where this user may, the page cache is
dropped before each run; otherwise it says so.

Goal (issue 16): frozen median <= 1.5 s. The build's size is on the last line but one.
Last line: `frozen_startup_median: X s`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5
MARKER = "kiosk-smoke: login screen shown"
ROOT = Path(__file__).resolve().parents[1]


def _drop_page_cache() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n", encoding="ascii")
    except OSError:
        return False
    return True


def _one_start(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning `command` to its login-screen line."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    assert process.stdout is not None
    shown_at = None
    for line in process.stdout:
        if line.startswith(MARKER):
            shown_at = time.perf_counter()
    process.stdout.close()
    if process.wait() != 0 or shown_at is None:
        raise SystemExit(f"{command[0]} did not show its login screen")
    return shown_at - started


def _size_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _build(into: Path) -> Path:
    print("building build.spec (not measured)...", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--workpath",
            str(into / "build"),
            "--distpath",
            str(into / "dist"),
            str(ROOT / "build.spec"),
        ],
        cwd=ROOT,
        check=True,
    )
    return into / "dist" / "line-kiosk"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kiosk-frozen-bench-") as folder:
        given = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist" / "line-kiosk"
        app = given if (given / "kiosk").is_file() else _build(Path(folder))
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")},
            "KIOSK_DATA_DIR": str(Path(folder) / "data"),
            "KIOSK_CONFIG": str(Path(folder) / "none.toml"),
            "QT_QPA_PLATFORM": "offscreen",
        }
        commands = {
            "frozen": [str(app / "kiosk"), "--demo", "--smoke"],
            "venv": [sys.executable, "-m", "kiosk", "--demo", "--smoke"],
        }
        for command in commands.values():
            _one_start(command, env)  # creates the demo site; not measured
        times: dict[str, list[float]] = {name: [] for name in commands}
        dropped = []
        for run in range(1, RUNS + 1):
            for name, command in commands.items():
                dropped.append(_drop_page_cache())
                seconds = _one_start(command, env)
                times[name].append(seconds)
                print(f"run {run} {name}: {seconds:.3f} s to login screen", flush=True)
        size = _size_bytes(app)
    cache = "dropped before each run" if all(dropped) else "not dropped (no permission)"
    print(f"page cache: {cache}")
    print(f"venv_startup_median: {statistics.median(times['venv']):.3f} s")
    # MiB, as `du -sh` counts (the 420 MB before and the 250 MB goal of issue 16).
    print(f"frozen_build_size: {size / 2**20:.0f} MiB ({size / 1e6:.0f} MB decimal; {app})")
    print(f"frozen_startup_median: {statistics.median(times['frozen']):.3f} s")


if __name__ == "__main__":
    main()
