"""The eval gate: floors just under the scores, ceilings for errors, drops listed, floors only raised."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storyline.evaluate import gate
from storyline.evaluate.report import SCHEMA


def _report(**metrics: float | None) -> dict[str, Any]:
    system = {"name": "storyline", "available": True, "metrics": metrics}
    entry = {"n_docs": 1, "storyline": system, "baseline": None}
    return {"schema": SCHEMA, "results": {"geo": {"geo/geowebnews.jsonl": entry}}}


def test_floor_for() -> None:
    assert gate.floor_for(0.8534, lower=False) == 0.84  # floor(85.34 - 1) / 100
    assert gate.floor_for(1.0, lower=False) == 0.99
    assert gate.floor_for(0.005, lower=False) == 0.0  # never below 0
    assert gate.floor_for(249.4, lower=True, metric="mean_error_km") == 253.0  # ceil(249.4 * 1.01 + 1)
    assert gate.floor_for(0.6667, lower=True, metric="killed_mae") == 0.68  # ceil(66.67 + 1) / 100


def test_check_lists_each_drop() -> None:
    floors = {"geo": {"geo/geowebnews.jsonl": {"toponym_f1": 0.5, "mean_error_km": 300.0, "acc_161km": 0.1}}}
    report = _report(toponym_f1=0.49, mean_error_km=310.0, acc_161km=None)
    drops = gate.check(report, floors)
    assert len(drops) == 3
    assert drops[0].startswith("[E064] geo geo/geowebnews.jsonl toponym_f1: 0.49 is below its floor 0.5")
    assert drops[1].startswith("[E065]")
    assert drops[2].startswith("[E066]")
    assert gate.check(_report(toponym_f1=0.5, mean_error_km=300.0, acc_161km=0.2), floors) == []


def test_raise_never_lowers() -> None:
    floors = {"geo": {"geo/geowebnews.jsonl": {"toponym_f1": 0.6, "mean_error_km": 200.0}}}
    report = _report(toponym_f1=0.5, mean_error_km=100.0, acc_161km=0.905)
    new, changes = gate.raise_floors(report, floors)
    assert new["geo"]["geo/geowebnews.jsonl"] == {
        "toponym_f1": 0.6,  # the score fell: the floor stays
        "mean_error_km": 102.0,  # the error fell: the ceiling comes down to ceil(101 + 1)
        "acc_161km": 0.89,  # new: floor(90.5 - 1) / 100
    }
    assert len(changes) == 2


def test_eval_gate_command(tmp_path: Path) -> None:
    import typer

    from storyline.evaluate.commands import register

    app = typer.Typer()
    register(app)
    report_path, floors_path = tmp_path / "report.json", tmp_path / "floors.json"
    report_path.write_text(json.dumps(_report(toponym_f1=0.7)), encoding="utf-8")
    runner = CliRunner()
    args = ["eval-gate", "--report", str(report_path), "--floors", str(floors_path)]
    assert runner.invoke(app, args).exit_code == 1  # no floors file yet
    raised = runner.invoke(app, [*args, "--raise"])
    assert raised.exit_code == 0, raised.output
    assert json.loads(floors_path.read_text()) == {"geo": {"geo/geowebnews.jsonl": {"toponym_f1": 0.69}}}
    report_path.write_text(json.dumps(_report(toponym_f1=0.6)), encoding="utf-8")
    dropped = runner.invoke(app, args)
    assert dropped.exit_code == 1
    assert "toponym_f1: 0.6 is below its floor 0.69" in dropped.output


@pytest.mark.parametrize("content", ["{", '{"schema": "other"}'])
def test_bad_report_is_an_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "report.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(gate.StorylineError, match=r"\[E062\]"):
        gate.load_report(path)
