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


def _toy_model(**kwargs: Any) -> Any:
    """A hand-weighted cue model: "call" is a strong cue word, "for" after it a weak one."""
    from storyline.components.attribution.model import AttributionModel, LinearModel

    cue = LinearModel(["no", "cue"], {"bias": [-4.0], "l=call": [6.0], "pl|l=call|for": [5.0]}, **kwargs)
    role = LinearModel(["none", "source", "content"], {"bias": [1.0, 0.0, 0.0]})
    return AttributionModel(cue=cue, role=role, cue_threshold=0.8, cue_grow=0.4)


def test_cue_decoding_grows_a_strong_word_into_its_weak_neighbours(nlp: Language) -> None:
    """Hysteresis: "for" after "call" (p 0.73) is under the seed threshold (0.8) but joins "called"."""
    from storyline.components.attribution.extract import detect_cues
    from storyline.components.attribution.features import quote_depth

    doc = nlp("The senator called for a new inquiry into the contracts.")
    model = _toy_model()
    cues = detect_cues(doc, model, quote_depth(doc))
    assert [[doc[i].text for i in run] for run, _ in cues] == [["called", "for"]]
    model.cue_threshold = 0.99  # nothing reaches the seed threshold: no cue at all, even "for"
    assert detect_cues(doc, model, quote_depth(doc)) == []


def test_dense_part_applies_only_to_a_tensor_of_its_width(nlp: Language) -> None:
    import numpy as np

    from storyline.components.attribution.extract import dense_cue_scores

    doc = nlp("Officials said the bridge would reopen.")
    width = doc.tensor.shape[1]
    model = _toy_model(dense=[1.0] * width, center=[0.0] * width, scale=[2.0] * width)
    scores = dense_cue_scores(doc, model)
    assert scores is not None and len(scores) == len(doc)
    assert scores[1] == pytest.approx(float(np.sum(doc.tensor[1]) / 2.0), rel=1e-4)
    narrow = _toy_model(dense=[1.0] * 3, center=[0.0] * 3, scale=[1.0] * 3)
    assert dense_cue_scores(doc, narrow) is None  # a tensor of another width: the sparse part decides


def test_model_file_round_trip_keeps_lexicon_dense_part_and_thresholds(tmp_path: Any) -> None:
    import numpy as np

    from storyline.components.attribution.model import AttributionModel

    model = _toy_model(dense=[0.5, -0.5], center=[0.1, 0.2], scale=[1.0, 2.0])
    model.cue_prior = {"say|VERB": 0.9}
    model.save(tmp_path / "m.json.gz")
    back = AttributionModel.load(tmp_path / "m.json.gz")
    assert back.cue_prior == {"say|VERB": 0.9}
    assert (back.cue_threshold, back.cue_grow) == (0.8, 0.4)
    assert back.cue.dense_width == 2
    m = np.array([[1.0, 1.0]], dtype=np.float32)
    assert back.cue.dense_scores(m) == pytest.approx(model.cue.dense_scores(m))


def test_reported_telling_keeps_its_own_claim(nlp: Language) -> None:
    """A chain ("X told Y ..., according to Z") keeps X's claim beside the "according to" one."""
    text = (
        "The ceasefire collapsed within hours, a senior army officer told reporters in Kyiv, "
        "according to a transcript released by the ministry."
    )
    analysis = _analyze(nlp, text)
    cues = [c.cue.text.lower() for c in analysis.claims if c.cue is not None]
    assert any(cue.startswith("told") for cue in cues), cues
    claim = next(c for c in analysis.claims if c.cue is not None and c.cue.text.lower().startswith("told"))
    assert "ceasefire collapsed" in claim.content.text
    assert claim.source is not None and "army officer" in claim.source.text
