"""Benchmark: build a synthetic municipality, then time the pages a consultant opens most.

    python -m bench [--scale denhaag] [--seed 1] [--requests 200] [--keep DIR]

(a) ``werkpad demo --no-serve`` in a child process into a fresh SQLite file: wall-clock seconds
    and the child's peak resident memory (from ``wait4`` rusage), database size, row counts.
(b) ``werkpad serve`` on that database in a child process; httpx on loopback logs in as a
    klantmanager and a teamleider and requests the caseload and candidate files N times each.
    A baseline (the login page, no database work) is measured in the same run, so the ratio
    column is comparable between machines even when the absolute milliseconds are not.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import cycle
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil
from rich.console import Console
from rich.table import Table

from bench.stats import LatencySummary, summarise

# Wide enough for the latency table when the output goes to a file or a CI log.
console = Console(width=None if sys.stdout.isatty() else 110)
WARMUP_REQUESTS = 5


@dataclass(frozen=True)
class BuildResult:
    seconds: float
    peak_rss_mb: float
    db_bytes: int
    logins: list[tuple[str, str, str]]
    counts: dict[str, int]


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "werkpad.cli", *args]


def build_demo(scale: str, seed: int, workdir: Path) -> BuildResult:
    """Run ``werkpad demo --no-serve`` in a child process and measure its time and peak RSS."""
    db = workdir / "werkpad.db"
    log = workdir / "build.log"
    started = time.perf_counter()
    with log.open("wb") as out:
        child = subprocess.Popen(
            _cli("demo", "--no-serve", "--scale", scale, "--seed", str(seed), "--db", _url(db)),
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        # wait4 gives the rusage of exactly this child (ru_maxrss in KiB on Linux).
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        console.print(log.read_text()[-4000:])
        raise SystemExit(f"werkpad demo failed with exit code {child.returncode}")
    return BuildResult(
        seconds=seconds,
        peak_rss_mb=usage.ru_maxrss / 1024,
        db_bytes=sum(p.stat().st_size for p in workdir.glob("werkpad.db*")),
        logins=_read_logins(workdir / "werkpad-demo-logins.csv"),
        counts=_row_counts(_url(db)),
    )


def _url(db: Path) -> str:
    return f"sqlite:///{db}"


def _read_logins(path: Path) -> list[tuple[str, str, str]]:
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    return [(u, p, r) for u, p, r in (row.split(",", 2) for row in rows if row)]


def _row_counts(url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from werkpad.store import models
    from werkpad.store.db import make_engine

    engine = make_engine(url)
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for name in ("Candidate", "Route", "Provision", "Placement", "Contact"):
            model = getattr(models, name, None)
            if model is not None:
                counts[name] = int(conn.scalar(select(func.count()).select_from(model)) or 0)
    engine.dispose()
    return counts


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(workdir: Path) -> Iterator[tuple[str, psutil.Process]]:
    """``werkpad serve`` on the benchmark database; yields its base URL and process."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = (workdir / "server.log").open("wb")
    server = subprocess.Popen(
        # One worker, as the demo serves; bench/load.py measures the production worker count.
        _cli("serve", "--db", _url(workdir / "werkpad.db"), "--port", str(port), "--workers", "1"),
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                console.print((workdir / "server.log").read_text()[-4000:])
                raise SystemExit("werkpad serve did not start")
            try:
                if httpx.get(base_url + "/login", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base_url, psutil.Process(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


class _FormFields(HTMLParser):
    """Hidden inputs of the login form (the CSRF token, if the app uses one)."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.links: list[str] = []
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "input" and attr.get("type") == "hidden" and attr.get("name"):
            self.hidden[attr["name"]] = attr.get("value", "")
        if tag == "a" and "candidate-link" in attr.get("class", "").split():
            self.links.append(attr.get("href", ""))
        if tag == "link" and attr.get("href", "").startswith("/static/"):
            self.stylesheets.append(attr["href"])


def _parse(html: str) -> _FormFields:
    parser = _FormFields()
    parser.feed(html)
    return parser


def _resend_secure_cookies(client: httpx.Client) -> Callable[[httpx.Response], None]:
    """The session cookie is marked Secure. Browsers send it to http://127.0.0.1 (loopback counts
    as secure), httpx's cookie jar does not, so copy the jar into a Cookie header ourselves."""

    def hook(_response: httpx.Response) -> None:
        jar = client.cookies.jar
        client.headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in jar)

    return hook


def login(base_url: str, username: str, password: str) -> tuple[httpx.Client, str]:
    """A client logged in through the form; returns it with its start page (the redirect)."""
    # No automatic redirects: httpx drops our Cookie header when it follows one.
    client = httpx.Client(base_url=base_url, follow_redirects=False, timeout=60)
    client.event_hooks["response"] = [_resend_secure_cookies(client)]
    form = _parse(client.get("/login").text).hidden
    response = client.post("/login", data={**form, "username": username, "password": password})
    start_page = urlsplit(response.headers.get("location", "/login")).path
    if response.status_code != 303 or start_page == "/login":
        raise SystemExit(f"login as {username} failed (HTTP {response.status_code})")
    return client, start_page


def credentials(logins: list[tuple[str, str, str]], role: str) -> tuple[str, str]:
    matching = [(u, p) for u, p, r in logins if r.upper() == role]
    if not matching:
        raise SystemExit(f"the demo data has no {role} login")
    named = [(u, p) for u, p in matching if u.lower() == role.lower()]
    return (named or matching)[0]


def time_requests(
    name: str, client: httpx.Client, paths: list[str], requests: int
) -> LatencySummary:
    """GET the paths round-robin ``requests`` times (after a warm-up) and summarise latency."""
    targets = cycle(paths)
    for _ in range(WARMUP_REQUESTS):
        client.get(next(targets))
    seconds: list[float] = []
    failures = 0
    for _ in range(requests):
        path = next(targets)
        started = time.perf_counter()
        response = client.get(path)
        _ = response.content
        seconds.append(time.perf_counter() - started)
        failures += response.status_code != 200
    return summarise(name, seconds, failures)


def measure_pages(
    base_url: str, logins: list[tuple[str, str, str]], requests: int
) -> list[LatencySummary]:
    anonymous = httpx.Client(base_url=base_url, timeout=60)
    login_page = anonymous.get("/login").text
    klantmanager, km_home = login(base_url, *credentials(logins, "KLANTMANAGER"))
    teamleider, _ = login(base_url, *credentials(logins, "TEAMLEIDER"))
    caseload = klantmanager.get(km_home)
    candidates = [href for href in _parse(caseload.text).links if href][:50]
    if not candidates:
        raise SystemExit(f"no a.candidate-link on the klantmanager's start page {km_home}")
    results = [time_requests("baseline /login", anonymous, ["/login"], requests)]
    static = _parse(login_page).stylesheets
    if static:
        results.append(time_requests(f"static {static[0]}", anonymous, static[:1], requests))
    results += [
        time_requests(f"{km_home} (klantmanager)", klantmanager, [km_home], requests),
        time_requests(f"{km_home} (teamleider)", teamleider, [km_home], requests),
        time_requests("candidate file (klantmanager)", klantmanager, candidates, requests),
        time_requests("candidate file (teamleider)", teamleider, candidates, requests),
    ]
    for client in (anonymous, klantmanager, teamleider):
        client.close()
    return results


def _build_table(build: BuildResult, scale: str, seed: int) -> Table:
    table = Table(title=f"(a) synth + load, scale={scale} seed={seed}, SQLite")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("wall-clock seconds", f"{build.seconds:.1f}")
    table.add_row("peak RSS of the child (MiB)", f"{build.peak_rss_mb:.0f}")
    table.add_row("database size (MiB)", f"{build.db_bytes / 2**20:.1f}")
    for name, count in build.counts.items():
        table.add_row(f"rows: {name}", f"{count:,}")
    return table


def _latency_table(results: list[LatencySummary], server_rss_mb: float) -> Table:
    baseline = results[0].p50_ms
    table = Table(title=f"(b) page latency over loopback (server RSS {server_rss_mb:.0f} MiB)")
    table.add_column("page", no_wrap=True)
    for column in ("n", "p50 ms", "p95 ms", "mean ms", "p50/base", "errors"):
        table.add_column(column, justify="right")
    for r in results:
        table.add_row(
            r.name,
            str(r.requests),
            f"{r.p50_ms:.1f}",
            f"{r.p95_ms:.1f}",
            f"{r.mean_ms:.1f}",
            f"{r.p50_ms / baseline:.1f}x",
            str(r.failures),
        )
    return table


def _machine() -> str:
    """Where the figures come from: commit, Python, CPUs and load (other work skews latency)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"werkpad {commit} · Python {sys.version.split()[0]} · {os.cpu_count()} CPUs · "
        f"load average {load}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="denhaag", help="small | denhaag (default denhaag)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--keep", type=Path, help="keep the database in this directory")
    args = parser.parse_args(argv)

    console.print(_machine())
    workdir = Path(tempfile.mkdtemp(prefix="werkpad-bench-"))
    try:
        console.print(f"Building the {args.scale} municipality in {workdir} ...")
        build = build_demo(args.scale, args.seed, workdir)
        console.print(_build_table(build, args.scale, args.seed))
        console.print(f"Timing pages, {args.requests} requests each ...")
        with running_server(workdir) as (base_url, server):
            results = measure_pages(base_url, build.logins, args.requests)
            server_rss_mb = server.memory_info().rss / 2**20
        console.print(_latency_table(results, server_rss_mb))
    finally:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for path in workdir.glob("werkpad*"):
                shutil.move(str(path), args.keep / path.name)
        shutil.rmtree(workdir, ignore_errors=True)
