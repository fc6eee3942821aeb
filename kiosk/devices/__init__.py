"""Input devices: pure parsers (no Qt, no I/O) and the thin threads that feed them."""
