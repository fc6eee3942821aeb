"""Setting up the central site: its keys, its time zone, and the demo site the kiosks know."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kiosk.demo import demo_work_orders
from kiosk.domain.site_time import SITE_TIME_ZONE_KEY
from kiosk.services.pin_hasher import PinHasher
from kiosk.store.models import Line, SiteSetting
from server_sync.feed import feed_row, publish
from server_sync.site_demo import seed_demo_rows


def has_site(engine: Engine) -> bool:
    with Session(engine) as session:
        return session.scalar(select(Line.id).limit(1)) is not None


def seed_demo(engine: Engine, hasher: PinHasher | None = None) -> bool:
    """The kiosk demo's site, centrally, imported as a real site's ERP data is
    (server_sync.site_demo), in one transaction. The site's badge key is made fresh by
    the first import of badges; no slip key (every enrolled kiosk signs with its own).

    Returns False (and changes nothing) when the database already has a site.
    """
    if has_site(engine):
        return False
    now = datetime.now(UTC)
    with Session(engine) as session:
        seed_demo_rows(session, demo_work_orders(now), hasher or PinHasher(), now)
        session.commit()
    return True


def site_code(session: Session) -> str:
    row = session.get(SiteSetting, "site_code")
    return "SITE" if row is None else row.value


def apply_time_zone(engine: Engine, zone_name: str) -> bool:
    """The site's time zone as the server's `site_time_zone` names it (already checked):
    stored and published to every kiosk when it changed. Whether it changed."""
    with Session(engine) as session:
        row = session.get(SiteSetting, SITE_TIME_ZONE_KEY)
        if row is not None and row.value == zone_name:
            return False
        if row is None:
            row = SiteSetting(key=SITE_TIME_ZONE_KEY, value=zone_name)
            session.add(row)
        else:
            row.value = zone_name
        session.flush()
        found = feed_row(session, row)
        assert found is not None  # site settings travel to every kiosk
        publish(session, [found])
        session.commit()
    return True
