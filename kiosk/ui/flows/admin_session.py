"""Opening an admin list: the role checked first, then the admin session the lists share.

The server's admin session (its ticket) is opened once with the admin's PIN and kept by
`AdminService`; a list opened while it lives asks no PIN again. The prompt is the
caller's own words (translated in its own context).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.domain.roles import Action
from kiosk.services.actor import Actor
from kiosk.services.admin import AdminSession
from kiosk.services.authz import authorize
from kiosk.ui.flows.confirm_pin import PinConfirmation
from kiosk.ui.host import Host


def open_admin_session(
    host: Host,
    confirm: PinConfirmation,
    action: Action,
    prompt: Callable[[Actor], str],
    opened: Callable[[AdminSession], None],
) -> None:
    """`opened` with the live session, after the PIN if none lives; a refusal is shown."""
    actor = host.require_actor()
    admin = host.services.admin

    def allowed(_result: Any) -> None:
        live = admin.live_session(actor, host.services.clock.now())
        if live is not None:  # opened on another admin screen: no second PIN
            opened(live)
            return
        confirm.ask(prompt(actor), lambda pin: admin.open_session(actor, pin), opened)

    host.call(lambda: authorize(actor, action), allowed)


def live_admin_session(host: Host) -> tuple[Actor, AdminSession] | None:
    """The admin logged in and their live session; None once its ticket ran out."""
    actor = host.require_actor()
    session = host.services.admin.live_session(actor, host.services.clock.now())
    return None if session is None else (actor, session)
