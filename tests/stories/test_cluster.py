"""Story clustering on real articles: the Wikinews sample analysed by the real pipeline (once per session).

What is checked is what the clustering promises: the sample's multi-article stories (weeks to months
long) come out as single stories without false merges, the result does not depend on arrival order
beyond the stated tolerance, a saved state continues the same clustering, stories merge when their
centroids come within the threshold (the older id surviving), every score is in [0, 1].
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from storyline.errors import StorylineError
from storyline.evaluate.stories import bcubed, gva_pairs
from storyline.ingest.tabular import Record
from storyline.model import Analysis
from storyline.stories import Assignment, StoryIndex
from storyline.stories.clustering import ORDER_TOLERANCE, Settings, cluster, story_id

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "articles.jsonl"


def _gold(records: Sequence[Record]) -> list[str]:
    return [str(r.meta.get("story") or r.article.id) for r in records]


def _labels(result: dict[str, str], analyses: Sequence[Analysis]) -> list[str]:
    return [result[a.article.id] for a in analyses]


def test_sample_stories_come_out_whole(sample: list[tuple[Record, Analysis]]) -> None:
    """The long stories are single stories; measured: P 0.950, R 0.945 (three pairs of singletons of
    one country and kind are merged: two Polish, two SpaceX, two London knife attacks)."""
    records = [r for r, _ in sample]
    analyses = [a for _, a in sample]
    labels = _labels(cluster(analyses), analyses)
    gold = _gold(records)
    precision, recall, _ = bcubed(gold, labels)
    assert precision >= 0.93
    assert recall >= 0.93
    for story in ("hong-kong-protests-2019", "trump-impeachment-2019", "puerto-rico-governor-2019"):
        assert len({label for g, label in zip(gold, labels, strict=True) if g == story}) == 1, story
    # No story of the sample is merged with another multi-article story.
    by_label: dict[str, set[str]] = {}
    for g, label in zip(gold, labels, strict=True):
        by_label.setdefault(label, set()).add(g)
    multi = {str(r.meta["story"]) for r in records if r.meta.get("story")}
    assert all(len(stories & multi) <= 1 for stories in by_label.values())


def test_order_tolerance(sample: list[tuple[Record, Analysis]]) -> None:
    analyses = [a for _, a in sample]
    reference = _labels(cluster(analyses), analyses)
    for seed in range(5):
        shuffled = list(analyses)
        random.Random(seed).shuffle(shuffled)
        labels = _labels(cluster(shuffled), analyses)
        assert bcubed(reference, labels)[2] >= 1 - ORDER_TOLERANCE, seed


def test_online_index_scores_and_members(sample: list[tuple[Record, Analysis]]) -> None:
    index = StoryIndex()
    returned = [index.add(a) for _, a in sample]
    assert all(isinstance(x, Assignment) and 0.0 <= x.score <= 1.0 for x in returned)
    current = index.assignments()
    assert set(current) == {a.article.id for _, a in sample}
    assert all(0.0 <= x.score <= 1.0 for x in current.values())
    sizes = Counter(x.story for x in current.values())
    for story, size in sizes.items():
        members = index.members(story)
        assert len(members) == size
        assert all(current[m].story == story for m in members)
    # A story's id is the short hash of one of its articles' ids ("s" + 12 hex digits).
    assert all(story.startswith("s") and len(story) == 13 for story in sizes)
    assert index.members("s-unknown") == []


def test_state_round_trip_continues_the_same_clustering(sample: list[tuple[Record, Analysis]]) -> None:
    analyses = [a for _, a in sample]
    first, rest = analyses[:40], analyses[40:]
    index = StoryIndex()
    for analysis in first:
        index.add(analysis)
    state = json.loads(json.dumps(index.to_state()))
    restored = StoryIndex.from_state(state)
    assert restored.assignments() == index.assignments()
    for analysis in rest:
        assert restored.add(analysis) == index.add(analysis)
    assert restored.assignments() == index.assignments()


def test_the_package_name_cluster_calls_the_function() -> None:
    """What `storyline eval stories` calls, whatever was imported before (the module is `clustering`)."""
    import storyline.stories
    import storyline.stories.clustering  # must not shadow the function

    assert storyline.stories.cluster([]) == {}


def test_bad_state_is_e046() -> None:
    with pytest.raises(StorylineError) as caught:
        StoryIndex.from_state({"version": 1, "settings": {}})
    assert caught.value.code == "E046"


def test_two_stories_merge_when_their_centroids_meet(sample: list[tuple[Record, Analysis]]) -> None:
    dorian = [a for r, a in sample if r.meta.get("story") == "hurricane-dorian-2019"]
    assert len(dorian) == 2
    # An article must be very close to join a story, but stories within 0.2 of each other merge.
    index = StoryIndex(Settings(threshold=0.99, merge_threshold=0.2))
    index.add(dorian[0])
    second = index.add(dorian[1])
    assert second.story == story_id(dorian[0].article.id), "the older story's id survives"
    assert index.members(second.story) == [dorian[0].article.id, dorian[1].article.id]


def test_an_article_added_again_is_reassigned_not_duplicated(sample: list[tuple[Record, Analysis]]) -> None:
    index = StoryIndex()
    for _, analysis in sample[:10]:
        index.add(analysis)
    before = index.assignments()
    index.add(sample[3][1])
    assert set(index.assignments()) == set(before)
    assert sum(len(index.members(s)) for s in index.stories()) == 10


def test_gva_pairs_are_deterministic_and_disjoint(shared: Path) -> None:
    with (shared / "data" / "casualties" / "gva-dev.jsonl").open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    dev, heldout = gva_pairs(records, "dev"), gva_pairs(records, "heldout")
    assert dev == gva_pairs(records, "dev")
    assert not {r["gold"]["story"] for r in dev} & {r["gold"]["story"] for r in heldout}
    for part in (dev, heldout):
        topics = Counter(r["meta"]["topic"] for r in part)
        stories_per_topic = {t: {r["gold"]["story"] for r in part if r["meta"]["topic"] == t} for t in topics}
        assert all(len(stories) == 2 for stories in stories_per_topic.values())
