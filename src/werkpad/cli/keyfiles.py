"""One way for every ``keygen`` command to write a new key file and say where it went."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from werkpad.protected.keys import write_key_file

console = Console()


def write_new_key(out: Path, saved: str) -> None:
    """Write a fresh owner-only key file to ``out`` (refused when it exists) and print ``saved``
    with ``{path}`` filled in; exits with code 1 on refusal."""
    try:
        path = write_key_file(out)
    except FileExistsError as exists:
        console.print(f"[red]{exists}[/red]")
        raise typer.Exit(code=1) from exists
    console.print(saved.format(path=path))
