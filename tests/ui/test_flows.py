"""The shell's flows: each scan kind is claimed by one flow at most in any context."""

from __future__ import annotations

from kiosk.domain.scan import PayloadKind
from kiosk.ui.scan_context import ScanContext
from tests.ui.driver import KioskDriver


def test_no_two_flows_claim_the_same_scan_in_the_same_context(kiosk: KioskDriver) -> None:
    window = kiosk.window
    flows = [
        window.session,
        window.work_orders,
        window.handshake,
        window.kanban,
        window.supervisor,
        window.admin,
        window.settings_flow,
    ]
    for kind in PayloadKind:
        claimed = [flow.scan_claims.get(kind, frozenset()) for flow in flows]
        assert sum(len(contexts) for contexts in claimed) == len(frozenset().union(*claimed))
    # A badge is always someone's: enrolled on the badge screen, the reader's test on the
    # Settings screen, a login everywhere else.
    badge = (
        window.session.scan_claims[PayloadKind.BADGE]
        | window.admin.scan_claims[PayloadKind.BADGE]
        | window.settings_flow.scan_claims[PayloadKind.BADGE]
    )
    assert badge == frozenset(ScanContext)
