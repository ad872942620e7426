"""analyze_many with several processes: no serialisation error, and the same output as one process."""

from __future__ import annotations

import pytest

from storyline.errors import Problem
from storyline.model import Article
from storyline.pipeline import analyze_many, load
from tests.scale.conftest import STAGES
from tests.scale.support import sample_records


@pytest.mark.slow
def test_two_processes_give_the_same_output_in_the_same_order() -> None:
    nlp = load(stages=STAGES)
    articles = [
        Article(**{k: r[k] for k in ("id", "title", "published", "url", "text")}) for r in sample_records(7)
    ]
    one = list(analyze_many(nlp, articles, batch_size=2))
    two = list(analyze_many(nlp, articles, batch_size=2, n_process=2))
    assert [type(r) for r in two] == [type(r) for r in one]
    assert [r.model_dump() if not isinstance(r, Problem) else str(r) for r in two] == [
        r.model_dump() if not isinstance(r, Problem) else str(r) for r in one
    ]
    assert [r.article.id for r in two if not isinstance(r, Problem)] == [a.id for a in articles]
