"""What each event does to the replicated rows, written once for the kiosk and the server.

A kiosk service calls the applier after its own checks, before it emits the event; the
server's handler calls the same applier after the server's checks. Neither side writes
an event's effect any other way.
"""
