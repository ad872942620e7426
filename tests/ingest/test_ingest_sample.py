"""The bundled sample (data/sample) reads cleanly and is what training/build_sample.py builds."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from storyline.ingest import Record, read_paths, read_records
from tests.ingest.support import split

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
BUILDER = ROOT / "training" / "build_sample.py"


def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_sample", BUILDER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sample_folder_reads_without_problems() -> None:
    articles, problems = split(read_paths([SAMPLE]))  # README.md and LICENSE-*.md are skipped

    assert problems == []
    assert 55 <= len(articles) <= 65
    seed = articles[0]
    assert (seed.id, seed.published, seed.source) == ("seed-cnn-amri", "2016-12-23", "CNN")
    assert seed.title == "Berlin attack suspect Anis Amri killed in Milan"
    assert seed.text.startswith("(CNN)")
    assert {a.source for a in articles[1:]} == {"Wikinews"}
    assert all(a.published and a.url and a.title for a in articles[1:])
    assert len({a.id for a in articles}) == len(articles)


def test_sample_stories_match_the_builder_lists() -> None:
    stories = builder().STORIES
    records = [item for item in read_records(SAMPLE / "articles.jsonl") if isinstance(item, Record)]

    counts = Counter(r.meta["story"] for r in records if "story" in r.meta)

    assert counts == {story: len(ids) for story, ids in stories.items()}
    assert counts["hong-kong-protests-2019"] >= 5
    assert counts["trump-impeachment-2019"] >= 5
    assert counts["brexit-prorogation-2019"] >= 5
    assert all(r.gold == {} for r in records)


@pytest.mark.shared
def test_sample_is_up_to_date_with_shared(shared: Path) -> None:
    built = builder().build(shared)

    assert (SAMPLE / "articles.jsonl").read_text(encoding="utf-8") == built
    seed = next(item for item in read_records(SAMPLE / "articles.jsonl") if isinstance(item, Record))
    assert seed.article.text == (shared / "acceptance" / "seed" / "article.txt").read_text(encoding="utf-8")
