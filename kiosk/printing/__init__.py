"""Slips and kanban cards drawn as documents (PDF, image); the printer adapter in
kiosk.devices sends them to paper, the screens preview them."""
