"""Times are stored in UTC and shown in the site's time zone (kiosk.domain.site_time), in
the screens' language: month names and digits come from the default QLocale, which
`install_translations` sets with the language ("21 Des 07:30" in Bahasa Indonesia)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from kiosk.domain.site_time import (
    UnknownTimeZoneError,
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
        return _in_locale(self.local(moment), "HH:mm")

    def date_time(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        return _in_locale(self.local(moment), "dd MMM HH:mm")

    def stamp(self, moment: datetime | None) -> str:
        """A full date and time with the zone's name ("2026-11-21 14:30 WIB")."""
        if moment is None:
            return ""
        return stamp_text(moment, self.zone)

    @staticmethod
    def number(value: int) -> str:
        """A count in the language's digits and grouping ("1,250" in English, "1.250" in
        Bahasa Indonesia)."""
        return QLocale().toString(value)


def _in_locale(wall_clock: datetime, pattern: str) -> str:
    """A wall-clock time written by the default locale (its month names and digits)."""
    moment = QDateTime(
        QDate(wall_clock.year, wall_clock.month, wall_clock.day),
        QTime(wall_clock.hour, wall_clock.minute, wall_clock.second),
    )
    return QLocale().toString(moment, pattern)
