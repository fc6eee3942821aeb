"""Process start to login screen shown: median of 5 starts, and the peak RSS.

Each run is a fresh `python -m kiosk --demo --smoke` on a demo site prepared
beforehand (so seeding is not measured). The clock starts before the process is
spawned and stops when the program prints that the login screen is shown.
Where this user may, the page cache is dropped before each run (a truly cold
start); otherwise the runs are warm-cache cold process starts, and it says so.

Goals (issue 2): median <= 1.5 s, peak RSS <= 200 MB.
Last line: `startup_median: X s`.
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


def _drop_page_cache() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n", encoding="ascii")
    except OSError:
        return False
    return True


def _one_start(env: dict[str, str]) -> tuple[float, float]:
    """(seconds to the login screen, peak RSS in MB) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--demo", "--smoke"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert process.stdout is not None
    shown_at = None
    for line in process.stdout:
        if line.startswith(MARKER):
            shown_at = time.perf_counter()
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    if shown_at is None or os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("the kiosk did not show its login screen")
    return shown_at - started, usage.ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as folder:
        env = {
            **os.environ,
            "KIOSK_DATA_DIR": folder,
            "KIOSK_LOG_DIR": str(Path(folder) / "logs"),
            "KIOSK_CONFIG": str(Path(folder) / "none.toml"),
            "QT_QPA_PLATFORM": "offscreen",
        }
        _one_start(env)  # creates the demo site; not measured
        times, peaks, dropped = [], [], []
        for run in range(1, RUNS + 1):
            dropped.append(_drop_page_cache())
            seconds, peak = _one_start(env)
            times.append(seconds)
            peaks.append(peak)
            print(f"run {run}: {seconds:.3f} s to login screen, peak RSS {peak:.0f} MB")
    cache = "dropped before each run" if all(dropped) else "not dropped (no permission)"
    print(f"page cache: {cache}")
    print(f"startup_peak_rss: {max(peaks):.0f} MB")
    print(f"startup_median: {statistics.median(times):.3f} s")


if __name__ == "__main__":
    main()
