"""The demo site: departments, lines, users with PINs and work orders in several states.

The README's table of demo users is checked against `DEMO_USERS` by a test.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.clock import Clock
from kiosk.domain.ids import new_id
from kiosk.domain.roles import Department, Role
from kiosk.domain.site_time import DEMO_TIME_ZONE, SITE_TIME_ZONE_KEY
from kiosk.domain.slip_keys import SlipSigner
from kiosk.domain.work_order import RejectReason, WorkOrderStatus
from kiosk.services.badge_hasher import BadgeHasher
from kiosk.services.pin_hasher import PinHasher
from kiosk.services.slip_keys import remember_slip_key
from kiosk.store import migrate
from kiosk.store.database import DATABASE_FILE_NAME, Database, open_database
from kiosk.store.models import (
    KanbanItem,
    Line,
    LineOccupancy,
    ProductionEntryRow,
    SiteSetting,
    User,
    UserLine,
    WorkOrder,
)
from kiosk.store.secrets import SLIP_SIGNING_KEY_NAME, FileSecretStore, SecretStore
from kiosk.store.unit_of_work import SYSTEM_ACTOR, append_audit

DEMO_DIR_NAME = "demo"
DEMO_DEFAULT_LINE = "CUT-L02"


@dataclass(frozen=True)
class DemoLine:
    code: str
    name: str
    department: Department


@dataclass(frozen=True)
class DemoUser:
    employee_no: str
    name: str
    role: Role
    department: Department | None
    lines: tuple[str, ...]
    pin: str

    @property
    def badge(self) -> str:
        """The demo badge's UID: 0A000 and the employee number's letter and digits."""
        return f"0A000{self.employee_no}"


DEMO_LINES: tuple[DemoLine, ...] = (
    DemoLine("CUT-L01", "Cutting line 1", Department.CUT),
    DemoLine("CUT-L02", "Cutting line 2", Department.CUT),
    DemoLine("SEW-L01", "Sewing line 1", Department.SEW),
    DemoLine("SEW-L03", "Sewing line 3", Department.SEW),
    DemoLine("FIN-L01", "Finishing line 1", Department.FIN),
    DemoLine("EMB-L01", "Embroidery line 1", Department.EMBO),
    DemoLine("WH-L01", "Accessories warehouse", Department.WAREHOUSE),
)

DEMO_SITE_CODE = "DEMO"
# The demo kiosk's slip-signing key is public on purpose, so that any two demo kiosks on
# any machines verify each other's slips. A real kiosk makes its own key pair at
# enrolment, keeps the private half in its keyring and sends the server the public one.
DEMO_SLIP_KEY = hashlib.sha256(b"line-kiosk demo slip key: public, not a secret").digest()
DEMO_DEVICE_ID = uuid.UUID("00000000-0000-7000-8000-00000000de30")


@dataclass(frozen=True)
class DemoItem:
    code: str
    name: str
    unit: str
    max_quantity: int


DEMO_ITEMS: tuple[DemoItem, ...] = (
    DemoItem("THR-WHT-5000", "Thread, white, 5000 m", "cone", 50),
    DemoItem("THR-BLK-5000", "Thread, black, 5000 m", "cone", 50),
    DemoItem("THR-BRN-5000", "Thread, brown, 5000 m", "cone", 50),
    DemoItem("THR-NVY-5000", "Thread, navy, 5000 m", "cone", 50),
    DemoItem("BTN-15-WHT", "Buttons 15 mm, white", "pack of 100", 40),
    DemoItem("BTN-20-BRN", "Buttons 20 mm, brown", "pack of 100", 40),
    DemoItem("ZIP-20-BLK", "Zipper 20 cm, black", "pack of 50", 30),
    DemoItem("ZIP-35-RED", "Zipper 35 cm, red", "pack of 50", 30),
    DemoItem("EYE-12-BLK", "Safety eyes 12 mm, black", "pack of 200", 25),
    DemoItem("FIL-PES-10", "Polyester fibre fill, 10 kg", "bag", 20),
    DemoItem("LBL-CARE", "Care labels", "roll of 1000", 20),
    DemoItem("NDL-90-14", "Machine needles 90/14", "box of 100", 10),
)

# What each line holds at the start of the demo (the rest are known free): Finishing
# has a batch of Sewing's WO for another destination, so a handoff of another work
# order there is blocked (FLOOR-DAY 14:45).
_DEMO_OCCUPANCY: dict[str, int] = {"FIN-L01": 16}

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("E1001", "Rina Wulandari", Role.OPERATOR, Department.CUT, ("CUT-L02",), "2468"),
    DemoUser(
        "E1002", "Budi Santoso", Role.OPERATOR, Department.CUT, ("CUT-L02", "CUT-L01"), "1357"
    ),
    DemoUser("E1003", "Agus Pratama", Role.OPERATOR, Department.CUT, ("CUT-L01",), "4321"),
    DemoUser("E2001", "Dewi Lestari", Role.OPERATOR, Department.SEW, ("SEW-L03",), "8642"),
    DemoUser("E2002", "Siti Rahayu", Role.OPERATOR, Department.SEW, ("SEW-L01",), "9753"),
    DemoUser("E3001", "Eko Saputra", Role.OPERATOR, Department.FIN, ("FIN-L01",), "3141"),
    DemoUser("E4001", "Maya Kusuma", Role.QC_INSPECTOR, Department.SEW, (), "2718"),
    DemoUser("E5001", "Hadi Gunawan", Role.SUPERVISOR, Department.SEW, (), "505050"),
    DemoUser("E5002", "Ani Setiawati", Role.SUPERVISOR, Department.CUT, (), "606060"),
    DemoUser("E5003", "Joko Susilo", Role.SUPERVISOR, Department.FIN, (), "707070"),
    DemoUser("E6001", "Wati Handayani", Role.WAREHOUSE_STAFF, Department.WAREHOUSE, (), "1212"),
    DemoUser("E6002", "Sri Mulyani", Role.WAREHOUSE_ADMIN, Department.WAREHOUSE, (), "343434"),
    DemoUser("E9001", "Andi Firmansyah", Role.ADMIN, None, (), "999999"),
)

_ARTICLES = (
    ("TB-30-BRN", "Teddy bear 30 cm, brown"),
    ("BN-25-WHT", "Bunny plush 25 cm, white"),
    ("EL-40-GRY", "Elephant plush 40 cm, grey"),
    ("PS-M-NVY", "Polo shirt M, navy"),
    ("HD-8Y-RED", "Kids hoodie 8Y, red"),
)
_DESTINATIONS = ("DE-Hamburg", "US-Los Angeles", "JP-Osaka", "NL-Rotterdam")

# (line, status) for each demo work order, in the order they are numbered.
_WORK_ORDER_PLAN: tuple[tuple[str, WorkOrderStatus], ...] = (
    ("CUT-L02", WorkOrderStatus.IN_PROGRESS),
    ("CUT-L02", WorkOrderStatus.PAUSED),
    ("CUT-L02", WorkOrderStatus.RELEASED),
    ("CUT-L02", WorkOrderStatus.RELEASED),
    ("CUT-L02", WorkOrderStatus.RELEASED),
    ("CUT-L02", WorkOrderStatus.COMPLETED),
    ("CUT-L02", WorkOrderStatus.COMPLETED),
    ("CUT-L01", WorkOrderStatus.IN_PROGRESS),
    ("CUT-L01", WorkOrderStatus.RELEASED),
    ("CUT-L01", WorkOrderStatus.RELEASED),
    ("CUT-L01", WorkOrderStatus.COMPLETED),
    ("SEW-L03", WorkOrderStatus.IN_PROGRESS),
    ("SEW-L03", WorkOrderStatus.RELEASED),
    ("SEW-L03", WorkOrderStatus.RELEASED),
    ("SEW-L03", WorkOrderStatus.PAUSED),
    ("SEW-L03", WorkOrderStatus.COMPLETED),
    ("SEW-L01", WorkOrderStatus.IN_PROGRESS),
    ("SEW-L01", WorkOrderStatus.RELEASED),
    ("SEW-L01", WorkOrderStatus.RELEASED),
    ("SEW-L01", WorkOrderStatus.COMPLETED),
    ("FIN-L01", WorkOrderStatus.RELEASED),
    ("FIN-L01", WorkOrderStatus.RELEASED),
    ("FIN-L01", WorkOrderStatus.IN_PROGRESS),
    ("FIN-L01", WorkOrderStatus.RELEASED),
    ("FIN-L01", WorkOrderStatus.COMPLETED),
    ("CUT-L02", WorkOrderStatus.RELEASED),
)
_FIRST_NUMBER = 4217


def demo_site_dir(data_dir: Path) -> Path:
    return data_dir / DEMO_DIR_NAME


def demo_database_path(data_dir: Path) -> Path:
    return demo_site_dir(data_dir) / DATABASE_FILE_NAME


def reset_demo_site(data_dir: Path) -> None:
    """Remove the demo site (its database with the WAL and SHM files)."""
    site = demo_site_dir(data_dir)
    if site.exists():
        shutil.rmtree(site)


def ensure_demo_site(
    data_dir: Path,
    clock: Clock,
    hasher: PinHasher | None = None,
    secrets: SecretStore | None = None,
) -> Path:
    """Create the demo site if it does not exist yet; return its database path.

    The demo's public slip key goes into `secrets` (by default the files beside the
    demo database), its public half into the database, so that demo kiosks sign and
    verify each other's slips.
    """
    path = demo_database_path(data_dir)
    database = open_database(path)
    try:
        migrate.upgrade(database.engine)
        if not _is_seeded(database):
            badges = BadgeHasher(FileSecretStore.beside(path).badge_key())
            seed_demo_site(database, clock, hasher or PinHasher(), badges)
        with database.writer() as session:
            public_key = SlipSigner(DEMO_SLIP_KEY).public_key
            remember_slip_key(session, public_key, device_id=DEMO_DEVICE_ID, line_code=None)
            session.commit()
    finally:
        database.dispose()
    store = secrets if secrets is not None else FileSecretStore.beside(path)
    if store.get(SLIP_SIGNING_KEY_NAME) != DEMO_SLIP_KEY:
        store.put(SLIP_SIGNING_KEY_NAME, DEMO_SLIP_KEY)
    return path


def _is_seeded(database: Database) -> bool:
    with database.reader() as session:
        return session.get(SiteSetting, "demo_seeded_at") is not None


@dataclass(frozen=True)
class DemoEntry:
    """A production entry of the demo's floor history: who counted what, when."""

    employee_no: str
    good: int
    reject: int
    recorded_at: datetime


@dataclass(frozen=True)
class DemoWorkOrder:
    """A demo work order: what the ERP sends (number to due) and what the floor did since."""

    number: str
    mo_number: str
    article: str
    destination: str
    line: DemoLine
    route: str
    target_qty: int
    due_at: datetime
    status: WorkOrderStatus
    good_qty: int
    started_at: datetime | None
    completed_at: datetime | None
    entries: tuple[DemoEntry, ...]

    @property
    def reject_qty(self) -> int:
        return sum(entry.reject for entry in self.entries)


def demo_work_orders(now: datetime) -> tuple[DemoWorkOrder, ...]:
    """The demo's work orders as of `now`, the same every time (a seeded random draw).

    Both the kiosk's demo database and the central demo are made from these.
    """
    rng = random.Random(20261121)
    lines = {spec.code: spec for spec in DEMO_LINES}
    made: list[DemoWorkOrder] = []
    for index, (line_code, status) in enumerate(_WORK_ORDER_PLAN):
        _, article = _ARTICLES[index % len(_ARTICLES)]
        target = rng.choice((120, 200, 240, 300, 360, 480, 600))
        running = target * rng.choice((2, 3, 4)) // 10
        paused = target * rng.choice((1, 5)) // 10
        good = {
            WorkOrderStatus.RELEASED: 0,
            WorkOrderStatus.IN_PROGRESS: running,
            WorkOrderStatus.PAUSED: paused,
            WorkOrderStatus.COMPLETED: target,
        }[status]
        started = (
            None
            if status is WorkOrderStatus.RELEASED
            else now - timedelta(hours=rng.randint(1, 30))
        )
        due = now + timedelta(days=rng.randint(1, 10))
        operators = [user.employee_no for user in DEMO_USERS if line_code in user.lines]
        made.append(
            DemoWorkOrder(
                number=f"WO-2026-{_FIRST_NUMBER + index:06d}",
                mo_number=f"MO-2026-{1100 + index // 3:05d}",
                article=article,
                destination=_DESTINATIONS[index % len(_DESTINATIONS)],
                line=lines[line_code],
                route="R1" if index % 3 else "R2",
                target_qty=target,
                due_at=due,
                status=status,
                good_qty=good,
                started_at=started,
                completed_at=(
                    now - timedelta(minutes=30) if status is WorkOrderStatus.COMPLETED else None
                ),
                entries=_demo_entries(rng, good, operators, now),
            )
        )
    return tuple(made)


def _demo_entries(
    rng: random.Random, good_qty: int, operators: list[str], now: datetime
) -> tuple[DemoEntry, ...]:
    """Production entries that add up to the work order's good quantity."""
    entries: list[DemoEntry] = []
    remaining = good_qty
    while remaining > 0 and operators:
        good = min(remaining, rng.choice((40, 60, 80)))
        reject = rng.choice((0, 0, 1, 2))
        by = rng.choice(operators)
        entries.append(DemoEntry(by, good, reject, now - timedelta(minutes=rng.randint(5, 300))))
        remaining -= good
    return tuple(entries)


def demo_occupancy(work_orders: Sequence[DemoWorkOrder]) -> dict[str, DemoWorkOrder | None]:
    """Every production line's occupancy at the start of the demo: free, or the batch held."""
    return {
        spec.code: (
            work_orders[_DEMO_OCCUPANCY[spec.code]] if spec.code in _DEMO_OCCUPANCY else None
        )
        for spec in DEMO_LINES
        if spec.department is not Department.WAREHOUSE
    }


def demo_settings(now: datetime) -> dict[str, str]:
    """The demo site's settings (its name, code and time zone, and when it was seeded)."""
    return {
        "site_name": "Demo factory",
        "site_code": DEMO_SITE_CODE,
        SITE_TIME_ZONE_KEY: DEMO_TIME_ZONE,
        "demo_seeded_at": now.isoformat(),
    }


def seed_demo_site(
    database: Database, clock: Clock, hasher: PinHasher, badges: BadgeHasher
) -> None:
    """Write the demo site in one transaction (with one audit entry saying so)."""
    now = clock.now()
    plan = demo_work_orders(now)
    with database.writer() as session:
        lines = {
            spec.code: Line(id=new_id(), code=spec.code, name=spec.name, department=spec.department)
            for spec in DEMO_LINES
        }
        session.add_all(lines.values())
        users: dict[str, User] = {}
        for spec in DEMO_USERS:
            user = User(
                id=new_id(),
                employee_no=spec.employee_no,
                name=spec.name,
                role=spec.role,
                department=spec.department,
                pin_hash=hasher.hash(spec.pin, spec.role),
                badge_hash=badges.digest(spec.badge),
                is_active=True,
                failed_pin_count=0,
                locked_until=None,
                created_at=now,
            )
            user.lines = [UserLine(line_id=lines[code].id) for code in spec.lines]
            users[spec.employee_no] = user
            session.add(user)
        session.flush()
        sequence_per_line: dict[str, int] = {}
        for order in plan:
            line = lines[order.line.code]
            sequence_per_line[line.code] = sequence_per_line.get(line.code, 0) + 1
            work_order = WorkOrder(
                id=new_id(),
                number=order.number,
                mo_number=order.mo_number,
                article=order.article,
                destination=order.destination,
                department=line.department,
                line_id=line.id,
                route=order.route,
                sequence=sequence_per_line[line.code],
                target_qty=order.target_qty,
                good_qty=0,
                reject_qty=0,
                status=WorkOrderStatus.RELEASED,
                due_at=order.due_at,
                started_at=None,
                completed_at=None,
                version=1,
            )
            session.add(work_order)
            session.flush()
            add_floor_history(session, work_order, order, users)
        session.add_all(
            KanbanItem(
                code=item.code,
                name=item.name,
                unit=item.unit,
                max_quantity=item.max_quantity,
                is_active=True,
            )
            for item in DEMO_ITEMS
        )
        session.add_all(occupancy_rows(lines, demo_occupancy(plan), now))
        session.add_all(SiteSetting(key=k, value=v) for k, v in demo_settings(now).items())
        append_audit(
            session,
            at=now,
            actor=SYSTEM_ACTOR,
            action="site.seed_demo",
            outcome="ok",
            entity="site",
            entity_id=None,
            details={
                "lines": len(DEMO_LINES),
                "users": len(DEMO_USERS),
                "work_orders": len(_WORK_ORDER_PLAN),
            },
        )
        session.commit()


def add_floor_history(
    session: Session, work_order: WorkOrder, spec: DemoWorkOrder, users: dict[str, User]
) -> list[ProductionEntryRow]:
    """What the floor did on a released demo work order: its state and its entries (added)."""
    work_order.status = spec.status
    work_order.good_qty = spec.good_qty
    work_order.reject_qty = spec.reject_qty
    work_order.started_at = spec.started_at
    work_order.completed_at = spec.completed_at
    entries = [
        ProductionEntryRow(
            id=new_id(),
            work_order_id=work_order.id,
            user_id=users[entry.employee_no].id,
            good=entry.good,
            reject=entry.reject,
            reject_reason=RejectReason.FABRIC_FLAW if entry.reject else None,
            recorded_at=entry.recorded_at,
        )
        for entry in spec.entries
    ]
    session.add_all(entries)
    return entries


def occupancy_rows(
    lines: dict[str, Line], held: dict[str, DemoWorkOrder | None], now: datetime
) -> list[LineOccupancy]:
    """Each production line's occupancy as known at seeding (see `demo_occupancy`)."""
    return [
        LineOccupancy(
            line_id=lines[code].id,
            work_order_number=None if batch is None else batch.number,
            article=None if batch is None else batch.article,
            destination=None if batch is None else batch.destination,
            since=None if batch is None else now - timedelta(hours=2),
            transfer_id=None,
            observed_at=now,
        )
        for code, batch in held.items()
    ]


def demo_user(employee_no: str) -> DemoUser:
    return next(user for user in DEMO_USERS if user.employee_no == employee_no)


def demo_user_id(database: Database, employee_no: str) -> uuid.UUID:
    with database.reader() as session:
        user_id = session.scalar(select(User.id).where(User.employee_no == employee_no))
    if user_id is None:
        raise LookupError(employee_no)
    return user_id
