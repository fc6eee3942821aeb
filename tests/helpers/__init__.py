"""Test helpers: the one place for fakes (time only) and the shared site set-up."""
