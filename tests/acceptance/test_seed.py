"""The founding example: tests/acceptance/seed/expected.json, matched with the rules of its README.

Sections whose issues are still open are marked xfail(strict=True) with the issue named, so the
marker must be removed the day the section passes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.acceptance import matching

SEED = Path(__file__).parent / "seed"
EXPECTED = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
#: Sections whose issues are still open, as {section: reason}; each gets xfail(strict=True).
OPEN: dict[str, str] = {}


@pytest.fixture(scope="module")
def output() -> dict[str, Any]:
    """The seed analysed exactly as the README says: through the installed CLI, as JSON."""
    proc = subprocess.run(
        [sys.executable, "-m", "storyline", "extract", str(SEED / "article.txt"),
         "--published", "2016-12-23", "--source", "CNN", "--format", "json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def _params(section: str) -> list[Any]:
    marks = [pytest.mark.xfail(strict=True, reason=OPEN[section])] if section in OPEN else []
    return [
        pytest.param(
            item,
            id=item.get("name") or item.get("text") or item.get("label") or item.get("content_contains"),
            marks=marks,
        )
        for item in EXPECTED[section]
    ]


def test_output_validates_against_schema(output: dict[str, Any]) -> None:
    from storyline.model import Analysis

    Analysis.model_validate(output)
    assert output["schema"] == "storyline.analysis/1"
    text = output["article"]["text"]
    for entity in output["entities"]:
        for m in entity["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]


@pytest.mark.parametrize("item", _params("entities"))
def test_entities(output: dict[str, Any], item: dict[str, Any]) -> None:
    assert matching.match_entity(output, item) is None, matching.match_entity(output, item)


@pytest.mark.parametrize("item", _params("places"))
def test_places(output: dict[str, Any], item: dict[str, Any]) -> None:
    assert matching.match_place(output, item) is None, matching.match_place(output, item)


@pytest.mark.parametrize("item", _params("times"))
def test_times(output: dict[str, Any], item: dict[str, Any]) -> None:
    assert matching.match_time(output, item) is None, matching.match_time(output, item)


@pytest.mark.parametrize("item", _params("claims"))
def test_claims(output: dict[str, Any], item: dict[str, Any]) -> None:
    assert matching.match_claim(output, item) is None, matching.match_claim(output, item)


@pytest.mark.parametrize("item", _params("events"))
def test_events(output: dict[str, Any], item: dict[str, Any]) -> None:
    assert matching.match_event(output, item) is None, matching.match_event(output, item)


@pytest.mark.parametrize("rule", EXPECTED["must_not"], ids=lambda r: r["what"][:40])
def test_must_not(output: dict[str, Any], rule: dict[str, Any]) -> None:
    assert matching.violates(output, rule) is None, matching.violates(output, rule)
