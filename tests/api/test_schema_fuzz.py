"""Property tests of the API against its own OpenAPI schema (schemathesis over the ASGI app).

Every operation gets generated inputs, valid and invalid (bounded: a few dozen examples each, so the
suite stays fast); no response may be a 500, and every response must match the documented schema.
``POST /v1/analyze`` runs the real pipeline: any text the schema allows must be analysed or refused
with a JSON error, never crash the server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance
from spacy.language import Language

from storyline.api import create_app
from storyline.model import Analysis, Article
from storyline.store import Store


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    from tests.api.conftest import add_story
    from tests.store.samples import all_samples

    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    with Store(f"sqlite:///{path}") as store:
        for analysis in all_samples():
            store.upsert(analysis)
        add_story(store)
        yield store


def _real_analyzer(nlp: Language) -> Any:
    from storyline.pipeline import analyze_many

    def analyze(article: Article) -> Analysis:
        (result,) = analyze_many(nlp, [article])
        if isinstance(result, Exception):
            raise result
        return result

    return analyze


def _no_analysis(_article: Article) -> Analysis:
    raise AssertionError("the read-only operations never analyse")


CHECKS = [not_a_server_error, response_schema_conformance]


def fuzz(app: Any, method: str, max_examples: int) -> int:
    """Run every operation of ``method`` with generated valid and invalid inputs; returns how many ran.

    Hypothesis drives the strategies schemathesis builds from the OpenAPI document directly (rather
    than through schemathesis' pytest plugin) so the test needs no app at import time.
    """
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != method:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=max_examples,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def check(case: Any) -> None:
                case.validate_response(case.call(), checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                # No invalid input exists for this operation (e.g. its only parameter is any string).
                assert mode is GenerationMode.NEGATIVE, operation.label
        ran += 1
    return ran


def test_read_operations(fuzz_store: Store) -> None:
    assert fuzz(create_app(store=fuzz_store, analyzer=_no_analysis), "GET", max_examples=30) >= 7


@pytest.mark.slow
def test_analyze_with_the_pipeline(fuzz_store: Store, nlp: Language) -> None:
    assert fuzz(create_app(store=fuzz_store, analyzer=_real_analyzer(nlp)), "POST", max_examples=30) == 1
