"""What the routes share: sessions on the central database, the metrics, the clock, the rules.

One per app, made at start-up (the app factory's lifespan) and kept on `app.state.backend`;
its own module so that routers in other modules type it without importing the app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from server_sync.metrics import Metrics
from server_sync.settings import ServerSettings

Clock = Callable[[], datetime]
_Desk = TypeVar("_Desk")


def app_desk(state: Any, name: str, make: Callable[[Backend], _Desk]) -> _Desk:
    """The app's one `name` desk (identity, first PIN, admin), made from its backend at the
    first request that needs it and kept on `state` (the app's state) after that."""
    desk = getattr(state, name, None)
    if desk is None:
        desk = make(state.backend)
        setattr(state, name, desk)
    return cast(_Desk, desk)


class Backend:
    """What the routes need: sessions on the central database, metrics, the clock."""

    def __init__(self, engine: Engine, settings: ServerSettings, clock: Clock) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        # Reads that need no transaction (each statement sees committed data, as it would
        # at READ COMMITTED): no BEGIN and ROLLBACK round trips around them.
        self.readers = sessionmaker(
            engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
        )
        self.settings = settings
        self.metrics = Metrics()
        self.clock = clock
        self.rules = settings.floor_rules()
