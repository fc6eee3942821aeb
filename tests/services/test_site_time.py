"""Times on paper and screens in the site's zone (the demo: Asia/Jakarta, WIB, UTC+7)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.domain.errors import ErrorCode
from kiosk.domain.site_time import SITE_TIME_ZONE_KEY, UnknownTimeZoneError, zone_named
from kiosk.domain.work_order import WorkOrderStatus
from kiosk.services.container import build_services
from kiosk.services.site import SiteZone
from kiosk.store.models import AuditEntry, OutboxEvent, SiteSetting
from kiosk.ui.formatting import TimeFormatter
from tests.helpers.refusals import refusal_of
from tests.helpers.site import Site
from tests.services.test_kanban import THREAD, ensure_kanban_site

# The fake clock's start, 06:00 UTC, is 13:00 in Jakarta.
JAKARTA_STAMP = "2026-11-21 13:00 WIB"


def _rows(document: object) -> dict[str, str]:
    return dict(document.rows)  # type: ignore[attr-defined]


def test_the_demo_slip_says_when_it_was_prepared_in_jakarta_time(site: Site) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    prepared = services.transfers.prepare(
        rina, site.work_order("WO-2026-004217").id, "10", "SEW-L03"
    )
    assert _rows(prepared.document)["Prepared"] == f"E1001 {JAKARTA_STAMP}"
    reprint = services.transfers.slip_document(rina, prepared.transfer.id, reprint=True)
    assert _rows(reprint)["Prepared"] == f"E1001 {JAKARTA_STAMP}"
    assert "UTC" not in " ".join(value for _label, value in reprint.rows)


def test_the_demo_kanban_card_says_when_it_was_requested_in_jakarta_time(site: Site) -> None:
    ensure_kanban_site(site)
    services = site.services("SEW-L03")
    dewi = site.login(services, "E2001")
    card = services.kanban.request(dewi, THREAD, "10")
    document = services.kanban.card_document(dewi, card.id)
    assert _rows(document)["Requested"].endswith(JAKARTA_STAMP)


def test_the_site_setting_wins_over_the_kiosk_setting_which_is_kept_for_a_site_without_one(
    site: Site,
) -> None:
    zone = SiteZone(site.database, "Europe/Berlin")
    assert str(zone.zone) == "Asia/Jakarta"
    with site.database.writer() as session:
        row = session.get(SiteSetting, SITE_TIME_ZONE_KEY)
        assert row is not None
        session.delete(row)
        session.commit()
    assert str(zone.zone) == "Asia/Jakarta"  # read again only when asked (after a sync round)
    assert str(zone.reload()) == "Europe/Berlin"
    with site.database.writer() as session:
        session.add(SiteSetting(key=SITE_TIME_ZONE_KEY, value="Mars/Olympus_Mons"))
        session.commit()
    assert str(zone.reload()) == "Europe/Berlin"  # an unknown name from the server: logged


def test_a_mistyped_kiosk_zone_is_named_at_start(site: Site) -> None:
    with pytest.raises(UnknownTimeZoneError, match="Asia/Jakata"):
        build_services(
            site.database,
            site.clock,
            "CUT-L02",
            badge_key=site.badge_key,
            time_zone_fallback="Asia/Jakata",
        )


def test_the_screens_formatter_shows_the_same_instant_in_the_site_zone() -> None:
    moment = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    times = TimeFormatter(zone=zone_named("Asia/Jakarta"))
    assert (times.time(moment), times.date_time(moment)) == ("06:30", "22 Nov 06:30")
    assert times.stamp(moment) == "2026-11-22 06:30 WIB"
    times.set_zone(zone_named("UTC"))
    assert times.time(moment) == "23:30"


# ---------------------------------------------------------------------- a second work order
def test_starting_a_second_work_order_on_a_line_names_the_running_one_and_changes_nothing(
    site: Site,
) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    ready = site.work_order("WO-2026-004219")
    events, audits = site.count(OutboxEvent), site.count(AuditEntry)
    refused = refusal_of(lambda: services.work_orders.start(rina, ready.id))
    assert refused.code is ErrorCode.WORK_ORDER_LINE_RUNNING
    assert refused.fields["running_numbers"] == ["WO-2026-004217"]
    assert site.work_order("WO-2026-004219").status is WorkOrderStatus.RELEASED
    assert site.count(OutboxEvent) == events
    assert site.count(AuditEntry) == audits + 1  # the question is on record
    started = services.work_orders.start(rina, ready.id, alongside=["WO-2026-004217"])
    assert started.status is WorkOrderStatus.IN_PROGRESS
    assert services.work_orders.line_status().running == ["WO-2026-004217", "WO-2026-004219"]


def test_resuming_while_another_runs_asks_too_and_a_free_line_starts_without_a_question(
    site: Site,
) -> None:
    services = site.services()
    rina = site.login(services, "E1001")
    running = site.work_order("WO-2026-004217")
    services.work_orders.pause(rina, running.id, reason="CHANGEOVER")
    ready = site.work_order("WO-2026-004219")
    assert services.work_orders.start(rina, ready.id).status is WorkOrderStatus.IN_PROGRESS
    refused = refusal_of(lambda: services.work_orders.resume(rina, running.id))
    assert refused.code is ErrorCode.WORK_ORDER_LINE_RUNNING
    assert refused.fields["running"] == "WO-2026-004219"
