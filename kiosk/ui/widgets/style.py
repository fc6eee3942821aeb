"""Small helpers for the style sheet's dynamic properties."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget


def set_style_property(widget: QWidget, name: str, value: str) -> None:
    """Set a property the style sheet selects on, and re-apply the style."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def big_button(text: str, role: str = "", parent: QWidget | None = None) -> QPushButton:
    """A touch button; `role` is primary, go or caution (see kiosk.qss)."""
    button = QPushButton(text, parent)
    if role:
        button.setProperty("role", role)
    button.setAutoDefault(False)
    return button
