"""Sync tests run against a real PostgreSQL and a real server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from tests.helpers.central import (
    CentralDatabase,
    KioskNode,
    ThreadServer,
    build_central_template,
    drop_database,
)
from tests.helpers.postgres import fresh_database, sqlalchemy_url
from tests.helpers.tcp_proxy import TcpProxy

KioskFactory = Callable[..., KioskNode]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/sync/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def central_template(postgres_server: str) -> Iterator[str]:
    name = build_central_template(postgres_server)
    yield name
    drop_database(postgres_server, name)


@pytest.fixture
def central(postgres_server: str, central_template: str) -> Iterator[CentralDatabase]:
    """A fresh central database with the demo site, dropped afterwards."""
    with CentralDatabase.copy_of(postgres_server, central_template) as database:
        yield database


@pytest.fixture
def empty_central(postgres_server: str) -> Iterator[CentralDatabase]:
    """A database of its own with nothing in it: no schema, no demo (a site from CSV)."""
    with fresh_database(postgres_server) as url:
        engine = create_engine(sqlalchemy_url(url))
        yield CentralDatabase(url, engine)
        engine.dispose()


@pytest.fixture
def server(central: CentralDatabase) -> Iterator[ThreadServer]:
    running = ThreadServer(central.url)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def kiosk(central: CentralDatabase, server: ThreadServer, tmp_path: Path) -> Iterator[KioskFactory]:
    """Enrol a kiosk for a line (a fresh database, a real code, real HTTP) and bootstrap it."""
    made: list[KioskNode] = []

    def make(
        line: str, name: str | None = None, *, bootstrap: bool = True, **options: Any
    ) -> KioskNode:
        folder = tmp_path / (name or line)
        node = KioskNode(folder, server.url, central.enrolment_code(line=line), **options)
        made.append(node)
        if bootstrap:
            node.sync()
        return node

    yield make
    for node in made:
        node.close()


@pytest.fixture
def proxy(server: ThreadServer) -> Iterator[TcpProxy]:
    """Our TCP proxy in front of the server: kiosks given `proxy.url` talk through it."""
    with TcpProxy(server.url) as running:
        yield running
