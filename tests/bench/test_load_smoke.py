"""The load test in short: 10 colleagues for 20 s against ``werkpad serve --workers 2``, on
SQLite and on PostgreSQL. It asserts that no request failed, never how fast they were (the
timings belong to ``python -m bench.load``, docs/benchmarks.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bench.serving import (
    build_municipality,
    postgres_database,
    production_server,
    run_locust,
    write_logins,
)

pytestmark = pytest.mark.slow
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def demo_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database for a demo municipality, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'werkpad.db'}"
        return
    with postgres_database() as url:
        yield url


def test_ten_colleagues_for_twenty_seconds_get_no_failed_request(
    demo_url: str, tmp_path: Path
) -> None:
    logins = tmp_path / "logins.csv"
    write_logins(logins, build_municipality(demo_url))
    with production_server(demo_url, tmp_path, workers=2) as server:
        run = run_locust(server.base_url, logins, tmp_path, users=10, seconds=20)
        server_log = server.log_tail()
    assert run.returncode == 0, run.log[-3000:]
    failures = [
        f"{f['Method']} {f['Name']}: {f['Error']} x{f['Occurrences']}" for f in run.failures()
    ]
    assert failures == [], "\n".join(failures) + "\n" + server_log
    requests = {row["Name"]: int(row["Request Count"]) for row in run.rows()}
    # The mix really ran, writes included (a run that logged nobody in would have no failures
    # of its pages either).
    assert requests["candidate file"] > 0
    assert requests["contact (write)"] > 0 and requests["intake (write)"] > 0
