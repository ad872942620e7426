"""The entities stage on real news sentences: repairs, clusters, titles, ages, descriptions, pronouns."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from storyline.components import ner_repair
from storyline.ingest.base import make_article
from storyline.model import Analysis, Entity
from storyline.pipeline import analyze_many


class Places:
    """A two-entry gazetteer, so the repairs are tested on their logic alone."""

    def __init__(self, names: dict[str, int]) -> None:
        self.names = {k.lower(): v for k, v in names.items()}

    def is_place_name(self, name: str) -> bool:
        return name.lower() in self.names

    def is_major_place(self, name: str) -> bool:
        return self.names.get(name.lower(), 0) >= ner_repair.MAJOR_PLACE_POPULATION

    def canonical(self, name: str) -> tuple[int, str] | None:
        return None


def run(nlp: Language, text: str) -> Analysis:
    (result,) = analyze_many(nlp, [make_article(text, published="2019-10-01")])
    assert isinstance(result, Analysis)
    return result


def person(analysis: Analysis, name: str) -> Entity:
    matches = [e for e in analysis.entities if e.label == "PERSON" and e.name == name]
    assert matches, [(e.label, e.name) for e in analysis.entities]
    return matches[0]


def _doc_with_ents(nlp: Language, text: str, ents: list[tuple[str, str]]) -> Doc:
    doc = nlp(text)
    spans = []
    for phrase, label in ents:
        start = text.index(phrase)
        span = doc.char_span(start, start + len(phrase), label=label)
        assert span is not None
        spans.append(SpacySpan(doc, span.start, span.end, label=label))
    doc.ents = spans
    return doc


@pytest.mark.slow
class TestRepairs:
    def test_multiword_town_tagged_fac_becomes_gpe(self, nlp: Language) -> None:
        doc = _doc_with_ents(nlp, "Police said the shootout took place in Sesto San Giovanni overnight.",
                             [("Sesto San Giovanni", "FAC")])  # fmt: skip
        cands = ner_repair.retag_places(
            doc, ner_repair.candidates_from_ner(doc), Places({"Sesto San Giovanni": 81000})
        )
        assert [(doc[c.start : c.end].text, c.label) for c in cands] == [("Sesto San Giovanni", "GPE")]

    def test_place_run_into_a_person_is_split(self, nlp: Language) -> None:
        text = "Chief Executive of Hong Kong Carrie Lam spoke. Lam said the bill was dead."
        doc = _doc_with_ents(nlp, text, [("Hong Kong Carrie Lam", "GPE"), ("Lam said", "PERSON")][:1])
        lam = doc.char_span(text.index("Lam said"), text.index("Lam said") + 3, label="PERSON")
        assert lam is not None
        doc.ents = [*doc.ents, lam]
        places = Places({"Hong Kong": 7_000_000})
        cands = ner_repair.split_place_person(doc, ner_repair.candidates_from_ner(doc), places)
        assert [(doc[c.start : c.end].text, c.label) for c in cands] == [
            ("Hong Kong", "GPE"), ("Carrie Lam", "PERSON"), ("Lam", "PERSON")
        ]  # fmt: skip
        # a place name the gazetteer knows whole is left alone
        whole = ner_repair.split_place_person(
            doc, ner_repair.candidates_from_ner(doc), Places({"Hong Kong Carrie Lam": 1, "Hong Kong": 1})
        )
        assert [c.label for c in whole] == ["GPE", "PERSON"]

    def test_unknown_multiword_name_is_left_alone(self, nlp: Language) -> None:
        doc = _doc_with_ents(
            nlp, "The fire broke out at Grand Central Market on Sunday.", [("Grand Central Market", "FAC")]
        )
        cands = ner_repair.retag_places(
            doc, ner_repair.candidates_from_ner(doc), Places({"Milan": 1_300_000})
        )
        assert [c.label for c in cands] == ["FAC"]

    def test_name_followed_by_network_is_an_organisation(self, nlp: Language) -> None:
        doc = _doc_with_ents(nlp, "He was a member of the so-called Abu Walaa network in Germany.",
                             [("Abu Walaa", "PERSON"), ("Germany", "GPE")])  # fmt: skip
        cands = ner_repair.org_suffix(doc, ner_repair.candidates_from_ner(doc), Places({}))
        assert ("Abu Walaa network", "ORG") in [(doc[c.start : c.end].text, c.label) for c in cands]

    def test_title_word_tagged_org_is_dropped(self, nlp: Language) -> None:
        doc = _doc_with_ents(nlp, "Italian Interior Minister Marco Minniti spoke on Friday.",
                             [("Interior", "ORG"), ("Marco Minniti", "PERSON")])  # fmt: skip
        cands = ner_repair.drop_title_words(doc, ner_repair.candidates_from_ner(doc), Places({}))
        assert [c.label for c in cands] == ["PERSON"]

    def test_bare_surname_tagged_gpe_joins_the_person(self, nlp: Language) -> None:
        doc = _doc_with_ents(nlp, "Marco Minniti spoke on Friday. Minniti said the case was closed.",
                             [("Marco Minniti", "PERSON"), ("Minniti said", "GPE")][:1])  # fmt: skip
        second = doc.char_span(31, 38, label="GPE")
        assert second is not None
        doc.ents = [*doc.ents, second]
        cands = ner_repair.surname_mentions(doc, ner_repair.candidates_from_ner(doc), Places({}))
        assert [(doc[c.start : c.end].text, c.label) for c in cands] == [
            ("Marco Minniti", "PERSON"), ("Minniti", "PERSON")
        ]  # fmt: skip

    def test_leading_article_and_possessive_are_trimmed(self, nlp: Language) -> None:
        doc = _doc_with_ents(nlp, "Officials said the European Union's budget was approved.",
                             [("the European Union's", "ORG")])  # fmt: skip
        cands = ner_repair.trim_boundaries(doc, ner_repair.candidates_from_ner(doc), Places({}))
        assert [doc[c.start : c.end].text for c in cands] == ["European Union"]


@pytest.mark.slow
class TestClusters:
    def test_surname_joins_full_name_with_title(self, nlp: Language) -> None:
        a = run(nlp, "British Prime Minister Boris Johnson said on Tuesday that the deal was dead. "
                     "Johnson added that talks with Brussels would continue.")  # fmt: skip
        johnson = person(a, "Boris Johnson")
        assert [m.text for m in johnson.mentions if m.kind == "name"] == ["Boris Johnson", "Johnson"]
        assert "Prime Minister" in johnson.titles

    def test_apposition_title_and_age(self, nlp: Language) -> None:
        a = run(nlp, "The gunman, John Smith, 34, was arrested at his home in Dayton. "
                     "Sheriff Rob Streck said Smith had no criminal record.")  # fmt: skip
        smith = person(a, "John Smith")
        assert smith.attributes.get("age") == 34
        assert "gunman" in smith.titles
        assert any(m.text == "Smith" for m in smith.mentions)
        assert "Sheriff" in person(a, "Rob Streck").titles

    def test_same_title_different_people_stay_apart(self, nlp: Language) -> None:
        a = run(nlp, "French Foreign Minister Jean-Yves Le Drian met German Foreign Minister Heiko Maas "
                     "in Berlin on Monday. Maas said the talks were useful.")  # fmt: skip
        people = [e for e in a.entities if e.label == "PERSON"]
        names = {e.name for e in people}
        assert "Heiko Maas" in names
        maas = person(a, "Heiko Maas")
        assert all("Drian" not in m.text for m in maas.mentions)

    def test_pronoun_resolves_to_previous_subject(self, nlp: Language) -> None:
        a = run(nlp, "Angela Merkel met Emmanuel Macron in Paris on Monday. "
                     "She said the talks had been productive.")  # fmt: skip
        merkel = person(a, "Angela Merkel")
        assert any(m.kind == "pronoun" and m.text == "She" for m in merkel.mentions)
        assert not any(m.kind == "pronoun" for m in person(a, "Emmanuel Macron").mentions)

    def test_description_with_age_joins_the_person(self, nlp: Language) -> None:
        a = run(nlp, "Police named the victim as Maria Lopez, 27. Neighbours said the 27-year-old "
                     "had moved to the street last year.")  # fmt: skip
        lopez = person(a, "Maria Lopez")
        assert lopez.attributes.get("age") == 27
        assert any(m.kind == "nominal" and "27-year-old" in m.text for m in lopez.mentions)

    def test_indefinite_description_is_not_a_mention(self, nlp: Language) -> None:
        a = run(nlp, "Anis Amri was killed in a shootout. A policeman was injured in the shootout.")
        amri = person(a, "Anis Amri")
        assert all("policeman" not in m.text for m in amri.mentions)

    def test_offsets_point_into_the_text(self, nlp: Language) -> None:
        text = "Prime Minister Jacinda Ardern said on Friday that Ardern's government would act."
        a = run(nlp, text)
        for e in a.entities:
            for m in e.mentions:
                assert text[m.start : m.end] == m.text
