"""The ERP's side of the integration API in tests: a key, and rows posted with it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import requests
from sqlalchemy import select

from server_sync import api_keys
from server_sync.models import FeedState
from tests.helpers.central import CentralDatabase


def make_key(central: CentralDatabase, name: str = "erp") -> str:
    """A new integration key, as `server-sync api-key create` makes it."""
    with central.session() as session:
        key = api_keys.create(session, name, datetime.now(UTC))
        session.commit()
    return key


class Erp:
    """Posts rows to the integration API with one key."""

    def __init__(self, server_url: str, key: str) -> None:
        self.url = f"{server_url.rstrip('/')}/v1/integration"
        self.headers = {"Authorization": f"Bearer {key}"}

    def post(self, kind: str, rows: list[Any], *, dry_run: bool = False) -> requests.Response:
        params = {"dry_run": "1"} if dry_run else {}
        return requests.post(
            f"{self.url}/{kind}",
            json={"rows": rows},
            headers=self.headers,
            params=params,
            timeout=30,
        )

    def send(self, kind: str, rows: list[Any]) -> dict[str, Any]:
        """Rows that must be accepted: the answer's counts."""
        answer = self.post(kind, rows)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found


def feed_high_water(central: CentralDatabase) -> int:
    with central.session() as session:
        return int(session.scalar(select(FeedState.high_water).where(FeedState.id == 1)) or 0)
