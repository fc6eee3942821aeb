"""A kiosk in a process of its own, for the tests that kill it with SIGKILL.

    python -m tests.helpers.kiosk_process FOLDER SERVER_URL record --employee E1001 \
        --work-order WO-2026-004217 --count 20 [--worker]
    python -m tests.helpers.kiosk_process FOLDER SERVER_URL sync

FOLDER holds a kiosk database already enrolled (tests.helpers.central.KioskNode).
`record` logs the operator in with her PIN and records counts through the real
services, one transaction each, printing `committed N` after each commit; with
`--worker` the real sync worker runs beside it (trying, backing off) the whole time.
After the last count it prints `done` and waits to be killed. `sync` runs one sync
round and prints its report as JSON. `KioskProcess` is the test's side.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[2]


# ====================================================================== in the kiosk's process
def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _record(args: argparse.Namespace) -> int:
    from kiosk.store.models import WorkOrder
    from kiosk.sync.worker import SyncWorker
    from tests.helpers.central import KioskNode

    node = KioskNode.reopen(Path(args.folder), args.server)
    actor = node.login(args.employee)
    with node.database.reader() as session:
        work_order_id = session.scalar(
            select(WorkOrder.id).where(WorkOrder.number == args.work_order)
        )
    assert work_order_id is not None, args.work_order
    worker = None
    if args.worker:
        worker = SyncWorker(
            node.engine(), node.store, node.clock, interval_seconds=0.2, max_backoff_seconds=0.5
        )
        node.services.uow.events_committed.append(worker.events_queued)
        worker.start()
    _say("ready")
    for number in range(1, args.count + 1):
        node.services.work_orders.record(
            actor, work_order_id, good="0", reject="1", reason="FABRIC_FLAW"
        )
        _say(f"committed {number}")
    _say("done")
    while True:  # the worker keeps trying until the test kills this process
        time.sleep(1)


def _sync(args: argparse.Namespace) -> int:
    from tests.helpers.central import KioskNode

    node = KioskNode.reopen(Path(args.folder), args.server)
    _say("ready")
    report = node.sync(batch_size=args.batch_size)
    _say(
        json.dumps(
            {
                "requests": report.requests,
                "pushed": report.pushed,
                "answers": dict(report.answers),
                "pending": report.pending,
                "resets": report.resets,
            }
        )
    )
    node.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk_process")
    parser.add_argument("folder")
    parser.add_argument("server")
    commands = parser.add_subparsers(dest="command", required=True)
    record = commands.add_parser("record")
    record.add_argument("--employee", required=True)
    record.add_argument("--work-order", required=True)
    record.add_argument("--count", type=int, default=10)
    record.add_argument("--worker", action="store_true")
    sync = commands.add_parser("sync")
    sync.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args(argv)
    return _record(args) if args.command == "record" else _sync(args)


# ====================================================================== the test's side
class KioskProcess:
    """`python -m tests.helpers.kiosk_process …` with its output read line by line."""

    def __init__(self, folder: Path, server_url: str, *arguments: str) -> None:
        self.log = folder.parent / f"{folder.name}-process-{time.monotonic_ns()}.log"
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        with self.log.open("wb") as errors:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.helpers.kiosk_process",
                    str(folder),
                    server_url,
                    *arguments,
                ],
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def wait_for(self, wanted: str, timeout: float = 20.0) -> str:
        """The first line (from now on) that starts with `wanted`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise TimeoutError(
                    f"no {wanted!r} from the kiosk process; {self.errors()}"
                ) from None
            if line is None:
                raise RuntimeError(
                    f"the kiosk process ended ({self.process.wait()}) before {wanted!r}; "
                    + self.errors()
                )
            self.output.append(line)
            if line.startswith(wanted):
                return line

    def report(self, timeout: float = 20.0) -> dict[str, Any]:
        """The JSON report a `sync` run prints last."""
        found: dict[str, Any] = json.loads(self.wait_for("{", timeout))
        self.finish(timeout)
        return found

    def __enter__(self) -> KioskProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()  # whatever happened in the test, no kiosk process is left behind

    def kill(self) -> None:
        """kill -9: no clean-up of any kind in the kiosk."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.finish()

    def finish(self, timeout: float = 20.0) -> int:
        code = self.process.wait(timeout)
        self._reader.join(timeout)
        assert self.process.stdout is not None
        self.process.stdout.close()
        return code

    def errors(self) -> str:
        return "stderr: " + self.log.read_text(errors="replace")[-3000:]


if __name__ == "__main__":
    sys.exit(main())
