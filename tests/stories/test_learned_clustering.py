"""The learned story scorer: a pair model over the evidence groups and a sentence embedding.

The model file is checked without the ``embed`` extra; clustering with embeddings needs the extra
(the packaged all-MiniLM-L6-v2 on torch's CPU build) and skips without it.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from storyline.errors import StorylineError
from storyline.evaluate.stories import bcubed
from storyline.ingest.tabular import Record
from storyline.model import Analysis
from storyline.stories import embedding
from storyline.stories.clustering import Settings, StoryIndex, cluster
from storyline.stories.embedding import MiniLM, embedding_text
from storyline.stories.pairs import feature_names, load_pair_model

needs_embed = pytest.mark.skipif(not embedding.available(), reason="needs the embed extra (torch, MiniLM)")
#: Stories of the sample that run for months and come out whole under the learned scorer too (it
#: splits the Hong Kong district council election from the protests, five weeks after the last).
WHOLE = ("trump-impeachment-2019", "puerto-rico-governor-2019")


def test_shipped_pair_model_prefers_shared_evidence() -> None:
    model = load_pair_model()
    assert 0.0 < model.threshold < 1.0
    same = {"words": 0.45, "title": 0.4, "entities": 0.6, "places": 1.0, "types": 1.0, "dense": 0.85}
    other = {"words": 0.05, "title": 0.0, "entities": 0.0, "places": 0.0, "types": 1.0, "dense": 0.55}
    assert model.probability(same, 1.0) > model.threshold > model.probability(other, 1.0)
    # Time apart lowers it; a different place of the news lowers it.
    assert model.probability(same, 400.0) < model.probability(same, 1.0)
    assert model.probability({**same, "places": 0.0}, 1.0) < model.probability(same, 1.0)


def test_a_pair_model_of_other_features_is_e049(tmp_path: Path) -> None:
    path = tmp_path / "pairs.json.gz"
    data = {"format": "storyline.story-pairs/1", "features": feature_names()[:-1], "weights": [], "bias": 0}
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(data, handle)
    with pytest.raises(StorylineError) as caught:
        load_pair_model(path)
    assert caught.value.code == "E049" and str(path) in str(caught.value)


def test_learned_scorer_without_the_extra_is_e048(
    sample: list[tuple[Record, Analysis]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The extra may be installed here; its absence is what cannot be arranged otherwise.
    monkeypatch.setattr(embedding, "available", lambda: False)
    index = StoryIndex(Settings.learned())
    with pytest.raises(StorylineError) as caught:
        index.add(sample[0][1])
    assert caught.value.code == "E048" and "embed" in str(caught.value)
    # The weighted scorer needs no embedding.
    assert StoryIndex().add(sample[0][1]).score == 1.0


def test_embedding_text_is_headline_and_lead(sample: list[tuple[Record, Analysis]]) -> None:
    analysis = sample[0][1]
    text = embedding_text(analysis)
    assert analysis.article.title is not None and text.startswith(analysis.article.title)
    assert len(text) <= len(analysis.article.title) + 2 + embedding.LEAD_CHARS


def _gold(records: Sequence[Record]) -> list[str]:
    return [str(r.meta.get("story") or r.article.id) for r in records]


@pytest.fixture(scope="module")
def minilm() -> MiniLM:
    return MiniLM()


@needs_embed
def test_embeddings_are_unit_vectors_and_close_for_one_story(
    sample: list[tuple[Record, Analysis]], minilm: MiniLM
) -> None:
    by_story: dict[str, list[Analysis]] = {}
    for record, analysis in sample:
        by_story.setdefault(str(record.meta.get("story") or record.article.id), []).append(analysis)
    hong_kong = by_story["hong-kong-protests-2019"][:2]
    impeachment = by_story["trump-impeachment-2019"][:1]
    a, b, c = minilm([embedding_text(x) for x in [*hong_kong, *impeachment]])
    assert len(a) == MiniLM.dimensions
    assert abs(sum(v * v for v in a) - 1.0) < 1e-3

    def cosine(x: tuple[float, ...], y: tuple[float, ...]) -> float:
        return sum(p * q for p, q in zip(x, y, strict=True))

    assert cosine(a, b) > cosine(a, c) and cosine(a, b) > cosine(b, c)


@needs_embed
def test_learned_clustering_of_the_sample(sample: list[tuple[Record, Analysis]], minilm: MiniLM) -> None:
    """Measured: P 0.956, R 0.884 (weighted: 0.950, 0.945). The learned model is trained on same-event
    sets, so it chains a story over months less readily (Brexit, Hong Kong and Soleimani lose an
    article or more each)."""
    records = [r for r, _ in sample]
    analyses = [a for _, a in sample]
    result = cluster(analyses, settings=Settings.learned(), embedder=minilm)
    labels = [result[a.article.id] for a in analyses]
    gold = _gold(records)
    precision, recall, _ = bcubed(gold, labels)
    assert precision >= 0.93 and recall >= 0.85
    for story in WHOLE:
        assert len({label for g, label in zip(gold, labels, strict=True) if g == story}) == 1, story


@needs_embed
def test_learned_state_round_trip_keeps_the_embeddings(
    sample: list[tuple[Record, Analysis]], minilm: MiniLM
) -> None:
    analyses = [a for _, a in sample]
    index = StoryIndex(Settings.learned(), minilm)
    for analysis in analyses[:30]:
        index.add(analysis)
    state = json.loads(json.dumps(index.to_state()))
    assert state["settings"]["scorer"] == "learned"
    assert all(len(item["dense"]) == MiniLM.dimensions for item in state["items"])
    restored = StoryIndex.from_state(state, minilm)
    assert restored.assignments() == index.assignments()
    for analysis in analyses[30:]:
        assert restored.add(analysis) == index.add(analysis)
