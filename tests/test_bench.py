"""`storyline bench` on real articles: every figure the report names is there and consistent."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.bench import run_bench

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "articles.jsonl"


@pytest.mark.slow
def test_bench_reports_stages_and_assembly() -> None:
    report = run_bench(SAMPLE, n=4, batch_size=2)
    assert report["articles"] == 4 and report["words"] > 0
    assert set(report["stage_s"]) == {"entities", "times", "places", "claims", "events", "highlights"}
    # the stages run again on their own after the timed runs: each is a part of the whole pipe
    assert all(0.0 <= share < 1.0 for share in report["stage_share_of_full"].values())
    assert report["title_and_assembly_s"] >= 0.0 and report["pipe_s"] > 0.0
    assert report["full_s"] >= report["title_and_assembly_s"]
