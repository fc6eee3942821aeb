"""Reusable touch widgets: keypad, tiles, banner, overlay."""
