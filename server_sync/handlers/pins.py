"""Wrong PINs counted per person across every device: N kiosks do not give N times the guesses.

Each kiosk keeps its own count and lock (it works offline), and reports every wrong PIN as
a `pin.refused` event. Here they add up on the person's central row: wrong PINs that follow
each other within the lockout window, from any device, count together; when the site-wide
count reaches the limit the person is locked centrally, and the lock reaches every kiosk
through the feed (the user row is published with the batch). A device reports only for
people who may log in on it, on its own line; an unlock starts the count afresh.

The count is the one rule of `kiosk.services.effects.people.count_wrong_pin`, shared with
the identity requests (server_sync.identity): dated by `last_wrong_pin_at`, so a guess
counts the same whichever way it reached the server. Someone who logs in by badge is
counted but never locked (`wrong_pins_lock`): their tile is anyone's to type on.
"""

from __future__ import annotations

from kiosk.domain.events import EventKind, PinRefused
from kiosk.domain.ids import new_id
from kiosk.services.alerts import P2, AlertKind
from kiosk.services.effects.people import count_wrong_pin, pins_may_lock
from kiosk.store.models import Alert, User
from kiosk.store.replica import USER_LINE_IDS
from server_sync.handlers.context import EventContext, handles, rejected
from server_sync.scope import may_log_in_on


@handles(EventKind.PIN_REFUSED)
def pin_refused(ctx: EventContext, event: PinRefused) -> None:
    user = ctx.session.get(User, event.user_id)
    if user is None:
        raise rejected("unknown_user", user_id=str(event.user_id))
    line = ctx.line(event.line)
    ctx.check_device_serves(line)
    person = {
        "role": user.role.value,
        "department": None if user.department is None else user.department.value,
        USER_LINE_IDS: [str(link.line_id) for link in user.lines],
    }
    if not may_log_in_on(ctx.device, person, line.id):
        raise rejected("not_on_this_device", user_id=str(user.id))
    # The site's lockout (the server's floor rules, as the identity requests use them).
    policy = ctx.rules.lockout
    if policy.is_locked(user.locked_until, ctx.now) and pins_may_lock(user):
        return  # already locked everywhere: the kiosk had not heard yet
    # The server's receive time dates the count, never a device's clock.
    state = count_wrong_pin(user, ctx.now, policy)
    if not state.just_locked:
        return
    assert state.locked_until is not None
    ctx.session.add(
        Alert(
            id=new_id(),
            priority=P2,
            kind=AlertKind.PIN_LOCKOUT.value,
            department=user.department or line.department,
            line_id=line.id,
            subject_user_id=user.id,
            fields={
                "employee_no": user.employee_no,
                "name": user.name,
                "line": line.code,
                "until": state.locked_until.isoformat(),
                "site_wide": True,
            },
            raised_at=ctx.now,
            acknowledged_by=None,
            acknowledged_at=None,
        )
    )
