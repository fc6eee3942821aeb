"""The line's status in words: the header's short line and the occupancy sentence.

Plain functions of the data the services return, so they can be read and tested
without a window; the texts are translated in the "LineStatus" context.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.services.transfer_views import LineHoldSummary, OccupancyView
from kiosk.services.views import LineStatus
from kiosk.ui.formatting import TimeFormatter


def desktop_header() -> str:
    """A supervisor's desktop has no line of its own: the board shows every line."""
    return QCoreApplication.translate("LineStatus", "Supervisor's desktop · all lines")


def desktop_login_hint() -> str:
    return QCoreApplication.translate("LineStatus", "Supervisors of the department log in here.")


def header_text(
    status: LineStatus, occupancy: OccupancyView, holds: list[LineHoldSummary], line_name: str
) -> str:
    """Work running, the batch the line holds and the held batches, in about 60 characters."""
    translate = QCoreApplication.translate
    if status.running:
        text = translate("LineStatus", "▶ Running {numbers}").format(
            numbers=", ".join(status.running)
        )
    elif status.paused:
        text = translate("LineStatus", "❚❚ Paused {numbers}").format(
            numbers=", ".join(status.paused)
        )
    else:
        text = translate("LineStatus", "○ No work order running")
    # The line's name gives way to what the line holds.
    parts = [text]
    if occupancy.work_order_number is not None:
        parts.append(
            translate("LineStatus", "holds {number}").format(number=occupancy.work_order_number)
        )
    else:
        parts.insert(0, line_name)
        if occupancy.observed_at is not None:
            parts.append(translate("LineStatus", "line clear"))
    if holds:
        parts.insert(0, translate("LineStatus", "⚠ {n} held").format(n=len(holds)))
    return " · ".join(parts)


def occupancy_sentence(
    occupancy: OccupancyView, held: int, line_code: str, times: TimeFormatter
) -> str:
    """The line's occupancy in full (WO, article, destination, since when)."""
    translate = QCoreApplication.translate
    if occupancy.work_order_number is not None:
        text = translate(
            "LineStatus", "{line} holds {number} · {article} · for {destination} since {time}."
        ).format(
            line=line_code,
            number=occupancy.work_order_number,
            article=occupancy.article or "",
            destination=occupancy.destination or "",
            time=times.time(occupancy.since),
        )
    elif occupancy.observed_at is not None:
        text = translate("LineStatus", "{line} is clear.").format(line=line_code)
    else:
        text = translate("LineStatus", "{line}: what the line holds is not known yet.").format(
            line=line_code
        )
    if held:
        text += " " + translate("LineStatus", "{n} batch held for a supervisor.").format(n=held)
    return text
