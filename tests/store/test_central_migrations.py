"""The central schema exists only through Alembic, and the models agree with it.

The central database runs two chains: the kiosk's domain tables (`alembic_version`) and
the central tables (`alembic_version_central`). Each chain's models are compared with
what its migrations built, on PostgreSQL, up, down to nothing, and up again. The kiosk's
own 0003 is also run on a real 0002 database that holds outbox events.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, MetaData, create_engine, inspect, select, text

from kiosk.store import migrate as kiosk_migrate
from kiosk.store.database import create_sqlite_engine, open_database
from kiosk.store.models import Base, OutboxEvent, SyncState
from kiosk.store.unit_of_work import append_outbox
from kiosk.sync.audit_segment import push_segment
from server_sync import migrate
from server_sync.models import CentralBase, FeedState

KIOSK_VERSION_TABLE = "alembic_version"
VERSION_TABLES = {KIOSK_VERSION_TABLE, migrate.VERSION_TABLE}


def _differences(engine: Engine, metadata: MetaData, version_table: str) -> list[Any]:
    """Alembic's diff of one chain's models against the database, that chain's tables only."""
    other_tables = {
        name
        for name in inspect(engine).get_table_names()
        if name not in metadata.tables and name != version_table
    }

    def ours(_object: Any, name: str | None, type_: str, *_: Any) -> bool:
        return not (type_ == "table" and name in other_tables)

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "version_table": version_table,
                "include_object": ours,
            },
        )
        return list(compare_metadata(context, metadata))


def _assert_models_agree(engine: Engine) -> None:
    assert _differences(engine, Base.metadata, KIOSK_VERSION_TABLE) == []
    assert _differences(engine, CentralBase.metadata, migrate.VERSION_TABLE) == []


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    created = create_engine(postgres_url)
    yield created
    created.dispose()


@pytest.mark.postgres
def test_both_chains_agree_with_their_models_up_down_and_up_again(engine: Engine) -> None:
    assert not migrate.is_current(engine)
    migrate.upgrade(engine)
    assert migrate.is_current(engine)
    assert migrate.central_revision(engine) == migrate.central_head()
    assert kiosk_migrate.current_revision(engine) == kiosk_migrate.head_revision()
    tables = set(inspect(engine).get_table_names())
    assert tables == set(Base.metadata.tables) | set(CentralBase.metadata.tables) | VERSION_TABLES
    _assert_models_agree(engine)

    migrate.downgrade_all(engine)
    assert set(inspect(engine).get_table_names()) - VERSION_TABLES == set()
    assert migrate.central_revision(engine) is None
    assert kiosk_migrate.current_revision(engine) is None

    migrate.upgrade(engine)
    assert migrate.is_current(engine)
    _assert_models_agree(engine)


@pytest.mark.postgres
def test_the_comparison_sees_a_central_table_that_drifted(engine: Engine) -> None:
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE transfer_dispute DROP COLUMN raised_at"))
        connection.execute(text("ALTER TABLE app_user ADD COLUMN nickname varchar(20)"))
    central = _differences(engine, CentralBase.metadata, migrate.VERSION_TABLE)
    kiosk = _differences(engine, Base.metadata, KIOSK_VERSION_TABLE)
    assert [(diff[0], diff[2]) for diff in central] == [("add_column", "transfer_dispute")]
    assert [(diff[0], diff[2]) for diff in kiosk] == [("remove_column", "app_user")]


@pytest.mark.postgres
def test_the_central_chain_starts_the_feed_with_its_one_row(engine: Engine) -> None:
    migrate.upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(select(FeedState.id, FeedState.high_water)).all()
    assert [tuple(row) for row in rows] == [(1, 0)]


@pytest.mark.postgres
def test_upgrading_a_current_central_database_changes_nothing(engine: Engine) -> None:
    migrate.upgrade(engine)
    with engine.connect() as connection:
        before = connection.execute(
            text("SELECT version_num FROM alembic_version_central")
        ).scalar_one()
    migrate.upgrade(engine)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version_central")).all()
    assert [row[0] for row in versions] == [before]


# ====================================================================== kiosk 0003 on 0002 data
def _kiosk_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(kiosk_migrate.migrations_dir()))
    config.attributes["engine"] = engine
    return config


def test_0003_keeps_the_outbox_of_a_0002_database_numbered_in_one_incarnation(
    tmp_path: Path,
) -> None:
    path = tmp_path / "kiosk.sqlite3"
    engine = create_sqlite_engine(path)
    start = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    ids = [uuid.uuid4() for _ in range(5)]
    try:
        command.upgrade(_kiosk_config(engine), "0002")
        assert kiosk_migrate.current_revision(engine) == "0002"
        with engine.begin() as connection:
            for number, event_id in enumerate(ids, start=1):
                connection.execute(
                    text(
                        "INSERT INTO outbox_event "
                        "(id, seq, kind, schema_version, payload, created_at, acked_at) "
                        "VALUES (:id, :seq, :kind, 1, :payload, :created_at, NULL)"
                    ),
                    {
                        "id": event_id.hex,
                        "seq": number,
                        "kind": "session.started",
                        "payload": f'{{"line": "CUT-L02", "n": {number}}}',
                        "created_at": (start + timedelta(minutes=number)).isoformat(),
                    },
                )
        kiosk_migrate.upgrade(engine)
        assert kiosk_migrate.current_revision(engine) == kiosk_migrate.head_revision()
    finally:
        engine.dispose()

    database = open_database(path)
    try:
        with database.reader() as session:
            state = session.get(SyncState, 1)
            assert state is not None
            events = session.scalars(select(OutboxEvent).order_by(OutboxEvent.seq)).all()
            assert [event.id for event in events] == ids
            assert [event.seq for event in events] == [1, 2, 3, 4, 5]
            assert {event.incarnation for event in events} == {state.incarnation}
            assert [event.payload["n"] for event in events] == [1, 2, 3, 4, 5]
            assert all(event.acked_at is None and event.result is None for event in events)
            assert (state.last_seq, state.acked_through, state.device_id) == (5, 0, None)
        # The next event continues the numbering, in the same incarnation.
        with database.writer() as session:
            added = append_outbox(session, kind="session.ended", payload={}, at=start)
            session.commit()
            assert added.seq == 6 and added.incarnation == state.incarnation
        # And the sync engine sends them from the first, in order.
        batch = push_segment(database, 10, anchored_seq=0).events
        assert [item.seq for item in batch] == [1, 2, 3, 4, 5, 6]
        sent = [json.loads(item.text)["id"] for item in batch[:5]]
        assert sent == [str(event_id) for event_id in ids]
    finally:
        database.dispose()

    # Down to 0002 again: the events are still there, each with its number.
    engine = create_sqlite_engine(path)
    try:
        command.downgrade(_kiosk_config(engine), "0002")
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT seq FROM outbox_event ORDER BY seq")).all()
            assert [row[0] for row in rows] == [1, 2, 3, 4, 5, 6]
            assert not inspect(connection).has_table("sync_state")
    finally:
        engine.dispose()


# ====================================================================== c0003 on c0001 data
@pytest.mark.postgres
def test_c0003_retires_the_site_slip_key_and_keeps_the_badge_key(engine: Engine) -> None:
    """The shared HMAC slip key is deleted with its feed row: no device is handed it again."""
    kiosk_migrate.upgrade(engine)
    config = Config()
    config.set_main_option("script_location", str(migrate.central_migrations_dir()))
    config.attributes["engine"] = engine
    command.upgrade(config, "c0001")
    with engine.begin() as connection:
        for name in ("site-key-DEMO", "badge-key"):
            connection.execute(
                text("INSERT INTO site_secret (name, value) VALUES (:name, :value)"),
                {"name": name, "value": bytes(32)},
            )
            connection.execute(
                text(
                    "INSERT INTO change_feed (entity, key, seq, audience, data) "
                    "VALUES ('site_key', :name, :seq, ARRAY['site'], '{}'::jsonb)"
                ),
                {"name": name, "seq": 1 if name == "badge-key" else 2},
            )
    migrate.upgrade(engine)
    assert migrate.is_current(engine)
    with engine.connect() as connection:
        secrets = connection.execute(text("SELECT name FROM site_secret")).scalars().all()
        feed = connection.execute(text("SELECT key FROM change_feed")).scalars().all()
    assert (secrets, feed) == (["badge-key"], ["badge-key"])
