"""One upsert of the site's rows, shared by the integration API and `server-sync import`.

Both give the same all-or-nothing answer: every row is planned first (its kind's
`plan_*`); with any problem nothing is applied, the refusal is audited and the plan's
problems are returned; a dry run rolls back; otherwise the plan is applied and committed
in one transaction. No HTTP here: the route and the command each word the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from server_sync.central_audit import record
from server_sync.site_data import apply_plan, plan_items, plan_lines
from server_sync.site_people import apply_people, plan_people
from server_sync.site_rows import Plan
from server_sync.site_work_orders import apply_work_orders, plan_work_orders

Planner = Callable[..., Plan]
Applier = Callable[..., int]

# Each kind: its planner and applier, by the name the audit and the answers use.
KINDS: dict[str, tuple[Planner, Applier]] = {
    "lines": (plan_lines, apply_plan),
    "people": (plan_people, apply_people),
    "items": (plan_items, apply_plan),
    "work_orders": (plan_work_orders, apply_work_orders),
}


@dataclass(frozen=True)
class Upserted:
    """What one upsert did: the plan (its problems, or its rows) and whether it was applied."""

    plan: Plan
    dry_run: bool

    @property
    def refused(self) -> bool:
        return bool(self.plan.problems)

    @property
    def applied(self) -> bool:
        return not self.refused and not self.dry_run and self.changed > 0

    @property
    def changed(self) -> int:
        return self.plan.created + self.plan.updated


def refusal_audited(
    session: Session,
    now: datetime,
    actor: str,
    kind: str,
    details: dict[str, Any],
) -> None:
    """The central audit's row of a refused request or import (committed here)."""
    session.rollback()
    record(session, now, actor, f"integration.{kind}.refused", kind, None, details)
    session.commit()


def upsert(
    session: Session,
    kind: str,
    rows: Sequence[Any],
    *,
    actor: str,
    dry_run: bool,
    now: datetime,
    planner: Planner | None = None,
    applier: Applier | None = None,
    audit_details: dict[str, Any] | None = None,
) -> Upserted:
    """Plan `rows`; refuse (audited), roll back a dry run, or apply and commit.

    An IntegrityError (another transaction wrote the same keys) is left to the caller,
    after rolling back: nothing of the rows is kept.
    """
    if planner is None or applier is None:
        planner, applier = KINDS[kind]
    plan = planner(session, rows, lock=not dry_run)
    if plan.problems:
        details = {"rows": len(rows), "problems": len(plan.problems), "dry_run": dry_run}
        refusal_audited(session, now, actor, kind, {**details, **(audit_details or {})})
        return Upserted(plan, dry_run)
    if dry_run:
        session.rollback()
        return Upserted(plan, dry_run)
    try:
        applier(session, plan, now=now, actor=actor)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return Upserted(plan, dry_run)
