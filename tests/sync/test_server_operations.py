"""The server as a site runs it: several workers counted as one, and API docs that load on a
factory LAN with no way out to the internet."""

from __future__ import annotations

import http.client
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from tests.helpers.central import CentralDatabase, ServerProcess, ThreadServer
from tests.helpers.faults import wait_until

SECRET_TOKEN = "tok-" + "s3cr3t" * 6
REFUSED = "server_sync_error_responses"
REFUSED_LABELS = {"status": "401", "route": "/v1/sync"}


def _refused_syncs(samples: list[tuple[str, dict[str, str], float]]) -> float:
    return sum(
        value
        for name, labels, value in samples
        if name == f"{REFUSED}_total" and labels == REFUSED_LABELS
    )


def _scraped(text: str) -> list[tuple[str, dict[str, str], float]]:
    return [
        (sample.name, sample.labels, sample.value)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    ]


def _per_worker(folder: Path) -> dict[str, float]:
    """Each worker's own count of refused syncs, read from its file (pid in the name)."""
    counts: dict[str, float] = {}
    for path in folder.glob("counter_*.db"):
        families = MultiProcessCollector.merge([str(path)])
        samples = [
            (sample.name, sample.labels, sample.value)
            for family in families
            for sample in family.samples
        ]
        counts[path.stem.removeprefix("counter_")] = _refused_syncs(samples)
    return counts


def _refused_sync(url: str) -> int:
    # A new connection each time: the kernel hands it to whichever worker accepts first.
    answer = requests.post(
        f"{url}/v1/sync",
        json={},
        headers={"Authorization": f"Bearer {SECRET_TOKEN}", "Connection": "close"},
        timeout=10,
    )
    return answer.status_code


def test_metrics_of_a_server_with_two_workers_count_every_request_whichever_worker_answers(
    central: CentralDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "metrics"
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    server = ServerProcess(central.url, workers=2)
    server.start()
    try:
        sent = 0
        with ThreadPoolExecutor(8) as pool:
            # Until both workers have answered some (the second may still be starting).
            while sum(count > 0 for count in _per_worker(folder).values()) < 2 and sent < 800:
                answers = list(pool.map(_refused_sync, [server.url] * 40))
                assert set(answers) == {401}
                sent += 40
        # A refusal is counted just after it is answered: the last few may lag a moment.
        wait_until(lambda: sum(_per_worker(folder).values()) == sent, "every refusal counted", 10)
        per_worker = _per_worker(folder)
        assert sorted(count > 0 for count in per_worker.values()) == [True, True], per_worker

        # Each scrape is answered by one worker or the other: every one gives the sum.
        scrapes = [
            requests.get(f"{server.url}/metrics", headers={"Connection": "close"}, timeout=10)
            for _ in range(8)
        ]
        assert [_refused_syncs(_scraped(scrape.text)) for scrape in scrapes] == [sent] * 8
        assert all(SECRET_TOKEN not in scrape.text for scrape in scrapes)
    finally:
        server.stop()


def test_metrics_never_show_a_token_sent_in_a_header_or_a_path(server: ThreadServer) -> None:
    headers = {"Authorization": f"Bearer {SECRET_TOKEN}"}
    for path in (f"/v1/sync/{SECRET_TOKEN}", f"/v1/{SECRET_TOKEN}", "/v1/sync"):
        requests.post(f"{server.url}{path}", json={}, headers=headers, timeout=10)
    requests.get(f"{server.url}/v1/admin/people?token={SECRET_TOKEN}", headers=headers, timeout=10)
    metrics = f"{server.url}/metrics"
    wait_until(
        lambda: _refused_syncs(_scraped(requests.get(metrics, timeout=10).text)) == 1,
        "the refused sync counted",
        10,
    )
    scraped = requests.get(metrics, timeout=10).text
    assert SECRET_TOKEN not in scraped
    assert "s3cr3t" not in scraped


ASSET_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url:\s*['"]([^'"]+)['"]""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_load_every_script_and_style_from_the_server_itself(
    server: ThreadServer, page: str
) -> None:
    answer = requests.get(f"{server.url}{page}", timeout=10)
    assert answer.status_code == 200
    html = answer.text
    assert not re.search(r"https?:|//[\w.-]+\.\w", html), "the page names another host"
    references = [first or second for first, second in ASSET_REFERENCE.findall(html)]
    scripts = [ref for ref in references if ref.endswith(".js")]
    assert scripts, html
    for reference in references:
        assert reference.startswith("/") and not reference.startswith("//"), reference
        asset = requests.get(f"{server.url}{reference}", timeout=10)
        assert asset.status_code == 200, reference
        assert len(asset.content) > 100, reference
    for script in scripts:
        served = requests.get(f"{server.url}{script}", timeout=10)
        assert "javascript" in served.headers["content-type"], script
        assert len(served.content) > 100_000, script  # the whole bundle, not a stub


def _raw_get(url: str, target: str) -> tuple[int, bytes]:
    """The request line exactly as given: no client normalises `..` away first."""
    where = urlsplit(url)
    connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=10)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        connection.endheaders()
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "target",
    [
        "/static-offline-docs/../core.py",
        "/static-offline-docs/../../fastapi_offline/core.py",
        "/static-offline-docs/%2e%2e/core.py",
        "/static-offline-docs/..%2fcore.py",
        "/static-offline-docs/%2e%2e%2f%2e%2e%2fserver_sync%2fsettings.py",
        "/static-offline-docs//etc/passwd",
        "/static-offline-docs/..\\core.py",
        "/static-offline-docs/",
    ],
)
def test_the_docs_assets_route_serves_only_its_own_files(server: ThreadServer, target: str) -> None:
    status, body = _raw_get(server.url, target)
    assert status in (400, 404), (target, status)
    for leaked in (b"FastAPIOffline", b"import ", b"root:", b"ENV_PREFIX"):
        assert leaked not in body, (target, leaked)
