"""Helpers for the scorer tests: gold documents built in memory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from storyline.evaluate.data import GoldDoc
from storyline.ingest import Record, make_article

MakeDoc = Callable[..., GoldDoc]


@pytest.fixture
def make_doc() -> MakeDoc:
    """``make_doc(text, gold, meta=None, id="d1", published=None, title=None)`` -> GoldDoc."""

    def build(
        text: str,
        gold: dict[str, Any],
        meta: dict[str, Any] | None = None,
        *,
        id: str = "d1",
        published: str | None = None,
        title: str | None = None,
    ) -> GoldDoc:
        article = make_article(text, id=id, published=published, title=title)
        return GoldDoc("mem.jsonl", Record(article=article, gold=gold, meta=meta or {}, line=1))

    return build


@pytest.fixture
def gold_span() -> Callable[[str, str], dict[str, Any]]:
    """``gold_span(text, part)``: the gold span dict of the first ``part`` in ``text``."""

    def build(text: str, part: str) -> dict[str, Any]:
        start = text.index(part)
        return {"start": start, "end": start + len(part), "text": part}

    return build
