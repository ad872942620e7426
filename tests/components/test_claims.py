"""The claims stage on news sentences: quotes, indirect speech, "according to", and resolved speakers.

Each case is a kind of attribution the stage must handle, written the way wire copy writes it; none is
taken from the seed article, so passing here says the stage generalises beyond it.
"""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from storyline.model import Analysis, Article, Claim
from storyline.pipeline import analyze_many

pytestmark = pytest.mark.slow


def _analyze(nlp: Language, text: str) -> Analysis:
    result = next(iter(analyze_many(nlp, [Article(id="t", text=text, published="2019-05-02")])))
    assert isinstance(result, Analysis), result
    return result


def _source_name(analysis: Analysis, claim: Claim) -> str:
    """The resolved entity's name, else the source's own text (the rule of the acceptance matcher)."""
    if claim.source is None:
        return ""
    names = {e.id: e.name for e in analysis.entities}
    if claim.source.entity in names:
        return names[claim.source.entity]
    return claim.source.span.text if claim.source.span else claim.source.text


def _claim_with(analysis: Analysis, content: str) -> Claim:
    for claim in analysis.claims:
        if content in claim.content.text:
            return claim
    found: list[Any] = [(c.cue.text if c.cue else None, c.content.text) for c in analysis.claims]
    raise AssertionError(f"no claim whose content contains {content!r}; claims: {found}")


def test_direct_quote_with_said(nlp: Language) -> None:
    text = (
        "Storms battered the east coast on Tuesday. “We have never seen flooding like this,” "
        "Governor Phil Murphy said at a briefing in Trenton."
    )
    analysis = _analyze(nlp, text)
    claim = _claim_with(analysis, "We have never seen flooding like this")
    assert claim.kind == "direct"
    assert claim.cue is not None and claim.cue.text.startswith("said")
    assert _source_name(analysis, claim) == "Phil Murphy"
    assert claim.channel == "briefing"
    assert text[claim.content.start : claim.content.end] == claim.content.text


def test_inverted_said(nlp: Language) -> None:
    text = (
        "The plant will close by the end of the year and about 400 jobs will be lost, said Mary Barra, "
        "the chief executive of General Motors."
    )
    analysis = _analyze(nlp, text)
    claim = _claim_with(analysis, "400 jobs will be lost")
    assert _source_name(analysis, claim) == "Mary Barra"
    assert claim.kind == "indirect"


def test_according_to(nlp: Language) -> None:
    text = "At least 30 people were killed in the blast in Kabul, according to the Afghan Interior Ministry."
    analysis = _analyze(nlp, text)
    claim = _claim_with(analysis, "30 people were killed")
    assert claim.kind == "according_to"
    assert claim.cue is not None and claim.cue.text.lower() == "according to"
    assert claim.source is not None and "Interior Ministry" in claim.source.text
    assert "according" not in claim.content.text


def test_multi_sentence_quote_is_one_claim(nlp: Language) -> None:
    text = (
        "London Mayor Sadiq Khan said: “This is a dark day for our city. We will never be cowed by "
        "terrorism. Our police acted with great courage.” Officers remained at the scene overnight."
    )
    analysis = _analyze(nlp, text)
    claim = _claim_with(analysis, "This is a dark day for our city")
    assert "Our police acted with great courage" in claim.content.text
    assert "Officers remained" not in claim.content.text
    assert _source_name(analysis, claim).endswith("Khan")
    assert claim.kind == "direct"


def test_pronoun_speaker_resolves_to_the_person(nlp: Language) -> None:
    text = (
        "Senator Elizabeth Warren spoke to reporters outside the Capitol on Monday. "
        "She said the bill would hurt working families in every state."
    )
    analysis = _analyze(nlp, text)
    claim = _claim_with(analysis, "the bill would hurt working families")
    assert claim.source is not None and claim.source.text == "She"
    assert _source_name(analysis, claim) == "Elizabeth Warren"


def test_title_speaker_is_not_another_person_with_that_title(nlp: Language) -> None:
    text = (
        "Austrian Chancellor Sebastian Kurz met German Chancellor Angela Merkel in Berlin on Thursday. "
        "The Austrian Chancellor said that the border with Italy would stay open."
    )
    analysis = _analyze(nlp, text)
    claim = _claim_with(analysis, "the border with Italy would stay open")
    assert _source_name(analysis, claim) == "Sebastian Kurz"


def test_unnamed_source_keeps_its_text(nlp: Language) -> None:
    text = (
        "The talks in Geneva stalled again on Friday. A senior Western diplomat told reporters that "
        "neither side was ready to compromise on the prisoner exchange."
    )
    analysis = _analyze(nlp, text)
    claim = _claim_with(analysis, "neither side was ready to compromise")
    assert claim.source is not None
    assert claim.source.entity is None
    assert claim.source.span is not None and claim.source.span.text == "A senior Western diplomat"


def test_claims_are_numbered_in_text_order_with_valid_offsets(nlp: Language) -> None:
    text = (
        "Police said two men were arrested at the scene. “The investigation is ongoing,” a spokesman "
        "added. The suspects will appear in court on Monday, according to prosecutors."
    )
    analysis = _analyze(nlp, text)
    assert [c.id for c in analysis.claims] == [f"c{n}" for n in range(1, len(analysis.claims) + 1)]
    starts = [c.cue.start for c in analysis.claims if c.cue is not None]
    assert starts == sorted(starts)
    for claim in analysis.claims:
        for span in (claim.cue, claim.content, claim.source.span if claim.source else None):
            if span is not None:
                assert text[span.start : span.end] == span.text
        assert 0.0 <= claim.confidence <= 1.0
    assert len(analysis.claims) >= 3
