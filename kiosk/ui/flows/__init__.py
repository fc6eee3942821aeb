"""Multi-screen flows of the kiosk: each owns its screens and runs its service calls."""
