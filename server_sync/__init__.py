"""server_sync: the central service kiosks push their events to and pull reference data from."""
