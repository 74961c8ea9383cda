"""The municipalities of a synthetic service: one (the installation's default) for the
single-municipality scales, and the frames that tie teams, dossiers and money to them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from werkpad.config import default_municipality


def single_municipality() -> pd.DataFrame:
    """The one default municipality of a single-municipality installation (id 1)."""
    name, code = default_municipality()
    return pd.DataFrame({"id": [1], "name": [name], "cbs_code": [code], "is_default": [True]})


def all_teams_serve(teams: pd.DataFrame, municipalities: pd.DataFrame) -> pd.DataFrame:
    """Every team serves every municipality (a shared service's staff work across them)."""
    team_ids = np.repeat(teams["id"].to_numpy(), len(municipalities))
    place_ids = np.tile(municipalities["id"].to_numpy(), len(teams))
    return pd.DataFrame({"team_id": team_ids, "municipality_id": place_ids})


def owned_by(frame: pd.DataFrame, municipality_id: int | np.ndarray) -> pd.DataFrame:
    """``frame`` with its ``municipality_id`` column set (one id or one per row)."""
    out = frame.copy()
    out["municipality_id"] = municipality_id
    return out
