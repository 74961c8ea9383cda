"""Dutch names for covariates and their levels, so no screen or report shows an encoded
column (``segment=DH_B``) or a code where a label exists."""

from __future__ import annotations

from werkpad.domain.codelists import code_list

COVARIATE_NAMES = {
    "age_band": "Leeftijd",
    "age": "Leeftijd",
    "sex": "Geslacht",
    "migration_background": "Migratieachtergrond",
    "statushouder": "Statushouder",
    "benefit_duration": "Uitkeringsduur",
    "segment": "Categorie (segment)",
    "trede": "Trede",
    "ladder_step": "Trede",
    "period": "Jaar",
}
LEVEL_CODE_LISTS = {
    "sex": "sex",
    "migration_background": "migration_background",
    "segment": "segment",
}


def level_label(covariate: str, level: object) -> str:
    """The Dutch label of ``level`` of ``covariate`` (its code-list label where there is one)."""
    text = str(level)
    name = LEVEL_CODE_LISTS.get(covariate)
    return code_list(name).label(text) if name else text


def covariate_label(encoded: str) -> str:
    """``segment=DH_B`` -> ``Categorie (segment): B: binnen 18 maanden ...``; ``trede`` ->
    ``Trede``. Unknown columns keep their name."""
    column, _, level = encoded.partition("=")
    name = COVARIATE_NAMES.get(column, column)
    return f"{name}: {level_label(column, level)}" if level else name
