"""Words for the domain's codes: roles, statuses, reject, pause and correction reasons."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from kiosk.domain.kanban import KanbanStatus
from kiosk.domain.reasons import CorrectionReason, PauseReason
from kiosk.domain.roles import Department, Role
from kiosk.domain.transfer import TransferStatus
from kiosk.domain.work_order import RejectReason, WorkOrderStatus


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def role_label(role: Role) -> str:
    return {
        Role.OPERATOR: _t("Operator"),
        Role.QC_INSPECTOR: _t("QC inspector"),
        Role.SUPERVISOR: _t("Supervisor"),
        Role.WAREHOUSE_STAFF: _t("Warehouse staff"),
        Role.WAREHOUSE_ADMIN: _t("Warehouse admin"),
        Role.ADMIN: _t("Admin"),
    }[role]


def department_label(department: Department | None) -> str:
    if department is None:
        return ""
    return {
        Department.CUT: _t("Cutting"),
        Department.EMBO: _t("Embroidery"),
        Department.SEW: _t("Sewing"),
        Department.FIN: _t("Finishing"),
        Department.PACK: _t("Packing"),
        Department.WAREHOUSE: _t("Warehouse"),
    }[department]


def status_label(status: WorkOrderStatus) -> str:
    """A symbol and a word, so colour is never the only signal."""
    return {
        WorkOrderStatus.RELEASED: _t("○ Ready"),
        WorkOrderStatus.IN_PROGRESS: _t("▶ Running"),
        WorkOrderStatus.PAUSED: _t("❚❚ Paused"),
        WorkOrderStatus.COMPLETED: _t("✔ Done"),
        WorkOrderStatus.CANCELLED: _t("✖ Cancelled"),
        WorkOrderStatus.CLOSED: _t("■ Closed"),
    }[status]


def reject_reason_label(reason: RejectReason) -> str:
    return {
        RejectReason.FABRIC_FLAW: _t("Fabric flaw"),
        RejectReason.CUTTING_ERROR: _t("Cutting error"),
        RejectReason.STITCHING_DEFECT: _t("Stitching defect"),
        RejectReason.STAIN: _t("Stain / dirt"),
        RejectReason.WRONG_SIZE: _t("Wrong size"),
        RejectReason.MACHINE_FAULT: _t("Machine fault"),
        RejectReason.OTHER: _t("Other"),
    }[reason]


def transfer_status_label(status: TransferStatus) -> str:
    return {
        TransferStatus.PREPARED: _t("⇢ on its way"),
        TransferStatus.ACCEPTED: _t("✔ accepted"),
        TransferStatus.HELD: _t("⚠ held"),
        TransferStatus.REJECTED: _t("✖ sent back"),
    }[status]


def kanban_status_label(status: KanbanStatus) -> str:
    return {
        KanbanStatus.REQUESTED: _t("○ Requested"),
        KanbanStatus.APPROVED: _t("✔ Approved"),
        KanbanStatus.REJECTED: _t("✖ Rejected"),
        KanbanStatus.IN_TRANSIT: _t("➜ In transit"),
        KanbanStatus.RECEIVED: _t("✔ Received"),
    }[status]


def pause_reason_label(reason: PauseReason) -> str:
    return {
        PauseReason.MACHINE_BREAKDOWN: _t("Machine breakdown"),
        PauseReason.WAITING_MATERIAL: _t("Waiting for material"),
        PauseReason.WAITING_WORK: _t("Waiting for work"),
        PauseReason.CHANGEOVER: _t("Changeover"),
        PauseReason.NO_OPERATOR: _t("No operator"),
        PauseReason.POWER_CUT: _t("Power cut"),
        PauseReason.OTHER: _t("Other"),
    }[reason]


def correction_reason_label(reason: CorrectionReason) -> str:
    return {
        CorrectionReason.TYPING_ERROR: _t("Typing error"),
        CorrectionReason.WRONG_WORK_ORDER: _t("Wrong work order"),
        CorrectionReason.COUNTED_TWICE: _t("Counted twice"),
        CorrectionReason.RECOUNTED: _t("Recounted"),
        CorrectionReason.OTHER: _t("Other"),
    }[reason]


def paused_minutes_text(minutes: Mapping[str, int]) -> str:
    """Minutes paused per reason in one line ("Waiting for material 12 min, …"); "" if none."""
    return ", ".join(
        _t("{reason} {n} min").format(reason=pause_reason_label(PauseReason(reason)), n=count)
        for reason, count in minutes.items()
    )
