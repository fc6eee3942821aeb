"""`python -m server_sync` runs the `server-sync` command."""

from server_sync.cli import main

raise SystemExit(main())
