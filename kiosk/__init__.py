"""Line kiosk: the touchscreen program at every production line."""

__version__ = "0.1.0"
