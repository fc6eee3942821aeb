"""The lines of the site, which one this kiosk is bound to, and the site's time zone."""

from __future__ import annotations

import logging
from datetime import tzinfo

from sqlalchemy import select

from kiosk.domain.errors import ErrorCode, KnownError
from kiosk.domain.site_time import SITE_TIME_ZONE_KEY, UnknownTimeZoneError, zone_named
from kiosk.services.views import LineView
from kiosk.store.database import Database
from kiosk.store.models import Line, SiteSetting

log = logging.getLogger(__name__)


def all_lines(database: Database) -> list[LineView]:
    with database.reader() as session:
        rows = session.scalars(select(Line).order_by(Line.code)).all()
        return [LineView(row.code, row.name, row.department) for row in rows]


def line_by_code(database: Database, code: str) -> LineView:
    """The kiosk's line; an unknown code is an installation problem, told plainly."""
    wanted = code.strip().upper()
    with database.reader() as session:
        row = session.scalar(select(Line).where(Line.code == wanted))
        if row is None:
            known = session.scalars(select(Line.code).order_by(Line.code)).all()
            raise KnownError(ErrorCode.LINE_NOT_FOUND, line=wanted, known=list(known))
        return LineView(row.code, row.name, row.department)


def site_code(database: Database) -> str:
    """The site's short code (slips name it); "SITE" until sync or set-up says otherwise."""
    with database.reader() as session:
        row = session.get(SiteSetting, "site_code")
        return "SITE" if row is None else row.value


class SiteZone:
    """The zone times are shown and printed in: the site's `site_time_zone` (set centrally,
    carried by the change feed), else this kiosk's own `site_timezone` setting, else the
    computer's zone. Read once, and again after a sync round brought site settings."""

    def __init__(self, database: Database, fallback: str = "") -> None:
        self._database = database
        self._fallback = zone_named(fallback)  # a bad setting stops the start, named
        self._zone: tzinfo | None = self._fallback
        self.reload()

    @property
    def zone(self) -> tzinfo | None:
        return self._zone

    def reload(self) -> tzinfo | None:
        """Read the site's setting again; an unknown name is logged and the fallback kept."""
        with self._database.reader() as session:
            row = session.get(SiteSetting, SITE_TIME_ZONE_KEY)
            name = "" if row is None else row.value
        try:
            zone = zone_named(name)
        except UnknownTimeZoneError:
            log.warning("the site's time zone %r is unknown here: times keep their zone", name)
            zone = None
        self._zone = zone if zone is not None else self._fallback
        return self._zone
