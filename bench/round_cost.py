"""What one kiosk's sync round costs the machine: CPU of the kiosk, the server and PostgreSQL.

`bench/fleet.py` runs 100 kiosks, the server and PostgreSQL on one machine: 50 rounds a
second, each with 2 counts before it. On 2 cores its p95 is set by how close that load
comes to the machine's 2,000 ms of CPU a second (near it, every round queues behind the
others), so it swings from under 100 ms to seconds between runs. This prints the steady
figure under it: the CPU one round costs, summed over the kiosk (2 counts through the real
service, then a sync round as its worker runs it), the real `server-sync serve` process
and the local PostgreSQL's processes, on the fleet's site (the demo plus 100 sewing lines)
with one kiosk, so that nothing else queues. Read it as fleet load: 50 x this per second.

Reads /proc (Linux) for the server's and PostgreSQL's CPU; PostgreSQL must be the local one.
Last line: `round_cost: X ms` (CPU per round, all three together).
Usage: bench/round_cost.py [--rounds 400] [--lines 100]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from bench.fleet import PIN, TimedClient, seed_fleet_lines
from bench.sync_harness import LoggedServer, central_site, percentile
from kiosk.services.actor import Actor
from kiosk.store.models import User
from kiosk.sync.enrolment import stored_token
from tests.helpers.central import KioskNode

WARM_UP = 20


def cpu_seconds(matches: Callable[[str], bool]) -> float:
    """User + system CPU of the processes whose command line matches (from /proc)."""
    ticks = 0
    for folder in Path("/proc").iterdir():
        if not folder.name.isdigit():
            continue
        try:
            command = (folder / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = (folder / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while read
            continue
        if matches(command):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _log_in(node: KioskNode, employee_no: str) -> Actor:
    """The fleet's operator on the kiosk, with the fleet's PIN."""
    with node.database.reader() as session:
        user_id = session.scalar(select(User.id).where(User.employee_no == employee_no))
    assert user_id is not None, employee_no
    return node.services.auth.login_with_pin(user_id, PIN).actor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--lines", type=int, default=100, help="fleet lines besides the demo's")
    args = parser.parse_args()
    with central_site("round") as (_admin, central), tempfile.TemporaryDirectory() as folder:
        line, operator, work_order_id = seed_fleet_lines(central, args.lines)[0]
        server = LoggedServer(central.url, Path(folder) / "server.log", workers=1)
        with server.running():
            node = KioskNode(Path(folder) / "kiosk", server.url, central.enrolment_code(line=line))
            node.sync()  # bootstrap
            actor = _log_in(node, operator)
            samples: list[float] = []
            engine = node.engine(
                client=TimedClient(node.server_url, stored_token(node.secrets), samples)
            )
            record = node.services.work_orders.record

            def one_round() -> None:
                for _ in range(2):
                    record(actor, work_order_id, good="1", reject="", reason=None)
                engine.run_round()

            for _ in range(WARM_UP):
                one_round()
            samples.clear()

            def is_server(command: str) -> bool:
                return "server_sync serve" in command

            def is_postgres(command: str) -> bool:
                return command.startswith("postgres")

            server_before, database_before = cpu_seconds(is_server), cpu_seconds(is_postgres)
            kiosk_before, began = time.process_time(), time.perf_counter()
            for _ in range(args.rounds):
                one_round()
            wall = time.perf_counter() - began
            kiosk = time.process_time() - kiosk_before
            server_cpu = cpu_seconds(is_server) - server_before
            database = cpu_seconds(is_postgres) - database_before
            node.close()
    per_round = 1000 / args.rounds
    total = (kiosk + server_cpu + database) * per_round
    print(
        f"{args.rounds} rounds of 2 counts + a sync round, {args.lines} fleet lines: "
        f"wall {wall * per_round:.1f} ms a round, {len(samples)} exchanges, "
        f"p50 {percentile(samples, 0.5):.1f} ms"
    )
    print(
        f"CPU a round: kiosk {kiosk * per_round:.2f} ms, server {server_cpu * per_round:.2f} ms, "
        f"PostgreSQL {database * per_round:.2f} ms; a 100-kiosk fleet asks "
        f"{50 * total:.0f} ms of CPU a second"
    )
    print(f"round_cost: {total:.2f} ms")


if __name__ == "__main__":
    main()
