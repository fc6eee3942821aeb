"""What the Settings screen may ask of the running devices (built by kiosk.input_devices).

The UI layer sits below the composition of the devices, so it sees them through this
protocol only.
"""

from __future__ import annotations

from typing import Protocol

from kiosk.settings import Settings


class DeviceControl(Protocol):
    def apply(self, settings: Settings, name: str) -> bool:
        """Restart the device `name` concerns with `settings`; False: only at the next start."""
        ...
