"""Timing rules: a provision that follows the outcome it is evaluated on is not a treatment.

Definition (version 1). A treatment must come before its outcome; otherwise the "effect" only
measures who got the provision after the outcome had happened. Two rules:

* **By phase.** A provision phase can follow an outcome by definition: the code list
  ``provision_phase`` names them in ``follows_outcomes`` (shipped: phase EXIT, "Uitstroom en
  nazorg", follows a work exit, so GOS PS7 "Borgen plaatsing" is support *after* a placement).
  Such a treatment is refused for those outcomes with the reason in Dutch.
* **By start date.** The risk-set outcome looks forward from the first day of the start month.
  A participant whose work exit lies between that day and the provision's start date had the
  outcome before the start: for that outcome the start is not a treatment. Those starts are
  left out of the participants (and counted in a Dutch note); when they are the majority
  (more than ``MAX_SHARE_AFTER_OUTCOME``), the treatment is refused: it mostly follows exits.
  A start after the benefit ended is never in a risk set at all (only months on benefit are).

Pure functions of frames and the code lists; no I/O beyond reading the code lists.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from werkpad.domain.codelists import code_list

MAX_SHARE_AFTER_OUTCOME = 0.5
OUTCOME_EVENTS = {
    "work_exit": "een uitstroom naar werk",
    "durable_exit": "een duurzame uitstroom naar werk",
    "months_on_benefit": "het einde van de uitkering door werk",
}


class TreatmentFollowsOutcome(ValueError):
    """The treatment comes after the outcome it would be evaluated on (Dutch message)."""


def phases_following(outcome: str) -> list[str]:
    """Provision phases that by definition follow ``outcome`` (code list ``provision_phase``)."""
    phases = []
    for phase in code_list("provision_phase"):
        follows = str(phase.attr("follows_outcomes") or "").split()
        if outcome in follows:
            phases.append(phase.code)
    return phases


def gos_phase(gos_code: str) -> str | None:
    found = code_list("gos_code").get(gos_code)
    return None if found is None else found.attr("phase")


def phase_reason(treatment_label: str, gos_code: str | None, outcome: str) -> str | None:
    """The Dutch refusal when the GOS code's phase follows ``outcome``; None when it may be
    evaluated."""
    if gos_code is None:
        return None
    phase = gos_phase(gos_code)
    if phase is None or phase not in phases_following(outcome):
        return None
    phase_label = code_list("provision_phase").label(phase).lower()
    event = OUTCOME_EVENTS.get(outcome, "de uitkomst")
    return (
        f"'{treatment_label}' hoort bij de fase '{phase_label}': die ondersteuning volgt per "
        f"definitie op {event}. Een effect op {event} zou dus alleen meten wie al aan het werk "
        "was (een kringredenering); daarom wordt het niet geschat."
    )


def starts_after_outcome(first_starts: pd.DataFrame, exits: pd.DataFrame) -> pd.Series:
    """Per person (index) in ``first_starts`` (person, start_date): True when a work exit in
    ``exits`` (person, exit_date) lies between the first day of the start month and the start
    date itself, so the outcome of the start month came before the start."""
    starts = first_starts.assign(start_date=pd.to_datetime(first_starts["start_date"]))
    month_start = starts["start_date"].dt.to_period("M").dt.to_timestamp()
    pairs = starts.assign(month_start=month_start).merge(
        exits.assign(exit_date=pd.to_datetime(exits["exit_date"]))[["person", "exit_date"]],
        on="person",
        how="inner",
    )
    before = (pairs["exit_date"] >= pairs["month_start"]) & (
        pairs["exit_date"] <= pairs["start_date"]
    )
    hit = set(pairs.loc[before, "person"])
    return pd.Series([p in hit for p in starts["person"]], index=starts["person"].to_numpy())


@dataclass(frozen=True)
class StartDateCheck:
    """How many first starts came after the outcome, and the Dutch note about them."""

    n_starts: int
    n_after_outcome: int

    @property
    def share(self) -> float:
        return self.n_after_outcome / self.n_starts if self.n_starts else 0.0

    def note(self, outcome: str) -> str | None:
        if not self.n_after_outcome:
            return None
        event = OUTCOME_EVENTS.get(outcome, "de uitkomst")
        return (
            f"{self.n_after_outcome} van de {self.n_starts} starts kwamen pas na {event} in "
            "dezelfde maand; voor deze uitkomst zijn dat geen deelnemers en ze tellen niet mee."
        )

    def refusal(self, treatment_label: str, outcome: str) -> str | None:
        if self.share <= MAX_SHARE_AFTER_OUTCOME:
            return None
        event = OUTCOME_EVENTS.get(outcome, "de uitkomst")
        return (
            f"De meeste starts van '{treatment_label}' ({self.share:.0%}) kwamen pas na {event}; "
            "deze ondersteuning volgt op de uitkomst en is daarom geen behandeling om het effect "
            "op te meten."
        )
