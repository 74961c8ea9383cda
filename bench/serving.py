"""The production server as an operator starts it, for the load benchmark and the load tests.

``werkpad serve --workers N`` runs in a child process on a free loopback port, over a demo
municipality built in-process (the same ``run_synth`` plus demo clock as ``werkpad demo``), on
SQLite or on a fresh PostgreSQL database. Nothing here imports locust: it monkey-patches the
interpreter with gevent, so it only ever runs in its own process (``run_locust``).
"""

from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parents[1]
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
PG_ADMIN_URL = os.environ.get(
    "WERKPAD_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
LOOPBACK = "127.0.0.1"
SERVER_START_TIMEOUT_S = 300.0  # workers import pandas and more: slow on a busy machine
Login = tuple[str, str, str]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def build_municipality(url: str, scale: str = "small", seed: int = 7) -> list[Login]:
    """What ``werkpad synth --scale S --seed N`` builds, demo clock included, into an empty
    database; returns the demo logins (username, password, role)."""
    from rich.console import Console

    from werkpad.services.clock import freeze_today
    from werkpad.store.db import make_engine, session_factory, transaction, upgrade
    from werkpad.synth import REFERENCE_DATE, run_synth

    engine = make_engine(url)
    try:
        upgrade(engine)
        summary = run_synth(
            engine, scale=scale, seed=seed, replace=False, console=Console(quiet=True)
        )
        with transaction(session_factory(engine)) as session:
            freeze_today(session, REFERENCE_DATE)
    finally:
        engine.dispose()
    return [(str(u), str(p), str(r)) for u, p, r in summary.logins]


def write_logins(path: Path, logins: list[Login]) -> None:
    """The demo logins for the load generator, readable by the owner only."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["username", "password", "role"])
        writer.writerows(logins)
    path.chmod(0o600)


def read_logins(path: Path) -> list[Login]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    return [(u, p, r) for u, p, r in rows]


def _pg_url(dbname: str) -> str:
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    return f"{base}/{dbname}"


def create_postgres_database(name: str | None = None) -> str:
    """A new, empty database on the local PostgreSQL server; returns its URL."""
    import sqlalchemy as sa

    from werkpad.store.db import make_engine

    name = name or f"werkpad_load_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return _pg_url(name)


def drop_postgres_database(url: str) -> None:
    import sqlalchemy as sa

    from werkpad.store.db import make_engine

    name = url.rpartition("/")[2]
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for the block, dropped afterwards."""
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


def _child_env() -> dict[str, str]:
    """The environment of child processes: this interpreter's werkpad and bench first."""
    env = dict(os.environ)
    paths = [str(REPO / "src"), str(REPO)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.pop("WERKPAD_DATABASE_URL", None)
    return env


@dataclass
class ProductionServer:
    """``werkpad serve --workers N --log-format json`` in a child process on loopback."""

    database_url: str
    workdir: Path
    workers: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"server-{self.port}.log"

    def start(self) -> ProductionServer:
        command = [
            sys.executable,
            "-m",
            "werkpad.cli",
            "serve",
            "--db",
            self.database_url,
            "--host",
            LOOPBACK,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--log-format",
            "json",
        ]
        with self.log_path.open("ab") as log:
            # cwd=workdir: the generated secret key stays beside the benchmark's database.
            self.process = subprocess.Popen(
                command, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT, env=_child_env()
            )
        self._wait_until_healthy()
        return self

    def _wait_until_healthy(self) -> None:
        """Until every worker could have answered: /healthz 200 a few times in a row."""
        assert self.process is not None
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        healthy = 0
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"werkpad serve exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                ok = httpx.get(self.base_url + "/healthz", timeout=5.0).status_code == 200
            except httpx.TransportError:
                ok = False
            healthy = healthy + 1 if ok else 0
            if healthy >= 2 and len(self.workers_alive()) >= self.workers:
                return
            time.sleep(0.25)
        self.kill()
        raise RuntimeError(f"werkpad serve was not healthy in time:\n{self.log_tail()}")

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]

    def processes(self) -> list[psutil.Process]:
        """The supervisor and every process under it (the workers)."""
        if self.process is None or self.process.poll() is not None:
            return []
        try:
            root = psutil.Process(self.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def workers_alive(self) -> list[psutil.Process]:
        return self.processes()[1:]

    def rss_bytes(self) -> int:
        """Resident memory summed over the supervisor and its workers."""
        total = 0
        for process in self.processes():
            with suppress(psutil.NoSuchProcess):
                total += process.memory_info().rss
        return total

    def kill(self) -> None:
        """SIGKILL to the supervisor first (so it cannot restart workers), then every worker:
        what a crash or the OOM killer does. Returns when all are gone."""
        victims = self.processes()
        for process in victims:
            with suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGKILL)
        psutil.wait_procs(victims, timeout=10)
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM: uvicorn finishes running requests and stops its workers."""
        if self.process is None or self.process.poll() is not None:
            return
        victims = self.processes()
        self.process.terminate()
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=30)
        _gone, alive = psutil.wait_procs(victims, timeout=5)
        for process in alive:
            with suppress(psutil.NoSuchProcess):
                process.kill()


@contextmanager
def production_server(
    database_url: str, workdir: Path, workers: int = 2
) -> Iterator[ProductionServer]:
    server = ProductionServer(database_url, workdir, workers).start()
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class LocustRun:
    """What a finished headless locust run left: its exit code and its CSV statistics."""

    returncode: int
    csv_prefix: Path
    cpu_seconds: float
    wall_seconds: float
    log: str

    @property
    def stats_csv(self) -> Path:
        return Path(f"{self.csv_prefix}_stats.csv")

    @property
    def failures_csv(self) -> Path:
        return Path(f"{self.csv_prefix}_failures.csv")

    def rows(self) -> list[dict[str, str]]:
        with self.stats_csv.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def failures(self) -> list[dict[str, str]]:
        if not self.failures_csv.exists():
            return []
        with self.failures_csv.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def total(self) -> dict[str, str]:
        return next(row for row in self.rows() if row["Name"] == "Aggregated")


def run_locust(
    base_url: str,
    logins_file: Path,
    workdir: Path,
    *,
    users: int,
    seconds: int,
    spawn_rate: float | None = None,
    on_tick: Callable[[], None] | None = None,
) -> LocustRun:
    """Locust headless in its own process against ``base_url`` (loopback only) for
    ``seconds``; ``on_tick()`` is called about once a second while it runs (to sample the
    server). The run stops by itself: locust's ``--run-time``, then a hard deadline."""
    if not base_url.startswith(f"http://{LOOPBACK}:"):
        raise ValueError("the load test only runs against loopback")
    prefix = workdir / f"locust-{users}u"
    log = workdir / f"locust-{users}u.log"
    rate = spawn_rate or max(1.0, users / 5)
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        base_url,
        "--users",
        str(users),
        "--spawn-rate",
        str(rate),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    env = _child_env()
    env["WERKPAD_BENCH_LOGINS"] = str(logins_file)
    started = time.monotonic()
    deadline = started + seconds + 60
    with log.open("wb") as out:
        child = subprocess.Popen(
            command, cwd=workdir, stdout=out, stderr=subprocess.STDOUT, env=env
        )
        while True:
            # wait4 gives exactly this child's CPU time once it has exited.
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                child.returncode = os.waitstatus_to_exitcode(status)
                break
            if on_tick is not None:
                on_tick()
            if time.monotonic() > deadline:
                child.kill()
            time.sleep(1.0)
    return LocustRun(
        returncode=child.returncode,
        csv_prefix=prefix,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        wall_seconds=time.monotonic() - started,
        log=log.read_text(encoding="utf-8", errors="replace"),
    )
