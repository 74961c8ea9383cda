"""The ``werkpad`` command line: demo, serve, synth and database management."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine

from werkpad.cli.audit import audit_app
from werkpad.cli.backup import backup_app, restore_app
from werkpad.cli.effects import evaluate_app
from werkpad.cli.exporting import export_app
from werkpad.cli.importing import import_app
from werkpad.cli.matching import match_app
from werkpad.cli.municipalities import municipality_app
from werkpad.cli.outbox import outbox_app
from werkpad.cli.privacy import privacy_app, retention_command
from werkpad.cli.reports import kpi_app, report_app
from werkpad.cli.users import user_app
from werkpad.config import database_url
from werkpad.store.db import make_engine, upgrade

app = typer.Typer(help="Werkpad: re-integratie in beeld.", no_args_is_help=True)
db_app = typer.Typer(help="Database management.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _mount_subcommands() -> None:
    """Each command group is a module of this package; the top-level app only mounts them."""
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")
    app.add_typer(evaluate_app, name="evaluate")
    app.add_typer(kpi_app, name="kpi")
    app.add_typer(report_app, name="report")
    app.add_typer(match_app, name="match")
    app.add_typer(backup_app, name="backup")
    app.add_typer(restore_app, name="restore")
    app.add_typer(audit_app, name="audit")
    app.add_typer(outbox_app, name="outbox")
    app.add_typer(municipality_app, name="gemeente")
    app.add_typer(user_app, name="user")
    app.add_typer(privacy_app, name="privacy")
    app.command("retention")(retention_command)


_mount_subcommands()
console = Console()

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: $WERKPAD_DATABASE_URL or ./werkpad.db)"),
]


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the schema to the newest version and load the code lists."""
    url = database_url(db)
    upgrade(make_engine(url))
    console.print(f"[green]Database bijgewerkt[/green]: {_safe(url)}")


@app.command()
def synth(
    scale: Annotated[
        str, typer.Option(help="small | denhaag | national | hln (regionale dienst, 3 gemeenten)")
    ] = "small",
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data")] = 1,
    db: DbOption = None,
    replace: Annotated[bool, typer.Option(help="Empty the database first")] = False,
) -> None:
    """Generate a synthetic municipality into the database (reproducible per seed)."""
    from werkpad.synth import run_synth

    url = database_url(db)
    engine = make_engine(url)
    upgrade(engine)
    summary = run_synth(engine, scale=scale, seed=seed, replace=replace, console=console)
    _freeze_demo_clock(engine, scale)
    console.print(summary)


MAX_DEFAULT_WORKERS = 8
WORKER_HEALTHCHECK_TIMEOUT_S = 60


def default_workers() -> int:
    """Two worker processes per CPU core, at most eight: a request waiting on the database
    leaves its core to another worker, and more than eight mostly adds memory."""
    return max(1, min(2 * (os.cpu_count() or 1), MAX_DEFAULT_WORKERS))


class LogFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (behind a proxy: loopback)")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes (default: 2 per CPU core, at most 8)"),
    ] = None,
    log_format: Annotated[
        LogFormat,
        typer.Option(help="text, or json: JSON lines for a log collector (no personal data)"),
    ] = LogFormat.text,
) -> None:
    """Serve the web UI and the JSON API with several worker processes (docs/deployment.md)."""
    import uvicorn

    from werkpad.store.sealed_secret import totp_key_text
    from werkpad.web.request_log import log_config
    from werkpad.web.security import resolve_secret_key

    url = database_url(db)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    # Made once here: workers that each found no key file would race to create it.
    resolve_secret_key(None)
    totp_key_text()  # likewise the TOTP key that encrypts the second-factor secrets
    # Every worker process builds its app from the environment (uvicorn's app factory).
    os.environ["WERKPAD_DATABASE_URL"] = url
    count = workers or default_workers()
    console.print(f"werkpad serve: {count} worker(s) on http://{host}:{port}, {_safe(url)}")
    uvicorn.run(
        "werkpad.web.app:create_app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=count,
        # The client address comes from the socket; behind the reverse proxy the app itself
        # trusts X-Forwarded-For only from $WERKPAD_TRUSTED_PROXIES (docs/deployment.md).
        proxy_headers=False,
        server_header=False,
        access_log=False,
        log_config=log_config(log_format.value),
        timeout_graceful_shutdown=20,
        # uvicorn kills a worker that does not answer its ping within this many seconds
        # (default 5); a worker loading the figures on a busy machine can miss 5 s, and a
        # killed worker drops every request it was serving (issue 14).
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_TIMEOUT_S,
    )


@app.command()
def demo(
    db: DbOption = None,
    scale: Annotated[str, typer.Option(help="small | denhaag | hln")] = "small",
    seed: Annotated[int, typer.Option()] = 1,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only build the demo data")] = False,
) -> None:
    """Build a demo municipality (if the database is empty) and serve it in the browser."""
    from werkpad.synth import database_is_empty, run_synth

    url = database_url(db)
    engine = make_engine(url)
    upgrade(engine)
    if database_is_empty(engine):
        summary = run_synth(engine, scale=scale, seed=seed, replace=False, console=console)
        _freeze_demo_clock(engine, scale)
        console.print(summary)
        secrets_by_user = _enrol_demo_second_factors(engine, [u for u, _, _ in summary.logins])
        _save_demo_logins(summary.logins, secrets_by_user)
        _print_demo_qr_codes(secrets_by_user)
    else:
        console.print("Bestaande demodata gevonden; niet opnieuw gegenereerd.")
    _print_demo_logins(_load_demo_logins())
    if no_serve:
        return
    import uvicorn

    from werkpad.web.app import SERVER_OPTIONS, create_app

    console.print(f"Open [bold]http://{host}:{port}[/bold] in de browser.")
    uvicorn.run(create_app(url), host=host, port=port, log_level="warning", **SERVER_OPTIONS)


def _freeze_demo_clock(engine: Engine, scale: str = "small") -> None:
    """Synthetic history ends at the synth reference date; the app treats that day as today."""
    from werkpad.services.clock import freeze_today
    from werkpad.store.db import session_factory, transaction
    from werkpad.synth import reference_date_for

    with transaction(session_factory(engine)) as session:
        freeze_today(session, reference_date_for(scale))


DEMO_LOGINS_FILE = Path("werkpad-demo-logins.csv")


def _enrol_demo_second_factors(engine: Engine, usernames: list[str]) -> dict[str, str]:
    """The demo beheerder and analist sign in with a second factor, like real ones."""
    from werkpad.services.second_factor import enrol_demo_second_factors
    from werkpad.store.db import session_factory, transaction

    with transaction(session_factory(engine)) as session:
        return enrol_demo_second_factors(session, usernames)


def _save_demo_logins(logins: list[tuple[str, str, str]], totp: dict[str, str]) -> None:
    """Keep the generated demo passwords and TOTP secrets beside the database, readable by the
    owner only."""
    lines = ["username,password,role,totp_secret"]
    lines += [f"{u},{p},{r},{totp.get(u, '')}" for u, p, r in logins]
    fd = os.open(DEMO_LOGINS_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    DEMO_LOGINS_FILE.chmod(0o600)


def _load_demo_logins() -> list[tuple[str, str, str, str]]:
    if not DEMO_LOGINS_FILE.exists():
        return []
    rows = DEMO_LOGINS_FILE.read_text(encoding="utf-8").splitlines()[1:]
    parsed = [row.split(",") for row in rows if row]
    return [(p[0], p[1], p[2], p[3] if len(p) > 3 else "") for p in parsed if len(p) >= 3]


def _print_demo_logins(users: list[tuple[str, str, str, str]]) -> None:
    from rich.table import Table

    table = Table(title="Demo-inloggegevens (alleen voor de demo)")
    table.add_column("Gebruiker")
    table.add_column("Wachtwoord")
    table.add_column("Rol")
    table.add_column("TOTP-sleutel (tweede stap)", no_wrap=True, min_width=32)
    for username, password, role, secret in users:
        table.add_row(username, password, role, secret or "–")
    console.print(table)


def _print_demo_qr_codes(secrets_by_user: dict[str, str]) -> None:
    """Once, when the demo accounts are made: a QR code per TOTP secret for the phone's app."""
    from werkpad.services.second_factor import provisioning_uri, qr_terminal

    for username, secret in secrets_by_user.items():
        uri = provisioning_uri(username, secret)
        console.print(f"QR-code voor [bold]{username}[/bold] (scan met een authenticator-app):")
        console.print(qr_terminal(uri), markup=False, highlight=False)


def _safe(url: str) -> str:
    """The URL without a password, for printing."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.split("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url


def main() -> None:  # pragma: no cover - console entry point
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
