"""State machines for objects with a life cycle; every change is a logged transition."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


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

# A provision (voorziening) is requested (later: a referral to a contracted provider) or
# planned, then starts, and ends completed with a result, stopped early with a reason, or is
# cancelled before it started. Only a started provision can end; only one not yet started can
# be cancelled.
PROVISION = StateMachine(
    name="Voorziening",
    initial="PLANNED",
    transitions={
        "REQUESTED": frozenset({"PLANNED", "STARTED", "CANCELLED"}),
        "PLANNED": frozenset({"STARTED", "CANCELLED"}),
        "STARTED": frozenset({"COMPLETED", "STOPPED"}),
        "COMPLETED": frozenset(),
        "STOPPED": frozenset(),
        "CANCELLED": frozenset(),
    },
    labels_nl={
        "REQUESTED": "Aangevraagd",
        "PLANNED": "Gepland",
        "STARTED": "Gestart",
        "COMPLETED": "Afgerond",
        "STOPPED": "Voortijdig gestopt",
        "CANCELLED": "Geannuleerd",
    },
)
PROVISION_STATES = tuple(PROVISION.labels_nl)
OPEN_PROVISION_STATES = frozenset({"REQUESTED", "PLANNED", "STARTED"})
NOT_STARTED_PROVISION_STATES = frozenset({"REQUESTED", "PLANNED"})
# States in which a provision was (or is) actually used: the figures count only these.
USED_PROVISION_STATES = frozenset({"STARTED", "COMPLETED", "STOPPED"})
ENDED_PROVISION_STATES = frozenset({"COMPLETED", "STOPPED"})


def provision_state_from_dates(
    start_date: date | None, end_date: date | None, ends_as: str | None, today: date
) -> str:
    """The state of a provision known only by its dates and result (imported or older data).

    Ended: ``ends_as`` of its result (``provision_result`` attribute: COMPLETED or STOPPED),
    COMPLETED when the result is unknown. Not ended: STARTED once its start date has come,
    PLANNED before that.
    """
    if end_date is not None:
        return "STOPPED" if ends_as == "STOPPED" else "COMPLETED"
    if start_date is not None and start_date > today:
        return "PLANNED"
    return "STARTED"
