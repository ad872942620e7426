"""``storyline eval`` end to end on the shared dev sets (--limit 5), through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from storyline.evaluate.commands import register
from storyline.evaluate.harness import DEV_SETS, tasks

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_unknown_task_and_baseline_are_usage_errors(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"text": "x"}\n', encoding="utf-8")
    unknown = runner.invoke(_app(), ["eval", "weather", str(path)])
    assert unknown.exit_code == 2
    assert "[E009]" in unknown.output
    wrong = runner.invoke(_app(), ["eval", "timex", str(path), "--baseline", "lead3"])
    assert wrong.exit_code == 2
    assert "[E060]" in wrong.output


def test_nothing_readable_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("{oops\n", encoding="utf-8")
    result = runner.invoke(_app(), ["eval", "timex", str(path)])
    assert result.exit_code == 1
    assert "[E068]" in result.output


def _run(task: str, path: Path, out: Path) -> dict[str, object]:
    args = ["eval", task, str(path), "--limit", "5", "--json", str(out)]
    args += ["--baseline", tasks()[task].baseline]
    result = runner.invoke(_app(), args)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(out.read_text())
    return data


@pytest.mark.slow
def test_eval_timex_timebank_end_to_end(shared: Path, tmp_path: Path) -> None:
    data = _run("timex", shared / "data" / "timex" / "timebank.jsonl", tmp_path / "timex.json")
    assert data["task"] == "timex"
    assert data["n_docs"] == 5
    assert set(data) >= {"task", "files", "n_docs", "metrics", "per_doc"}
    assert set(data["metrics"]) == {"strict_f1", "relaxed_f1", "value_f1", "type_acc"}  # type: ignore[arg-type]
    assert len(data["per_doc"]) == 5  # type: ignore[arg-type]


@pytest.mark.slow
@pytest.mark.parametrize(("task", "relative"), DEV_SETS, ids=[f"{t}-{Path(r).stem}" for t, r in DEV_SETS])
def test_eval_each_task(shared: Path, tmp_path: Path, task: str, relative: str) -> None:
    data = _run(task, shared / "data" / relative, tmp_path / "out.json")
    metrics = data["metrics"]
    assert isinstance(metrics, dict)
    assert tuple(metrics) == tasks()[task].metrics
    baseline = data["baseline"]
    assert isinstance(baseline, dict)
    assert baseline["name"] == tasks()[task].baseline
    assert all(v is None or v >= 0 for v in baseline["metrics"].values())
    if data["storyline_available"]:
        assert all(v is None or v >= 0 for v in metrics.values())
    else:
        assert all(v is None for v in metrics.values())
