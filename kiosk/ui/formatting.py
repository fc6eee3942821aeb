"""Times are stored in UTC and shown in the site's time zone."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class TimeFormatter:
    def __init__(self, zone_name: str = "") -> None:
        self.zone: tzinfo | None = None
        if zone_name:
            try:
                self.zone = ZoneInfo(zone_name)
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise ValueError(f"unknown time zone {zone_name!r}") from error

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)  # None: the system's zone

    def time(self, moment: datetime | str | None) -> str:
        if moment is None:
            return ""
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        return self.local(moment).strftime("%H:%M")

    def date_time(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        return self.local(moment).strftime("%d %b %H:%M")
