"""The change feed: publish rows a transaction changed; serve a device the rows after its cursor."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Table, select, text, update
from sqlalchemy.orm import Session

from kiosk.domain.ids import new_id
from kiosk.domain.slip_keys import public_key_text
from kiosk.domain.sync_events import PRODUCTION_ENTRY, SITE_KEY, SLIP_KEY, USER
from kiosk.store.models import (
    Alert,
    Base,
    KanbanCard,
    KanbanItem,
    Line,
    LineClearance,
    LineOccupancy,
    ProductionCorrectionRow,
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
    encode_row,
    entity_of,
)
from kiosk.store.secrets import BADGE_KEY_NAMES
from server_sync.bulk import COPY_FROM_ROWS, copy_rows
from server_sync.models import (
    DEVICE_DESKTOP,
    SERVER_ONLY_SECRETS,
    ChangeRow,
    Device,
    DeviceKey,
    FeedState,
    SiteSecret,
)
from server_sync.scope import (
    BADGE_READERS,
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


def created_row_feed(
    session: Session,
    model: type[Base],
    values: dict[str, Any],
    audiences: dict[uuid.UUID, list[str]],
    **extra: Any,
) -> FeedRow | None:
    """A new site row written as plain values (an import), exactly as `feed_row` carries it.

    Only the ERP's kinds: a work order goes to its line, a line, person or item to the
    site. `audiences` remembers each line's audience over the rows of one plan.
    """
    entity = entity_of(model.__tablename__)
    if entity is None:
        return None
    data = encode_row(entity, {codec.name: values[codec.key] for codec in entity.codecs}, **extra)
    if model is WorkOrder:
        audience = audiences.get(values["line_id"])
        if audience is None:
            line = _line(session, values["line_id"])
            audience = audiences[line.id] = line_rows(line.code, line.department.value)
    elif model in (Line, User, KanbanItem):
        audience = [SITE]
    else:
        raise TypeError(f"{model.__name__} rows are not published from plain values here")
    return FeedRow(entity.name, entity.key_of(data), audience, data)


def new_row_feed(
    session: Session,
    model: type[Base],
    values: dict[str, Any],
    audiences: dict[uuid.UUID, list[str]],
) -> FeedRow:
    """A row written in bulk (not through the ORM), as the feed carries it.

    `audiences` remembers each work order's audience over a batch of entries.
    """
    entity = entity_of(model.__tablename__)
    if entity is None or model not in (ProductionEntryRow, ProductionCorrectionRow):
        raise TypeError(f"{model.__name__} rows are not published from plain values")
    data = encode_row(entity, values)
    work_order_id = values["work_order_id"]
    audience = audiences.get(work_order_id)
    if audience is None:
        audience = audiences[work_order_id] = _entry_audience(session, work_order_id)
    return FeedRow(entity.name, entity.key_of(data), audience, data)


def _line(session: Session, line_id: uuid.UUID) -> Line:
    line = session.get(Line, line_id)
    assert line is not None, line_id
    return line


def _audience(session: Session, row: Base) -> list[str]:  # noqa: PLR0911  (one per entity)
    if isinstance(row, WorkOrder):
        line = _line(session, row.line_id)
        return line_rows(line.code, line.department.value)
    if isinstance(row, ProductionEntryRow | ProductionCorrectionRow):
        return _entry_audience(session, row.work_order_id)
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


def _entry_audience(session: Session, work_order_id: uuid.UUID) -> list[str]:
    work_order = session.get(WorkOrder, work_order_id)
    assert work_order is not None
    line = _line(session, work_order.line_id)
    return line_rows(line.code, line.department.value)


def secret_row(secret: SiteSecret) -> FeedRow:
    """A site key as the feed carries it; badge keys only to devices that read badges."""
    audience = [BADGE_READERS] if secret.name in BADGE_KEY_NAMES else [SITE]
    return FeedRow(
        SITE_KEY, secret.name, audience, {"key": base64.b64encode(secret.value).decode("ascii")}
    )


def slip_key_row(key: DeviceKey, device: Device) -> FeedRow:
    """A device's public slip key for every device of the site (revoked ones say so)."""
    entity = ENTITIES[SLIP_KEY]
    data = encode_row(
        entity,
        {
            "key_id": key.key_id,
            "device_id": key.device_id,
            "public_key": public_key_text(key.public_key),
            "line_code": None if device.kind == DEVICE_DESKTOP else device.line_code,
            "department": device.department if device.kind == DEVICE_DESKTOP else None,
            "revoked_at": key.revoked_at,
        },
    )
    return FeedRow(entity.name, key.key_id, [SITE], data)


def slip_key_rows(session: Session, device_id: uuid.UUID | None = None) -> list[FeedRow]:
    """The slip keys of one device, or of every device."""
    query = select(DeviceKey, Device).join(Device, Device.id == DeviceKey.device_id)
    if device_id is not None:
        query = query.where(DeviceKey.device_id == device_id)
    return [slip_key_row(key, device) for key, device in session.execute(query).all()]


# Numbers are taken and the rows stored in one statement: the feed's row stays locked from
# here until commit (so numbers become visible in order), and nothing else runs in between.
_PUBLISH = text(
    """
    WITH taken AS (
        UPDATE feed_state SET high_water = high_water + :count WHERE id = 1
        RETURNING high_water - :count AS base
    )
    INSERT INTO change_feed (entity, key, seq, audience, data)
    SELECT incoming.entity, incoming.key, taken.base + incoming.place,
           ARRAY(
               SELECT tag.value
               FROM jsonb_array_elements_text(incoming.audience) WITH ORDINALITY AS tag(value, n)
               ORDER BY tag.n
           )::varchar[],
           incoming.data
    FROM taken, jsonb_to_recordset(CAST(:rows AS jsonb))
         AS incoming(place bigint, entity varchar, key varchar, audience jsonb, data jsonb)
    ON CONFLICT (entity, key) DO UPDATE
    SET seq = excluded.seq, audience = excluded.audience, data = excluded.data
    """
)


def publish(session: Session, rows: Iterable[FeedRow]) -> int:
    """Number the rows under the feed's lock (held until commit) and store their latest state.

    Call it last in a transaction: numbers become visible in the order they were given.
    """
    latest = {(row.entity, row.key): row for row in rows}
    if not latest:
        return 0
    values = [
        {
            "place": place,
            "entity": row.entity,
            "key": row.key,
            "audience": row.audience,
            "data": row.data,
        }
        for place, row in enumerate(latest.values(), start=1)
    ]
    session.execute(_PUBLISH, {"count": len(values), "rows": _rows_json(values)})
    return len(values)


def _rows_json(values: list[dict[str, Any]]) -> str:
    """The rows as JSON text for PostgreSQL to read: written by orjson (a fifth of the standard
    encoder's time on a push's thousand rows); a value orjson cannot write (an integer past
    64 bits) falls back to `json`, as before."""
    try:
        return orjson.dumps(values).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(values)


_TAKE_NUMBERS = text(
    "UPDATE feed_state SET high_water = high_water + :count WHERE id = 1 "
    "RETURNING high_water - :count"
)


def publish_created(session: Session, rows: Sequence[FeedRow]) -> int:
    """Rows of keys the feed has never carried (rows an import created), stored by COPY.

    The numbers are taken under the feed's lock as `publish` takes them (held until
    commit); a key the feed already has fails the COPY (a unique key), never overwrites.
    """
    if len(rows) < COPY_FROM_ROWS:
        return publish(session, rows)
    base = int(session.execute(_TAKE_NUMBERS, {"count": len(rows)}).scalar_one())
    table: Table = ChangeRow.__table__  # type: ignore[assignment]
    copy_rows(
        session,
        table,
        [
            {
                "entity": row.entity,
                "key": row.key,
                "seq": base + place,
                "audience": row.audience,
                "data": row.data,
            }
            for place, row in enumerate(rows, start=1)
        ],
    )
    return len(rows)


def start_new_epoch(session: Session) -> uuid.UUID:
    """Every kiosk pulls everything again: an admin's decision after restoring this database.

    Cursors the kiosks kept from the lost database may already count past rows the
    restored one makes anew (an alert re-raised by a re-sent event), which they would
    never pull. A device's claim alone (its `acked_through`) never starts this: any
    token could then make every kiosk re-download the site on every sync.
    """
    epoch = new_id()
    session.execute(
        update(FeedState).where(FeedState.id == 1).values(epoch=epoch, floor=FeedState.high_water)
    )
    return epoch


def publish_all(session: Session) -> int:
    """Every replicated row, site key and device slip key, e.g. after seeding or an import."""
    rows: list[FeedRow] = []
    for model in _models_in_rank_order():
        for row in session.scalars(select(model)):
            found = feed_row(session, row)
            if found is not None:
                rows.append(found)
    shared = select(SiteSecret).where(SiteSecret.name.not_in(SERVER_ONLY_SECRETS))
    rows += [secret_row(secret) for secret in session.scalars(shared)]
    rows += slip_key_rows(session)
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
    session: Session,
    device: Device,
    cursor: int,
    epoch: uuid.UUID | None,
    limit: int,
    *,
    own_entries: Sequence[str] = (),
) -> FeedPage:
    """The device's rows after `cursor`; from 0 with a reset reason when the cursor is unusable.

    `own_entries` are production entries the device has just pushed in this request: the
    server stored them as they came (a count never changes afterwards), so they are not
    sent back. A re-bootstrap, or a request whose answer was lost, gets them as usual.
    """
    state = session.execute(select(FeedState).where(FeedState.id == 1)).scalar_one()
    reset: str | None = None
    if (epoch is not None and epoch != state.epoch) or cursor > state.high_water:
        reset = RESET_EPOCH_CHANGED  # another or a restored central database
    elif 0 < cursor < state.floor and epoch is None:
        # The floor rises only with a new epoch (feed reset), so a cursor this epoch handed
        # out is never too old: a re-bootstrap's pages all end below the floor, and sending
        # it back to 0 at each of them would restart it for ever.
        reset = RESET_CURSOR_TOO_OLD
    if reset is not None:
        cursor = 0
    rows = session.execute(
        text(
            "SELECT seq, entity, key, data FROM change_feed "
            "WHERE seq > :cursor AND seq <= :high AND audience && CAST(:tags AS varchar[]) "
            "AND NOT (entity = :entries AND key = ANY(CAST(:own AS varchar[]))) "
            "ORDER BY seq LIMIT :limit"
        ),
        {
            "cursor": cursor,
            "high": state.high_water,
            "tags": device_tags(device),
            "limit": limit,
            "entries": PRODUCTION_ENTRY,
            "own": [] if reset is not None else list(own_entries),
        },
    ).all()
    device_line_id = None
    if device.line_code and any(row[1] == USER for row in rows):  # for user rows only
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
