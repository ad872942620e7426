"""Problems cross process and Ray boundaries as data and come back with the same message."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.errors import Problem


def test_problem_round_trips_as_json_with_the_same_message() -> None:
    problem = Problem(
        "E123",
        "crawl.warc.gz@record 7",
        path=Path("crawl.warc.gz"),
        offset="record 7",
        size=10_485_760,
        limit=1_000_000,
    )
    back = Problem.from_data(json.loads(json.dumps(problem.to_data())))
    assert (back.code, back.where, str(back)) == (problem.code, problem.where, str(problem))
    assert back.fields["size"] == 10_485_760  # plain JSON values keep their type


def test_an_exception_field_travels_as_its_text() -> None:
    problem = Problem("E007", "a1", article="a1", reason=ValueError("bad parse"))
    data = problem.to_data()
    assert data["fields"]["reason"] == "bad parse"
    assert str(Problem.from_data(data)) == str(problem)
