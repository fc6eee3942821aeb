"""Sync with server_sync: the outbox pushed, the change feed pulled, on a worker thread."""
