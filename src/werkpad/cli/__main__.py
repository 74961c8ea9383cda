"""``python -m werkpad.cli``: the same command line as ``werkpad`` (tests and bench start the
server this way, with the interpreter they run under)."""

from werkpad.cli import main

main()
