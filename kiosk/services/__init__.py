"""Use cases with their permission checks; no Qt, no HTTP, no serial."""
