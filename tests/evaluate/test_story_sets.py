"""The stories set ``eval-all`` derives on the fly: pairs of similar shootings from the GVA file."""

from __future__ import annotations

from pathlib import Path

from storyline.evaluate.data import load_corpus
from storyline.evaluate.harness import DERIVED_SETS
from storyline.evaluate.stories import GVA_PAIRS, write_derived


def test_every_derived_set_is_written_and_readable(shared: Path, tmp_path: Path) -> None:
    for task, name in DERIVED_SETS:
        assert task in ("stories", "stories-embed")
        assert name in GVA_PAIRS.values()
        path = write_derived(name, shared / "data", tmp_path)
        corpus = load_corpus([path])
        assert not corpus.problems
        assert len(corpus.docs) > 100
        stories = {doc.gold["story"] for doc in corpus.docs}
        topics = {doc.meta["topic"] for doc in corpus.docs}
        assert len(stories) == 2 * len(topics)
        # Written twice, the same bytes: the set is derived deterministically.
        (tmp_path / "again").mkdir(exist_ok=True)
        again = write_derived(name, shared / "data", tmp_path / "again")
        assert again.read_bytes() == path.read_bytes()
