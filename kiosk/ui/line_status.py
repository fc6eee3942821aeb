"""The line's status in words: the header's short line and the occupancy sentence.

Plain functions of the data the services return, so they can be read and tested
without a window; the texts are translated in the "LineStatus" context.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from kiosk.domain.roles import Department
from kiosk.services.transfer_views import LineHoldSummary, OccupancyView
from kiosk.services.views import LineStatus, LineView
from kiosk.ui.formatting import TimeFormatter
from kiosk.ui.labels import department_label


def window_title(line: LineView, *, desktop: bool) -> str:
    if desktop:
        return QCoreApplication.translate("LineStatus", "Line kiosk - {department} desktop").format(
            department=line.department.value
        )
    return QCoreApplication.translate("LineStatus", "Line kiosk - {line}").format(line=line.code)


def header_line(line: LineView, *, desktop: bool) -> tuple[str, str]:
    """The header's code and its tooltip: the line, or a desktop's department."""
    if desktop:
        desk = QCoreApplication.translate("LineStatus", "Supervisor's desktop")
        return department_label(line.department), desk
    return line.code, line.name


@dataclass(frozen=True)
class LineStatusTexts:
    """The header's line, and the sentences of the login and home screens (None: unchanged)."""

    header: str
    login: str | None = None
    home: str | None = None


def texts(
    status: LineStatus,
    occupancy: OccupancyView,
    holds: list[LineHoldSummary],
    line: LineView,
    times: TimeFormatter,
    *,
    desktop: bool,
) -> LineStatusTexts:
    """What the window says about its line, from what the services returned."""
    if desktop:  # no line of its own: the board shows every line
        return LineStatusTexts(
            QCoreApplication.translate("LineStatus", "Supervisor's desktop · all lines"),
            login=QCoreApplication.translate(
                "LineStatus", "Supervisors of the department log in here."
            ),
        )
    if line.department is Department.WAREHOUSE:
        return LineStatusTexts(line.name)  # no work orders here
    sentence = occupancy_sentence(occupancy, len(holds), line.code, times)
    return LineStatusTexts(
        header_text(status, occupancy, holds, line.name), login=sentence, home=sentence
    )


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
