"""Times are stored in UTC and shown in the site's time zone (kiosk.domain.site_time)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from kiosk.domain.site_time import (
    UnknownTimeZoneError,
    clock_text,
    day_and_clock_text,
    in_zone,
    stamp_text,
    zone_named,
)


class TimeFormatter:
    """The screens' one way to show a time; the zone follows the site's setting (set_zone)."""

    def __init__(self, zone_name: str = "", *, zone: tzinfo | None = None) -> None:
        self.zone: tzinfo | None = zone
        if zone_name:
            try:
                self.zone = zone_named(zone_name)
            except UnknownTimeZoneError as error:
                raise ValueError(str(error)) from error

    def set_zone(self, zone: tzinfo | None) -> None:
        """The site's zone changed (a sync round brought a new setting)."""
        self.zone = zone

    def local(self, moment: datetime) -> datetime:
        return in_zone(moment, self.zone)  # None: the system's zone

    def time(self, moment: datetime | str | None) -> str:
        if moment is None:
            return ""
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        return clock_text(moment, self.zone)

    def date_time(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        return day_and_clock_text(moment, self.zone)

    def stamp(self, moment: datetime | None) -> str:
        """A full date and time with the zone's name ("2026-11-21 14:30 WIB")."""
        if moment is None:
            return ""
        return stamp_text(moment, self.zone)
