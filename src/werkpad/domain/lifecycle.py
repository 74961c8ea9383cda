"""State machines for objects with a life cycle; every change is a logged transition."""

from __future__ import annotations

from dataclasses import dataclass


class TransitionRefused(ValueError):
    """The requested state change is not allowed from the current state."""


@dataclass(frozen=True)
class StateMachine:
    name: str
    initial: str
    transitions: dict[str, frozenset[str]]
    labels_nl: dict[str, str]

    def can(self, current: str, target: str) -> bool:
        return target in self.transitions.get(current, frozenset())

    def check(self, current: str, target: str) -> None:
        if not self.can(current, target):
            raise TransitionRefused(
                f"{self.name}: van '{self.labels_nl.get(current, current)}' naar "
                f"'{self.labels_nl.get(target, target)}' is niet toegestaan"
            )

    def is_final(self, state: str) -> bool:
        return not self.transitions.get(state)


REFERRAL = StateMachine(
    name="Aanmelding matching",
    initial="OPEN",
    transitions={
        "OPEN": frozenset({"PICKED_UP", "RETURNED", "CLOSED"}),
        "PICKED_UP": frozenset({"RETURNED", "CLOSED"}),
        "RETURNED": frozenset({"OPEN", "CLOSED"}),
        "CLOSED": frozenset(),
    },
    labels_nl={
        "OPEN": "Aangemeld",
        "PICKED_UP": "Opgepakt",
        "RETURNED": "Teruggelegd",
        "CLOSED": "Afgesloten",
    },
)
# Referrals that still put the candidate in the matching pool.
ACTIVE_REFERRAL_STATES = ("OPEN", "PICKED_UP")

PROPOSAL = StateMachine(
    name="Voorstel aan werkgever",
    initial="SHORTLISTED",
    transitions={
        "SHORTLISTED": frozenset({"PROPOSED", "WITHDRAWN"}),
        "PROPOSED": frozenset({"INTERVIEW", "REJECTED", "WITHDRAWN"}),
        "INTERVIEW": frozenset({"TRIAL", "PLACED", "REJECTED", "WITHDRAWN"}),
        "TRIAL": frozenset({"PLACED", "REJECTED", "WITHDRAWN"}),
        "PLACED": frozenset(),
        "REJECTED": frozenset(),
        "WITHDRAWN": frozenset(),
    },
    labels_nl={
        "SHORTLISTED": "Op shortlist",
        "PROPOSED": "Voorgesteld",
        "INTERVIEW": "Gesprek",
        "TRIAL": "Proefplaatsing",
        "PLACED": "Geplaatst",
        "REJECTED": "Afgewezen",
        "WITHDRAWN": "Ingetrokken",
    },
)
