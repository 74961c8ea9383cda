"""``python -m werkpad.cli``: the same command as ``werkpad`` (the tests and benchmarks start the
server this way, with the interpreter of the running virtualenv)."""

from werkpad.cli import app

app()
