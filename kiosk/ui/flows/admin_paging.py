"""A server's list pages cut into the screen's smaller pages, and the way back through them.

The server answers a page of many rows and a cursor for the next; the screen shows a few
rows at a time. Each screen page seen is remembered as (server cursor, offset in that
page), so Previous needs no new request while it stays inside the server page on show.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from kiosk.services.admin import ListPage


class Step(Enum):
    NONE = "none"  # nothing that way
    SHOW = "show"  # inside the server page on show
    LOAD = "load"  # ask the server for the page `cursor` names


class ScreenPages:
    def __init__(self, size: int) -> None:
        self.size = size
        self._seen: list[tuple[str | None, int]] = [(None, 0)]
        self._shown: tuple[str | None, ListPage] | None = None  # the server page on show

    def restart(self) -> None:
        """Back to the first page (a new search, a list opened again)."""
        self._seen = [(None, 0)]

    def forget(self) -> None:
        """Nothing kept (the admin logged out)."""
        self.restart()
        self._shown = None

    @property
    def cursor(self) -> str | None:
        return self._seen[-1][0]

    @property
    def number(self) -> int:
        return len(self._seen)

    def store(self, cursor: str | None, page: ListPage) -> None:
        self._shown = (cursor, page)

    def visible(self) -> tuple[list[dict[str, Any]], bool]:
        """The rows of the screen page on show, and whether there are more after them."""
        offset = self._seen[-1][1]
        page = self._shown[1] if self._shown is not None else ListPage([])
        rows = page.rows[offset : offset + self.size]
        return rows, offset + self.size < len(page.rows) or page.next_cursor is not None

    def forward(self) -> Step:
        if self._shown is None:
            return Step.NONE
        cursor, offset = self._seen[-1]
        page = self._shown[1]
        if offset + self.size < len(page.rows):
            self._seen.append((cursor, offset + self.size))
            return Step.SHOW
        if page.next_cursor is not None:
            self._seen.append((page.next_cursor, 0))
            return Step.LOAD
        return Step.NONE

    def back(self) -> Step:
        if len(self._seen) <= 1:
            return Step.NONE
        self._seen.pop()
        shown = self._shown is not None and self._shown[0] == self.cursor
        return Step.SHOW if shown else Step.LOAD
