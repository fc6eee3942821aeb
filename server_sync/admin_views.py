"""The admin screens' lists, paged by a keyset cursor: people, work orders, devices, keys, audit.

No HTTP here (`admin_list_routes` words the answers). A page is `limit` rows after a
cursor the previous page gave, so page 500 costs what page 1 does. The audit is one
query over the three places the server keeps it: `central_audit` (the server's own
changes: integration API, commands, an admin's site changes), the server's own hash
chain `audit_log` (privileged identity actions, verified here) and `device_audit_entry`
(every kiosk's chain, as pushed and anchored). A day is the site's day: midnight to
midnight in its `site_time_zone` (UTC when the site has none), as its screens show times.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from kiosk.domain.site_time import SITE_TIME_ZONE_KEY, UnknownTimeZoneError, zone_named
from kiosk.store.models import Line, SiteSetting, User, UserLine, WorkOrder
from server_sync.models import Device, HeldEvent, IntegrationKey

MAX_LIMIT = 200
CSV_MAX_ROWS = 100_000


class BadCursorError(ValueError):
    """A cursor this server did not give (or of another list)."""


def _encode(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def _decode(cursor: str, size: int) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError):
        raise BadCursorError("this cursor is not one of this list's") from None
    if not isinstance(values, list) or len(values) != size:
        raise BadCursorError("this cursor is not one of this list's")
    return values


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    next_cursor: str | None


# ====================================================================== people
def people_page(session: Session, search: str, cursor: str | None, limit: int) -> Page:
    """People by employee number; `search` finds a name's part or an employee number."""
    query = select(User).order_by(User.employee_no).limit(limit + 1)
    wanted = search.strip()
    if wanted:
        pattern = _like(wanted)
        query = query.where(
            or_(User.name.ilike(pattern, escape="\\"), User.employee_no.ilike(pattern, escape="\\"))
        )
    if cursor:
        (after,) = _decode(cursor, 1)
        query = query.where(User.employee_no > str(after))
    people = list(session.scalars(query))
    more = len(people) > limit
    people = people[:limit]
    ids = [person.id for person in people]
    lines: dict[uuid.UUID, list[str]] = {}
    if ids:
        for user_id, code in session.execute(
            select(UserLine.user_id, Line.code)
            .join(Line, Line.id == UserLine.line_id)
            .where(UserLine.user_id.in_(ids))
            .order_by(Line.code)
        ):
            lines.setdefault(user_id, []).append(code)
    rows = [
        {
            "user_id": str(person.id),
            "employee_no": person.employee_no,
            "name": person.name,
            "role": person.role.value,
            "department": None if person.department is None else person.department.value,
            "lines": lines.get(person.id, []),
            "active": person.is_active,
            "has_badge": person.badge_hash is not None,
            "has_pin": bool(person.pin_hash),
            "language": person.language,  # None: the kiosk's
            "locked_until": None
            if person.locked_until is None
            else person.locked_until.isoformat(),
        }
        for person in people
    ]
    return Page(rows, _encode([people[-1].employee_no]) if more else None)


def _like(search: str) -> str:
    """`search` as an ILIKE pattern finding it anywhere, its own % and _ taken literally."""
    return "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# ====================================================================== work orders
def work_orders_page(session: Session, search: str, cursor: str | None, limit: int) -> Page:
    """Work orders by number, withdrawn ones too; `search` finds part of a number, an
    article (the item) or a line's code."""
    query = (
        select(WorkOrder, Line.code)
        .join(Line, Line.id == WorkOrder.line_id)
        .order_by(WorkOrder.number)
        .limit(limit + 1)
    )
    wanted = search.strip()
    if wanted:
        pattern = _like(wanted)
        query = query.where(
            or_(
                WorkOrder.number.ilike(pattern, escape="\\"),
                WorkOrder.article.ilike(pattern, escape="\\"),
                Line.code.ilike(pattern, escape="\\"),
            )
        )
    if cursor:
        (after,) = _decode(cursor, 1)
        query = query.where(WorkOrder.number > str(after))
    found = session.execute(query).all()
    more = len(found) > limit
    found = found[:limit]
    rows = [
        {
            "number": order.number,
            "mo_number": order.mo_number,
            "article": order.article,
            "destination": order.destination,
            "department": order.department.value,
            "line": code,
            "route": order.route,
            "target_qty": order.target_qty,
            "good_qty": order.good_qty,
            "status": order.status.value,
            "due": _iso(order.due_at),
        }
        for order, code in found
    ]
    return Page(rows, _encode([found[-1][0].number]) if more else None)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


# ====================================================================== devices
def devices(session: Session) -> list[dict[str, Any]]:
    """Every device with what the server knows of it; the program version and the events
    waiting in its outbox are what its last request said; `held_events` are those the
    server keeps for an admin's decision (a broken audit chain)."""
    held: dict[uuid.UUID, int] = {
        device_id: count
        for device_id, count in session.execute(
            select(HeldEvent.device_id, func.count()).group_by(HeldEvent.device_id)
        )
    }
    return [
        {
            "device_id": str(device.id),
            "name": device.name,
            "kind": device.kind,
            "line": device.line_code,
            "department": device.department,
            "enrolled_at": device.enrolled_at.isoformat(),
            "revoked_at": None if device.revoked_at is None else device.revoked_at.isoformat(),
            "last_seen_at": None
            if device.last_seen_at is None
            else device.last_seen_at.isoformat(),
            "clock_offset_seconds": device.clock_offset_seconds,
            "held_events": held.get(device.id, 0),
            "version": device.program_version,
            "events_waiting": device.events_waiting,
        }
        for device in session.scalars(select(Device).order_by(Device.name, Device.id))
    ]


def api_keys_listing(session: Session) -> list[dict[str, Any]]:
    """The integration keys with their last use (never the key itself)."""
    return [
        {
            "name": key.name,
            "key_id": key.key_id,
            "created_at": key.created_at.isoformat(),
            "last_used_at": None if key.last_used_at is None else key.last_used_at.isoformat(),
            "use_count": key.use_count,
            "revoked_at": None if key.revoked_at is None else key.revoked_at.isoformat(),
        }
        for key in session.scalars(select(IntegrationKey).order_by(IntegrationKey.created_at))
    ]


# ====================================================================== the audit
@dataclass(frozen=True)
class AuditFilter:
    """Each None: not filtered. `kind`: an action, or its start (`admin.user`)."""

    person: str | None = None  # an employee number
    line: str | None = None
    kind: str | None = None
    day: date | None = None


# One row shape for the three sources; `k` is each row's own key (text, "C" order), for
# the cursor. Each branch is ordered and limited on its own, so each walks its index.
_CENTRAL = """
SELECT 'server' AS source, c.at, c.id::text AS k, c.actor AS actor, c.action,
       'ok' AS outcome, c.entity, c.entity_key AS entity_id,
       c.details->>'device' AS device, c.details->>'line' AS line, c.details::text AS details
FROM central_audit c
WHERE {where}
ORDER BY c.at DESC, c.id DESC
LIMIT :fetch
"""
_CHAIN = """
SELECT 'server' AS source, a.at, a.id::text AS k, a.actor_label AS actor, a.action,
       a.outcome, a.entity, a.entity_id,
       a.details::json->>'device' AS device, a.details::json->>'line' AS line,
       a.details::text AS details
FROM audit_log a
WHERE {where}
ORDER BY a.at DESC, a.id DESC
LIMIT :fetch
"""
_DEVICES = """
SELECT 'device' AS source, e.at, e.hash AS k, e.actor_label AS actor, e.action,
       e.outcome, e.entity, e.entity_id, d.name AS device,
       COALESCE(d.line_code, e.details::json->>'line') AS line, e.details::text AS details
FROM device_audit_entry e JOIN device d ON d.id = e.device_id
WHERE {where}
ORDER BY e.at DESC, e.hash DESC
LIMIT :fetch
"""


def _where(alias: str, source: str, audit: AuditFilter, after: bool) -> str:
    parts = ["TRUE"]
    if after:
        key = {"central": "c.id::text", "chain": "a.id::text", "device": "e.hash"}[source]
        parts.append(
            f'({alias}.at < :at OR ({alias}.at = :at AND {key} COLLATE "C" < :key COLLATE "C"))'
        )
    if audit.person is not None:
        if source == "central":
            parts.append("split_part(c.actor, ' ', 1) = :person")
        else:
            parts.append(f"{alias}.actor_id = :person_id")
    if audit.line is not None:
        parts.append(
            {
                "central": "(c.details->>'line') = :line",
                "chain": "(a.details::json->>'line') = :line",
                "device": "COALESCE(d.line_code, e.details::json->>'line') = :line",
            }[source]
        )
    if audit.kind is not None:
        parts.append(f"({alias}.action = :kind OR {alias}.action LIKE :kind_prefix)")
    if audit.day is not None:
        parts.append(f"{alias}.at >= :day_start AND {alias}.at < :day_end")
    return " AND ".join(parts)


def site_day_bounds(session: Session, day: date) -> tuple[datetime, datetime]:
    """The instants `day` starts and ends at on the site's wall clock (a day is not always
    24 hours where clocks change), in UTC for the query."""
    row = session.get(SiteSetting, SITE_TIME_ZONE_KEY)
    try:
        zone = zone_named("" if row is None else row.value) or UTC
    except UnknownTimeZoneError:
        zone = UTC  # `serve` checks the name it stores; an odd row keeps the UTC day
    start = datetime.combine(day, time(), zone)
    end = datetime.combine(day + timedelta(days=1), time(), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def audit_page(session: Session, audit: AuditFilter, cursor: str | None, limit: int) -> Page:
    """The newest entries first, `limit` of them after `cursor`."""
    params: dict[str, Any] = {"fetch": limit + 1}
    if cursor:
        at_text, key = _decode(cursor, 2)
        params["at"] = datetime.fromisoformat(str(at_text))
        params["key"] = str(key)
    if audit.person is not None:
        params["person"] = audit.person
        person_id = session.scalar(select(User.id).where(User.employee_no == audit.person))
        params["person_id"] = person_id or uuid.UUID(int=0)
    if audit.line is not None:
        params["line"] = audit.line.upper()
    if audit.kind is not None:
        params["kind"] = audit.kind
        params["kind_prefix"] = audit.kind.replace("%", "").replace("_", "\\_") + ".%"
    if audit.day is not None:
        params["day_start"], params["day_end"] = site_day_bounds(session, audit.day)
    after = cursor is not None
    branches = [
        _CENTRAL.format(where=_where("c", "central", audit, after)),
        _CHAIN.format(where=_where("a", "chain", audit, after)),
        _DEVICES.format(where=_where("e", "device", audit, after)),
    ]
    statement = (
        "SELECT * FROM ("
        + " UNION ALL ".join(f"({branch})" for branch in branches)
        + ') AS entries ORDER BY at DESC, k COLLATE "C" DESC LIMIT :fetch'
    )
    found = session.execute(text(statement), params).mappings().all()
    more = len(found) > limit
    rows = [_audit_row(row) for row in found[:limit]]
    last = found[limit - 1] if more else None
    next_cursor = None if last is None else _encode([last["at"].isoformat(), last["k"]])
    return Page(rows, next_cursor)


def _audit_row(row: Any) -> dict[str, Any]:
    details = json.loads(row["details"]) if row["details"] else {}
    return {
        "source": row["source"],
        "key": row["k"],  # the entry's own id (a device row's hash): to open it again
        "at": row["at"].isoformat(),
        "actor": row["actor"],
        "action": row["action"],
        "outcome": row["outcome"],
        "entity": row["entity"],
        "entity_id": row["entity_id"],
        "device": row["device"],
        "line": row["line"],
        "details": details,
    }


CSV_COLUMNS = (
    "at",
    "source",
    "actor",
    "action",
    "outcome",
    "entity",
    "entity_id",
    "device",
    "line",
    "details",
)


def audit_csv(session: Session, audit: AuditFilter, page_size: int = 1000) -> Iterator[str]:
    """Every entry the filter finds (at most `CSV_MAX_ROWS`), as CSV text, page by page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    cursor: str | None = None
    written = 0
    while True:
        page = audit_page(session, audit, cursor, page_size)
        for row in page.rows:
            writer.writerow(
                [
                    *(row[name] for name in CSV_COLUMNS[:-1]),
                    json.dumps(row["details"], sort_keys=True),
                ]
            )
        written += len(page.rows)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        cursor = page.next_cursor
        if cursor is None or written >= CSV_MAX_ROWS:
            return
