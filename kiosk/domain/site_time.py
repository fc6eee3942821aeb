"""Times as the site reads them: stored in UTC, shown and printed in the site's zone."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The site setting (central, carried to the kiosks by the change feed) naming the zone.
SITE_TIME_ZONE_KEY = "site_time_zone"
DEMO_TIME_ZONE = "Asia/Jakarta"


class UnknownTimeZoneError(ValueError):
    """Not an IANA zone name this computer knows (e.g. "Asia/Jakarta")."""


def zone_named(name: str) -> tzinfo | None:
    """The zone of an IANA name; None for "" (the computer's own zone)."""
    name = name.strip()
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise UnknownTimeZoneError(f"unknown time zone {name!r}") from error


def in_zone(moment: datetime, zone: tzinfo | None) -> datetime:
    """The same instant on the site's wall clock (None: the computer's zone)."""
    return moment.astimezone(zone)


def clock_text(moment: datetime, zone: tzinfo | None) -> str:
    """ "07:30": a time of today on a screen."""
    return in_zone(moment, zone).strftime("%H:%M")


def day_and_clock_text(moment: datetime, zone: tzinfo | None) -> str:
    """ "21 Nov 07:30": a time that may not be today."""
    return in_zone(moment, zone).strftime("%d %b %H:%M")


def stamp_text(moment: datetime, zone: tzinfo | None) -> str:
    """ "2026-11-21 14:30 WIB": a time on paper, with the zone's name so nobody guesses."""
    return in_zone(moment, zone).strftime("%Y-%m-%d %H:%M %Z").rstrip()
