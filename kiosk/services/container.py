"""Builds the services of one kiosk from the database, the clock and the policies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import argon2

from kiosk.domain.clock import Clock
from kiosk.domain.idle import IdlePolicy
from kiosk.domain.lockout import LockoutPolicy
from kiosk.domain.pin_throttle import PinThrottle
from kiosk.domain.slip import DEFAULT_MAX_AGE
from kiosk.domain.transfer import CountPolicy
from kiosk.domain.work_order import QuantityPolicy
from kiosk.services.admin import AdminServer, AdminService
from kiosk.services.alerts import AlertService
from kiosk.services.auth import AuthService
from kiosk.services.badge_hasher import BadgeHasher, BadgeKeys
from kiosk.services.badges import BadgeService
from kiosk.services.boards import BoardService, SettingRow
from kiosk.services.corrections import CorrectionService
from kiosk.services.drafts import DraftService
from kiosk.services.first_pin import FirstPinService
from kiosk.services.identity import IdentityServer, IdentityService
from kiosk.services.kanban import KanbanPolicy, KanbanService
from kiosk.services.kiosk_settings import KioskSettingsService
from kiosk.services.lines import LineService
from kiosk.services.pin_hasher import PinHasher
from kiosk.services.scans import ScanService
from kiosk.services.site import SiteZone, line_by_code, site_code
from kiosk.services.slip_keys import SiteKeys
from kiosk.services.sync_control import SyncControlService
from kiosk.services.transfers import TransferService
from kiosk.services.views import LineView
from kiosk.services.work_orders import WorkOrderService
from kiosk.settings import Settings
from kiosk.store.database import Database
from kiosk.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Policies:
    """The rule parameters an admin can tune in the settings."""

    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    pin_throttle: PinThrottle = field(default_factory=PinThrottle)
    quantities: QuantityPolicy = field(default_factory=QuantityPolicy)
    idle: IdlePolicy = field(default_factory=IdlePolicy)
    counts: CountPolicy = field(default_factory=CountPolicy)
    occupancy_stale_after: timedelta = timedelta(minutes=30)
    kanban: KanbanPolicy = field(default_factory=KanbanPolicy)
    slip_max_age: timedelta = DEFAULT_MAX_AGE


@dataclass(frozen=True)
class KioskServices:
    line: LineView
    policies: Policies
    uow: UnitOfWork
    auth: AuthService
    work_orders: WorkOrderService
    drafts: DraftService
    alerts: AlertService
    boards: BoardService
    badges: BadgeService
    identity: IdentityService
    admin: AdminService
    first_pin: FirstPinService
    scans: ScanService
    transfers: TransferService
    lines: LineService
    kanban: KanbanService
    sync: SyncControlService
    site_zone: SiteZone  # the zone screens and paper show times in
    corrections: CorrectionService
    kiosk_settings: KioskSettingsService

    @property
    def clock(self) -> Clock:
        return self.uow.clock


def build_services(
    database: Database,
    clock: Clock,
    line_code: str,
    policies: Policies | None = None,
    *,
    badge_key: bytes | BadgeKeys,
    site_keys: SiteKeys | None = None,
    settings_rows: Callable[[], list[SettingRow]] = list,
    pin_hasher: PinHasher | None = None,
    sync_trigger: Callable[[], None] | None = None,
    desktop: bool = False,
    stale_badge: Callable[[str], None] | None = None,
    identity_server: IdentityServer | None = None,
    admin_server: AdminServer | None = None,
    time_zone_fallback: str = "",
    settings: Settings | None = None,
) -> KioskServices:
    """`time_zone_fallback` is this kiosk's own zone setting, used while the site names none."""
    policies = policies or Policies()
    uow = UnitOfWork(database, clock)
    line = line_by_code(database, line_code)
    site_zone = SiteZone(database, time_zone_fallback)
    badge_hasher = BadgeHasher(badge_key)
    auth = AuthService(
        uow,
        pin_hasher or PinHasher(argon2.PasswordHasher()),
        policies.lockout,
        line,
        badge_hasher,
        desktop=desktop,
        stale_badge=stale_badge,
        throttle=policies.pin_throttle,
    )
    alerts = AlertService(uow)
    keys = site_keys if site_keys is not None else SiteKeys(site_code(database))
    transfers = TransferService(
        uow,
        line,
        keys,
        policies.counts,
        policies.occupancy_stale_after,
        slip_max_age=policies.slip_max_age,
        site_zone=site_zone,
    )
    lines = LineService(uow, line, policies.occupancy_stale_after)
    kanban = KanbanService(uow, line, policies.kanban, site_zone=site_zone)
    work_orders = WorkOrderService(uow, line, policies.quantities)
    return KioskServices(
        line=line,
        policies=policies,
        uow=uow,
        auth=auth,
        work_orders=work_orders,
        drafts=DraftService(uow),
        alerts=alerts,
        boards=BoardService(
            uow,
            auth,
            alerts,
            settings_rows,
            transfers=transfers,
            lines=lines,
            kanban=kanban,
            work_orders=work_orders,
        ),
        badges=BadgeService(uow, badge_hasher),
        identity=IdentityService(uow, identity_server),
        admin=AdminService(uow, admin_server),
        first_pin=FirstPinService(uow, identity_server, line),
        scans=ScanService(uow, line.code),
        transfers=transfers,
        lines=lines,
        kanban=kanban,
        sync=SyncControlService(uow, sync_trigger),
        site_zone=site_zone,
        corrections=CorrectionService(uow, line, policies.quantities),
        kiosk_settings=KioskSettingsService(uow, settings or Settings()),
    )
