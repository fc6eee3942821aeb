"""What every flow shares: its host, and no scans, contexts or session hooks until it says so."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from kiosk.domain.scan import PayloadKind, ScanPayload
from kiosk.services.actor import Actor
from kiosk.ui.host import Host
from kiosk.ui.scan_context import ScanContext

# The payload kinds a flow takes, each in the contexts where it takes them.
ScanClaims = Mapping[PayloadKind, frozenset[ScanContext]]


class BaseFlow(QObject):
    """A flow is a QObject so that its texts are translated in its own context."""

    scan_claims: ClassVar[ScanClaims] = {}

    def __init__(self, host: Host, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host

    def context_for(self, widget: QWidget) -> ScanContext | None:
        """The scan context of one of this flow's screens, or None if it is not one of them."""
        return None

    def handle_scan(self, payload: ScanPayload, context: ScanContext) -> None:
        """A scan of a kind this flow claims, in a context it claims (see `scan_claims`)."""
        raise NotImplementedError(f"{type(self).__name__} claims no scans")

    def session_began(self, actor: Actor) -> None:
        """Someone logged in: show only what that role may do."""
        return None

    def session_ended(self) -> None:
        """The session ended: forget anything of it that is still on the flow's screens."""
        return None
