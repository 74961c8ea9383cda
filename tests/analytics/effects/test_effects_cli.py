"""The ``evaluate effect`` command on CSV and Parquet files."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from werkpad.analytics.effects.simulate import COVARIATES, simulate_flat
from werkpad.cli.effects import evaluate_app

runner = CliRunner()
ARGS = [
    "--treatment",
    "treated",
    "--outcome",
    "work_exit_12m",
    "--covariates",
    ",".join(COVARIATES),
]


def test_effect_command_prints_json_with_estimate_interval_and_balance(tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    simulate_flat(4_000, effect=0.1, seed=3).frame.to_csv(path, index=False)
    result = runner.invoke(
        evaluate_app, ["effect", str(path), *ARGS, "--bootstrap", "50", "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["ci_low"] <= body["effect"] <= body["ci_high"]
    assert {row["covariate"] for row in body["balance"]} >= {"age", "ladder_step"}
    assert "procentpunt" in body["reading"]


def test_effect_command_reads_parquet_and_prints_a_dutch_report(tmp_path: Path) -> None:
    path = tmp_path / "extract.parquet"
    simulate_flat(2_000, seed=4).frame.to_parquet(path)
    args = ["effect", str(path), *ARGS, "--method", "ipw", "--bootstrap", "20"]
    result = runner.invoke(evaluate_app, args)
    assert result.exit_code == 0, result.output
    assert "Balans" in result.output
    assert "betrouwbaarheidsinterval" in result.output


def test_effect_command_refuses_an_unknown_column_with_exit_code_2(tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    simulate_flat(300, seed=1).frame.to_csv(path, index=False)
    args = ["effect", str(path), "--treatment", "treated", "--outcome", "work_exit_12m"]
    result = runner.invoke(evaluate_app, [*args, "--covariates", "age,shoe_size"])
    assert result.exit_code == 2
    assert "shoe_size" in result.output
