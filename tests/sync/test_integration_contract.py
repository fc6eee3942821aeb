"""The integration routes fuzzed with a valid key: never a 500, and garbage writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from kiosk.store.models import KanbanItem, Line, User, WorkOrder
from tests.helpers.central import CentralDatabase, ThreadServer
from tests.helpers.integration import feed_high_water, make_key

RUN = settings(
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture
def api(server: ThreadServer) -> Any:
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json")


@pytest.fixture
def integration(api: Any) -> Any:
    """The upserts: the routes that write."""
    return api.include(path_regex="^/v1/integration/", method="POST")


def _site(central: CentralDatabase) -> tuple[int, ...]:
    return (
        central.count(Line),
        central.count(User),
        central.count(KanbanItem),
        central.count(WorkOrder),
        feed_high_water(central),
    )


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_integration_routes_answer_garbage_with_4xx_and_write_nothing(
    integration: Any,
    server: ThreadServer,
    central: CentralDatabase,
    http: requests.Session,
    mode: GenerationMode,
) -> None:
    headers = {"Authorization": f"Bearer {make_key(central)}"}
    before = _site(central)
    statuses: set[int] = set()

    @RUN
    @given(case=integration.as_strategy(mode, headers=headers))
    def run(case: Any) -> None:
        response = case.call(base_url=server.url, session=http)
        statuses.add(response.status_code)
        assert response.status_code < 500, (case.path, case.body, response.text[:300])
        if mode is GenerationMode.NEGATIVE:
            assert 400 <= response.status_code < 500, (case.path, case.body, response.text[:300])

    run()
    assert _site(central) == before
    assert statuses - {200} <= {401, 403, 409, 413, 422}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_results_feed_answers_garbage_without_a_server_error_and_writes_nothing(
    api: Any,
    server: ThreadServer,
    central: CentralDatabase,
    http: requests.Session,
    mode: GenerationMode,
) -> None:
    """Reads: an unknown kind is a 400 and a cursor past the end a 409; a query the document
    does not describe may be ignored (200), but never a 5xx and never a write."""
    headers = {"Authorization": f"Bearer {make_key(central)}"}
    before = _site(central)
    statuses: set[int] = set()

    @RUN
    @given(
        case=api.include(path_regex="^/v1/integration/events$").as_strategy(mode, headers=headers)
    )
    def run(case: Any) -> None:
        response = case.call(base_url=server.url, session=http)
        statuses.add(response.status_code)
        assert response.status_code < 500, (case.path, case.query, response.text[:300])

    run()
    assert _site(central) == before
    assert statuses <= {200, 400, 401, 403, 409, 422}
