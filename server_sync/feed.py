"""The change feed: publish rows a transaction changed; serve a device the rows after its cursor."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from kiosk.domain.sync_events import SITE_KEY, USER
from kiosk.store.models import (
    Alert,
    Base,
    KanbanCard,
    Line,
    LineClearance,
    LineOccupancy,
    ProductionEntryRow,
    Transfer,
    User,
    WorkOrder,
)
from kiosk.store.replica import (
    ENTITIES,
    OCCUPANCY_LINE_CODE,
    USER_LINE_IDS,
    encode_object,
    entity_of,
)
from server_sync.models import ChangeRow, Device, FeedState, SiteSecret
from server_sync.scope import (
    SITE,
    WAREHOUSE,
    department_lines_tag,
    department_tag,
    device_tags,
    line_rows,
    line_tag,
    occupancy_tag,
    project_user,
)

RESET_CURSOR_TOO_OLD = "cursor_too_old"
RESET_EPOCH_CHANGED = "epoch_changed"


@dataclass(frozen=True)
class FeedRow:
    entity: str
    key: str
    audience: list[str]
    data: dict[str, Any]


def feed_row(session: Session, row: Base) -> FeedRow | None:
    """A changed domain row as the feed carries it; None for tables that do not travel."""
    entity = entity_of(row.__table__.name)  # type: ignore[attr-defined]
    if entity is None:
        return None
    extra: dict[str, Any] = {}
    if isinstance(row, User):
        extra[USER_LINE_IDS] = [link.line_id for link in row.lines]
    elif isinstance(row, LineOccupancy):
        extra[OCCUPANCY_LINE_CODE] = _line(session, row.line_id).code
    data = encode_object(entity, row, **extra)
    return FeedRow(entity.name, entity.key_of(data), _audience(session, row), data)


def _line(session: Session, line_id: uuid.UUID) -> Line:
    line = session.get(Line, line_id)
    assert line is not None, line_id
    return line


def _audience(session: Session, row: Base) -> list[str]:  # noqa: PLR0911  (one per entity)
    if isinstance(row, WorkOrder):
        line = _line(session, row.line_id)
        return line_rows(line.code, line.department.value)
    if isinstance(row, ProductionEntryRow):
        work_order = session.get(WorkOrder, row.work_order_id)
        assert work_order is not None
        line = _line(session, work_order.line_id)
        return line_rows(line.code, line.department.value)
    if isinstance(row, Transfer):
        return sorted(
            {
                *line_rows(row.from_line, row.from_department.value),
                *line_rows(row.to_line, row.to_department.value),
            }
        )
    if isinstance(row, LineOccupancy):
        line = _line(session, row.line_id)
        department = line.department.value
        return [
            line_tag(line.code),
            department_tag(department),
            department_lines_tag(department),
            occupancy_tag(department),
        ]
    if isinstance(row, LineClearance):
        line = _line(session, row.line_id)
        return [department_tag(line.department.value)]
    if isinstance(row, Alert):
        if row.department is None:
            return [SITE]
        return [department_tag(row.department.value)]
    if isinstance(row, KanbanCard):
        line = _line(session, row.line_id)
        return [*line_rows(line.code, line.department.value), WAREHOUSE]
    return [SITE]


def secret_row(secret: SiteSecret) -> FeedRow:
    return FeedRow(
        SITE_KEY, secret.name, [SITE], {"key": base64.b64encode(secret.value).decode("ascii")}
    )


def publish(session: Session, rows: Iterable[FeedRow]) -> int:
    """Number the rows under the feed's lock (held until commit) and store their latest state.

    Call it last in a transaction: numbers become visible in the order they were given.
    """
    latest = {(row.entity, row.key): row for row in rows}
    if not latest:
        return 0
    high_water = session.execute(
        select(FeedState.high_water).where(FeedState.id == 1).with_for_update()
    ).scalar_one()
    values = []
    for offset, row in enumerate(latest.values(), start=1):
        values.append(
            {
                "entity": row.entity,
                "key": row.key,
                "seq": high_water + offset,
                "audience": row.audience,
                "data": row.data,
            }
        )
    session.execute(
        update(FeedState).where(FeedState.id == 1).values(high_water=high_water + len(values))
    )
    statement = pg_insert(ChangeRow)
    statement = statement.on_conflict_do_update(
        index_elements=[ChangeRow.entity, ChangeRow.key],
        set_={
            "seq": statement.excluded.seq,
            "audience": statement.excluded.audience,
            "data": statement.excluded.data,
        },
    )
    session.execute(statement, values)
    return len(values)


def publish_all(session: Session) -> int:
    """Every replicated row and site key, e.g. after seeding or an import."""
    rows: list[FeedRow] = []
    for model in _models_in_rank_order():
        for row in session.scalars(select(model)):
            found = feed_row(session, row)
            if found is not None:
                rows.append(found)
    rows += [secret_row(secret) for secret in session.scalars(select(SiteSecret))]
    return publish(session, rows)


def _models_in_rank_order() -> list[type[Base]]:
    models = []
    for entity in sorted(ENTITIES.values(), key=lambda item: item.rank):
        for mapper in Base.registry.mappers:
            if mapper.local_table is entity.table:
                models.append(mapper.class_)
    return models


@dataclass(frozen=True)
class FeedPage:
    changes: list[dict[str, Any]]
    cursor: int
    high_water: int
    has_more: bool
    epoch: uuid.UUID
    reset: str | None


def read_page(
    session: Session, device: Device, cursor: int, epoch: uuid.UUID | None, limit: int
) -> FeedPage:
    """The device's rows after `cursor`; from 0 with a reset reason when the cursor is unusable."""
    state = session.execute(select(FeedState).where(FeedState.id == 1)).scalar_one()
    reset: str | None = None
    if (epoch is not None and epoch != state.epoch) or cursor > state.high_water:
        reset = RESET_EPOCH_CHANGED  # another or a restored central database
    elif 0 < cursor < state.floor:
        reset = RESET_CURSOR_TOO_OLD
    if reset is not None:
        cursor = 0
    rows = session.execute(
        text(
            "SELECT seq, entity, key, data FROM change_feed "
            "WHERE seq > :cursor AND seq <= :high AND audience && CAST(:tags AS varchar[]) "
            "ORDER BY seq LIMIT :limit"
        ),
        {"cursor": cursor, "high": state.high_water, "tags": device_tags(device), "limit": limit},
    ).all()
    device_line_id = None
    if device.line_code:
        device_line_id = session.scalar(select(Line.id).where(Line.code == device.line_code))
    changes = []
    for seq, entity, key, stored in rows:
        data = project_user(device, stored, device_line_id) if entity == USER else stored
        changes.append({"seq": seq, "entity": entity, "key": key, "data": data})
    has_more = len(rows) == limit
    return FeedPage(
        changes=changes,
        cursor=rows[-1][0] if has_more else state.high_water,
        high_water=state.high_water,
        has_more=has_more,
        epoch=state.epoch,
        reset=reset,
    )
