"""The lines of the site, and which one this kiosk is bound to."""

from __future__ import annotations

from sqlalchemy import select

from kiosk.domain.errors import ErrorCode, KnownError
from kiosk.services.views import LineView
from kiosk.store.database import Database
from kiosk.store.models import Line, SiteSetting


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
