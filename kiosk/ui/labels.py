"""Words for the domain's codes: roles, statuses, reject, pause and correction reasons."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from kiosk.domain.kanban import KanbanStatus
from kiosk.domain.reasons import CorrectionReason, PauseReason
from kiosk.domain.roles import Department, Role
from kiosk.domain.transfer import TransferStatus
from kiosk.domain.work_order import RejectReason, WorkOrderStatus


def role_label(role: Role) -> str:
    return {
        Role.OPERATOR: QCoreApplication.translate("Labels", "Operator"),
        Role.QC_INSPECTOR: QCoreApplication.translate("Labels", "QC inspector"),
        Role.SUPERVISOR: QCoreApplication.translate("Labels", "Supervisor"),
        Role.WAREHOUSE_STAFF: QCoreApplication.translate("Labels", "Warehouse staff"),
        Role.WAREHOUSE_ADMIN: QCoreApplication.translate("Labels", "Warehouse admin"),
        Role.ADMIN: QCoreApplication.translate("Labels", "Admin"),
    }[role]


def department_label(department: Department | None) -> str:
    if department is None:
        return ""
    return {
        Department.CUT: QCoreApplication.translate("Labels", "Cutting"),
        Department.EMBO: QCoreApplication.translate("Labels", "Embroidery"),
        Department.SEW: QCoreApplication.translate("Labels", "Sewing"),
        Department.FIN: QCoreApplication.translate("Labels", "Finishing"),
        Department.PACK: QCoreApplication.translate("Labels", "Packing"),
        Department.WAREHOUSE: QCoreApplication.translate("Labels", "Warehouse"),
    }[department]


def status_label(status: WorkOrderStatus) -> str:
    """A symbol and a word, so colour is never the only signal."""
    return {
        WorkOrderStatus.RELEASED: QCoreApplication.translate("Labels", "○ Ready"),
        WorkOrderStatus.IN_PROGRESS: QCoreApplication.translate("Labels", "▶ Running"),
        WorkOrderStatus.PAUSED: QCoreApplication.translate("Labels", "❚❚ Paused"),
        WorkOrderStatus.COMPLETED: QCoreApplication.translate("Labels", "✔ Done"),
        WorkOrderStatus.CANCELLED: QCoreApplication.translate("Labels", "✖ Cancelled"),
        WorkOrderStatus.CLOSED: QCoreApplication.translate("Labels", "■ Closed"),
    }[status]


def reject_reason_label(reason: RejectReason) -> str:
    return {
        RejectReason.FABRIC_FLAW: QCoreApplication.translate("Labels", "Fabric flaw"),
        RejectReason.CUTTING_ERROR: QCoreApplication.translate("Labels", "Cutting error"),
        RejectReason.STITCHING_DEFECT: QCoreApplication.translate("Labels", "Stitching defect"),
        RejectReason.STAIN: QCoreApplication.translate("Labels", "Stain / dirt"),
        RejectReason.WRONG_SIZE: QCoreApplication.translate("Labels", "Wrong size"),
        RejectReason.MACHINE_FAULT: QCoreApplication.translate("Labels", "Machine fault"),
        RejectReason.OTHER: QCoreApplication.translate("Labels", "Other"),
    }[reason]


def transfer_status_label(status: TransferStatus) -> str:
    return {
        TransferStatus.PREPARED: QCoreApplication.translate("Labels", "⇢ on its way"),
        TransferStatus.ACCEPTED: QCoreApplication.translate("Labels", "✔ accepted"),
        TransferStatus.HELD: QCoreApplication.translate("Labels", "⚠ held"),
        TransferStatus.REJECTED: QCoreApplication.translate("Labels", "✖ sent back"),
    }[status]


def kanban_status_label(status: KanbanStatus) -> str:
    return {
        KanbanStatus.REQUESTED: QCoreApplication.translate("Labels", "○ Requested"),
        KanbanStatus.APPROVED: QCoreApplication.translate("Labels", "✔ Approved"),
        KanbanStatus.REJECTED: QCoreApplication.translate("Labels", "✖ Rejected"),
        KanbanStatus.IN_TRANSIT: QCoreApplication.translate("Labels", "➜ In transit"),
        KanbanStatus.RECEIVED: QCoreApplication.translate("Labels", "✔ Received"),
    }[status]


def pause_reason_label(reason: PauseReason) -> str:
    return {
        PauseReason.MACHINE_BREAKDOWN: QCoreApplication.translate("Labels", "Machine breakdown"),
        PauseReason.WAITING_MATERIAL: QCoreApplication.translate("Labels", "Waiting for material"),
        PauseReason.WAITING_WORK: QCoreApplication.translate("Labels", "Waiting for work"),
        PauseReason.CHANGEOVER: QCoreApplication.translate("Labels", "Changeover"),
        PauseReason.NO_OPERATOR: QCoreApplication.translate("Labels", "No operator"),
        PauseReason.POWER_CUT: QCoreApplication.translate("Labels", "Power cut"),
        PauseReason.OTHER: QCoreApplication.translate("Labels", "Other"),
    }[reason]


def correction_reason_label(reason: CorrectionReason) -> str:
    return {
        CorrectionReason.TYPING_ERROR: QCoreApplication.translate("Labels", "Typing error"),
        CorrectionReason.WRONG_WORK_ORDER: QCoreApplication.translate("Labels", "Wrong work order"),
        CorrectionReason.COUNTED_TWICE: QCoreApplication.translate("Labels", "Counted twice"),
        CorrectionReason.RECOUNTED: QCoreApplication.translate("Labels", "Recounted"),
        CorrectionReason.OTHER: QCoreApplication.translate("Labels", "Other"),
    }[reason]


def paused_minutes_text(minutes: Mapping[str, int]) -> str:
    """Minutes paused per reason in one line ("Waiting for material 12 min, …"); "" if none."""
    return ", ".join(
        QCoreApplication.translate("Labels", "{reason} {n} min").format(
            reason=pause_reason_label(PauseReason(reason)), n=count
        )
        for reason, count in minutes.items()
    )
