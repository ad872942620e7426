"""report.json / report.md: Storyline beside its baseline and the published figure with its source."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.evaluate import report
from storyline.evaluate.harness import DEV_SETS, SystemResult, TaskResult


def _results() -> dict[tuple[str, str], TaskResult]:
    templates = TaskResult(
        "templates",
        ["x/templates/muc4-dev.jsonl"],
        200,
        SystemResult("storyline", {"role_f1": 0.1234, "role_p": None}),
        SystemResult("svo", {"role_f1": 0.2, "role_p": 0.3}),
    )
    stories = TaskResult(
        "stories",
        ["x/stories/giveme5w1h-newscluster.jsonl"],
        371,
        SystemResult("storyline", {"bcubed_f1": None}, available=False, note="not available: no cluster()"),
        SystemResult("tfidf", {"bcubed_f1": 0.8}),
    )
    return {
        ("templates", "templates/muc4-dev.jsonl"): templates,
        ("stories", "stories/giveme5w1h-newscluster.jsonl"): stories,
    }


def test_every_published_figure_is_for_a_dev_set() -> None:
    for key in [*report.PUBLISHED, *report.NO_FIGURE]:
        assert key in DEV_SETS


def test_report_files(tmp_path: Path) -> None:
    document = report.build(_results(), shared="../shared", wall_time_s=12.3, jobs=2, limit=None)
    json_path, md_path = report.write(document, tmp_path)
    data = json.loads(json_path.read_text())
    assert data["schema"] == report.SCHEMA
    entry = data["results"]["templates"]["templates/muc4-dev.jsonl"]
    assert entry["storyline"]["metrics"]["role_f1"] == 0.1234
    assert entry["baseline"]["name"] == "svo"
    text = md_path.read_text()
    assert "| templates | muc4-dev.jsonl | role_f1 | 0.123 | 0.200 (svo) | 0.578 (TempGen) [1] |" in text
    assert "| templates | muc4-dev.jsonl | role_p | — | 0.300 (svo) | 0.642 (GRIT) [2] |" in text
    assert "1. TempGen: Huang, Tang & Peng 2021; MUC-4 test (TST3+TST4), not this dev set" in text
    assert "| stories | giveme5w1h-newscluster.jsonl | bcubed_f1 | n/a | 0.800 (tfidf) | — |" in text
