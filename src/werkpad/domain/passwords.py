"""The password policy: long enough, not a common password, not derived from the user's name.

Following NIST SP 800-63B 5.1.1.2 and the BIO's advice (no composition rules, a minimum
length, a check against known and context-specific passwords): at least ``MIN_LENGTH``
characters; refused when, after lower-casing, undoing common letter swaps and dropping
trailing digits and signs, it is in the deny list (``data/common_passwords.txt``), or when it
contains the username or a part of the name, or is one character or a run like ``abcdef``
repeated. Messages are Dutch and name the rule.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 128
DENY_LIST = Path(__file__).resolve().parent / "data" / "common_passwords.txt"
_SWAPS = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_NAME_PARTICLES = frozenset({"van", "der", "den", "het", "ter", "ten", "de", "la", "le"})
_RUNS = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiopasdfghjklzxcvbnm")


def read_deny_list(text: str) -> frozenset[str]:
    """The words of a deny-list file: one a line, ``#`` comments, compared in lower case."""
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


@cache
def shipped_deny_list() -> frozenset[str]:
    return read_deny_list(DENY_LIST.read_text(encoding="utf-8"))


def _forms(password: str) -> set[str]:
    """The password as the deny list is compared with it: as typed (lower case), with letter
    swaps undone, and both without trailing digits and signs."""
    lower = password.lower()
    forms = {lower, lower.translate(_SWAPS)}
    for form in list(forms):
        forms.add(form.rstrip("0123456789!?.,-_#*+=@$% "))
        forms.add(form.lstrip("0123456789!?.,-_#*+=@$% "))
    return {f for f in forms if f}


def _is_repetition(password: str) -> bool:
    lower = password.lower()
    if len(set(lower)) <= 2:
        return True
    for run in _RUNS:
        for source in (run, run[::-1]):
            if lower in (source * 3):
                return True
    for size in range(1, len(lower) // 2 + 1):
        if len(lower) % size == 0 and lower[:size] * (len(lower) // size) == lower:
            return True
    return False


def password_problems(
    password: str,
    *,
    username: str = "",
    full_name: str = "",
    deny: frozenset[str] | None = None,
) -> list[str]:
    """Why this password is refused (Dutch, empty when it is fine)."""
    if len(password) < MIN_LENGTH:
        return [f"Kies een wachtwoord van minimaal {MIN_LENGTH} tekens."]
    if len(password) > MAX_LENGTH:
        return [f"Kies een wachtwoord van hoogstens {MAX_LENGTH} tekens."]
    words = shipped_deny_list() if deny is None else deny
    problems: list[str] = []
    forms = _forms(password)
    if forms & words or _is_repetition(password):
        problems.append(
            "Dit wachtwoord is te bekend of te voorspelbaar (het staat op de lijst van veel "
            "gebruikte wachtwoorden). Kies een zin van een paar losse woorden."
        )
    lower = password.lower()
    undone = lower.translate(_SWAPS)
    parts = {username.lower()} | {p.lower() for p in full_name.replace("-", " ").split()}
    parts = {p for p in parts if len(p) >= 3 and p not in _NAME_PARTICLES}
    if any(p in lower or p in undone or p[::-1] in lower for p in parts):
        problems.append("Het wachtwoord mag je gebruikersnaam of naam niet bevatten.")
    return problems
