"""The places stage: toponyms found in context, typed, and resolved to GeoNames.

Recognition (why beyond spaCy's GPE/LOC): the small model tags a town FAC or PERSON, a country ORG, and
news geoparsing gold (GeoWebNews) also counts national adjectives ("Italian police"), demonyms
("Mexicans") and place names inside organisation names ("the Toronto Transit Commission"). So the
candidates are (1) the entities stage's GPE/LOC mentions, (2) NORP mentions that are demonyms, (3) other
entities (ORG, FAC, PERSON...) whose whole name is a well-known place and that the entities stage did
not see as a person, (4) well-known place names or national adjectives at the start of an organisation
name, (5) an all-capitals dateline ("WASHINGTON —"), (6) proper nouns the model missed that name a
country, region or big city.

Type (``Place.type``), because "Italian police" is about Italy but does not say that something happened
in Italy: ``literal`` (the territory), ``metonymic`` ("Russia said": a government, people or team),
``modifier`` ("U.S. officials", "Toronto police"), ``demonym`` ("Italians", "Italian"), ``embedded``
(inside an organisation's name). One Place record per (GeoNames entry, type).

Resolution: each distinct name of the article gets the gazetteer's candidates (already in prior order:
countries, capitals and million-cities, regions, then population) and a trained linear ranker
(:mod:`storyline.components.geo.ranker`) re-scores them with the article's context: countries and
regions it names, a "Paris, Texas" container, distance to the other places it names, the publisher's
country. Two passes: the second uses the first pass's resolutions as "other places". One sense per
name per article. Two explicit statements override the weights: a container ("Paris, Texas", "Manassas,
Va.") removes the candidates outside it, and a region containing places the article names beats a
same-name country nothing else points to ("Georgia" with Atlanta). Country and region points, and
names the gazetteer lacks, come from tables learned on the training half
(:mod:`storyline.components.geo.lexicon`). A name the gazetteer does not know is kept but abstains
(no id or coordinates, low confidence); it never removes the article's other places.

Relative geography: "Sesto San Giovanni, a town near Milan" sets ``near`` of Sesto San Giovanni to
Milan's place id; :func:`event_place` picks the place of an event trigger.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from storyline.components.geo.lexicon import GeoLexicon
from storyline.components.geo.ranker import FEATURES, Context, Ranker, features, haversine_km
from storyline.gazetteer import Gazetteer, GeoEntry, GeoMatch, fold, get_gazetteer
from storyline.model import Article, Place

#: Labels whose mentions are toponyms when the gazetteer knows them (or, for GPE/LOC, even when not).
PLACE_LABELS: Final = frozenset({"GPE", "LOC"})
#: Labels whose whole name may be a mis-tagged place, or may carry a place at its start.
OTHER_LABELS: Final = frozenset({"ORG", "FAC", "PERSON", "PRODUCT", "EVENT", "WORK_OF_ART", "NORP"})
#: A city this large is well known enough to be taken from an ORG/PERSON tag or an unlabelled word.
MAJOR_CITY: Final = 100_000
#: Candidates ranked per name (the prior order keeps the plausible ones first).
MAX_CANDIDATES: Final = 40
#: Verbs whose subject is a place in its own right ("Milan lies..."), not a government or team.
LOCATIVE_VERBS: Final = frozenset(
    {"be", "lie", "sit", "border", "remain", "become", "stretch", "span", "cover", "include", "contain"}
)
GEOGRAPHIC_NOUNS: Final = frozenset(
    {
        "border", "borders", "coast", "capital", "city", "north", "south", "east", "west", "region",
        "territory", "soil", "streets", "street", "suburbs", "outskirts", "centre", "center", "heart",
        "airport", "port", "province", "state", "county", "area", "population", "people", "residents",
    }
)  # fmt: skip
DIRECTIONS: Final = frozenset(
    {
        "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
        "north-east", "north-west", "south-east", "south-west", "northern", "southern", "eastern",
        "western",
    }
)  # fmt: skip
#: Verbs whose object is a place as territory ("visited Russia"), not as an actor.
PLACE_VERBS: Final = frozenset(
    {
        "visit", "leave", "enter", "reach", "hit", "flee", "cross", "tour", "invade", "strike", "rock",
        "travel", "return", "move", "fly", "drive", "border", "explore", "see",
        "batter", "flood", "devastate", "shake", "evacuate", "join", "represent", "put", "bring",
    }
)  # fmt: skip
#: Prepositions whose object is a party to a relation ("talks with Russia", "sanctions against Iran").
RELATIONAL_PREPS: Final = frozenset({"with", "against", "between", "by", "toward", "towards", "than"})
#: Words that follow a town's name in the name of its local institutions ("Beverly Hills Police").
LOCAL_ORG_WORDS: Final = frozenset(
    {
        "police", "times", "post", "herald", "department", "council", "county", "city", "sheriff", "fire",
        "school", "schools", "university", "college", "hospital", "airport", "chamber", "news", "tribune",
        "gazette", "journal", "courier", "observer", "library", "township", "borough", "district",
        "regional", "municipal", "state", "public", "community", "board",
    }
)  # fmt: skip
REGION_WORDS: Final = frozenset({"Central", "Latin", "North", "South", "East", "West", "Southeast"})
NEAR_WORDS: Final = frozenset({"near", "outside", "nearby", "around"})
SETTLEMENT_NOUNS: Final = frozenset(
    {"town", "city", "village", "suburb", "district", "area", "neighbourhood", "neighborhood", "hamlet"}
)
#: Event-location prepositions for :func:`event_place`.
LOCATIVE_PREPS: Final = frozenset({"in", "at", "near", "outside", "on", "across", "inside", "into", "around"})
DATELINE_END: Final = re.compile(r"^\s*(?:\([^)]{1,40}\)\s*)?(?:[—–-]|\(|:)")
#: Country-code top-level domains that are not used for a country's publishers.
GENERIC_CCTLDS: Final = frozenset({"co", "tv", "io", "me", "ly", "fm", "ai", "ws", "cc", "to", "am", "eu"})
TLD_COUNTRY: Final = {"uk": "GB"}

#: Confidence scale by how the toponym was found (recognition confidence x resolution probability).
SOURCE_CONFIDENCE: Final = {
    "ner": 0.95,
    "demonym": 0.9,
    "retag": 0.75,
    "embedded": 0.7,
    "dateline": 0.9,
    "scan": 0.7,
}
UNRESOLVED_CONFIDENCE: Final = 0.2
CONTAINER: Final = FEATURES.index("container_next")
CONTAINS: Final = FEATURES.index("contains_other")


@dataclass
class Toponym:
    """A toponym mention over tokens ``[start, end)`` and what it was resolved to."""

    start: int
    end: int
    name: str
    type: str
    source: str
    matches: list[GeoMatch] = field(default_factory=list)
    entry: GeoEntry | None = None
    probability: float = 0.0
    near: int | None = None  # index of the anchor toponym ("near Milan")
    rows: list[list[float]] = field(default_factory=list)  # the ranker's features (kept for training)


# --- recognition -----------------------------------------------------------------------------------


def _clean(span: Span) -> tuple[int, int]:
    """Token bounds without a leading article or a trailing possessive or punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while end - start > 1 and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while end - start > 1 and doc[end - 1].text in {"'s", "’s", "'", "’", ",", ".", ";", ":", "-", "—"}:
        end -= 1
    return start, end


def _surface(doc: Doc, start: int, end: int) -> str:
    text = doc[start:end].text
    for suffix in ("'s", "’s"):
        text = text.removesuffix(suffix)
    return text.strip()


def _is_major(matches: list[GeoMatch]) -> bool:
    return any(
        m.entry.kind in ("country", "admin1", "continent") or m.entry.population >= MAJOR_CITY
        for m in matches
    )


class Recogniser:
    """Finds toponym mentions (see the module docstring for the sources, in order of trust)."""

    def __init__(self, gazetteer: Gazetteer, lexicon: GeoLexicon) -> None:
        self.gaz = gazetteer
        self.lex = lexicon

    def lookup(self, name: str) -> list[GeoMatch]:
        """Gazetteer candidates (prior order), after the AP abbreviations and the learned supplement."""
        state = self.lex.ap_state(name)
        if state is not None:
            return [GeoMatch(state, "acronym")]
        extra = self.lex.supplemented(name)
        if extra is not None:
            return [GeoMatch(extra, "name")]
        matches = self.gaz.matches(name)
        if not matches and name.lower().startswith("st "):
            matches = self.gaz.matches("Saint " + name[3:])
        elif not matches and name.lower().startswith("st. "):
            matches = self.gaz.matches("Saint " + name[4:])
        return [GeoMatch(self.lex.fix(m.entry), m.match) for m in matches[:MAX_CANDIDATES]]

    def demonym(self, text: str) -> GeoEntry | None:
        """The country (or UK nation, or continent) of a demonym or national adjective."""
        entry = self.lex.nation(text) or self.gaz.demonym(text)
        return None if entry is None else self.lex.fix(entry)

    def __call__(self, doc: Doc) -> list[Toponym]:
        found: list[Toponym] = []
        taken: set[int] = set()

        def add(top: Toponym) -> None:
            if any(i in taken for i in range(top.start, top.end)):
                return
            taken.update(range(top.start, top.end))
            found.append(top)

        dateline = self._dateline(doc)  # first: "WASHINGTON" there is the dateline, whatever its tag
        if dateline is not None:
            add(dateline)
        mentions = self._entity_mentions(doc)
        persons = self._person_names(doc)
        for start, end, label in mentions:
            start, end = _clean(doc[start:end])
            text = _surface(doc, start, end)
            if not text or not any(ch.isalpha() for ch in text):
                continue
            if start > 0 and doc[start - 1].text in REGION_WORDS and label in ("NORP", "GPE", "LOC"):
                wider = _surface(doc, start - 1, end)  # "Central American": a region, not America
                extra = self.lex.supplemented(wider) or self.demonym(wider)
                if extra is not None:
                    add(Toponym(start - 1, end, wider, "demonym", "demonym", entry=extra))
                    continue
            dem = self.demonym(text) if (label in ("NORP", "GPE") or end - start <= 2) else None
            if dem is None and label == "NORP":
                dem = self.lex.supplemented(text)  # "Central American" (learned; no country of its own)
            if label in PLACE_LABELS:
                matches = self.lookup(text)
                if dem is not None and not matches:
                    add(Toponym(start, end, text, "demonym", "demonym", entry=dem))
                elif matches or self._plausible_unknown(doc, start, end):
                    add(Toponym(start, end, text, "literal", "ner", matches))
                continue
            if dem is not None:
                add(Toponym(start, end, text, "demonym", "demonym", entry=dem))
                continue
            if label == "NORP":
                continue
            matches = self.lookup(text)
            if matches and _is_major(matches) and (label != "PERSON" or text not in persons):
                add(Toponym(start, end, text, "literal", "retag", matches))
                continue
            if (
                matches
                and label in ("PERSON", "FAC", "ORG", "PRODUCT")
                and text not in persons
                and self._place_context(doc, start)
            ):
                add(Toponym(start, end, text, "literal", "retag", matches))
                continue
            if label in ("ORG", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT"):
                inner = self._embedded(doc, start, end)
                if inner is not None:
                    add(inner)
        person_tokens = {i for start, end, label in mentions if label == "PERSON" for i in range(start, end)}
        for top in self._scan(doc, taken, person_tokens):
            add(top)
        found.sort(key=lambda t: t.start)
        return found

    @staticmethod
    def _entity_mentions(doc: Doc) -> list[tuple[int, int, str]]:
        """Name mentions with the entities stage's (repaired) labels, plus raw ents it dropped."""
        out: list[tuple[int, int, str]] = []
        covered: set[int] = set()
        for cluster in doc._.sl_clusters or []:
            for m in cluster.mentions:
                if m.kind == "name":
                    out.append((m.start, m.end, cluster.label))
                    covered.update(range(m.start, m.end))
        for ent in doc.ents:
            if not any(i in covered for i in range(ent.start, ent.end)):
                out.append((ent.start, ent.end, ent.label_))
        out.sort()
        return out

    @staticmethod
    def _person_names(doc: Doc) -> set[str]:
        """Surface forms of people named with two or more words (and their surnames)."""
        names: set[str] = set()
        for cluster in doc._.sl_clusters or []:
            if cluster.label != "PERSON":
                continue
            full = [m for m in cluster.mentions if m.kind == "name" and m.end - m.start >= 2]
            if not full and not cluster.titles:
                continue
            for m in cluster.mentions:
                if m.kind == "name":
                    names.add(doc[m.start : m.end].text)
        return names

    @staticmethod
    def _place_context(doc: Doc, start: int) -> bool:
        return start > 0 and doc[start - 1].lower_ in {"in", "at", "near", "from", "outside", "to"}

    def _plausible_unknown(self, doc: Doc, start: int, end: int) -> bool:
        """An unknown GPE/LOC is kept (unresolved) only when it looks like a place name."""
        span = doc[start:end]
        if not all(t.is_title or t.is_upper or not t.is_alpha for t in span):
            return False
        if end - start >= 2:
            return True
        return self._place_context(doc, start)

    def _embedded(self, doc: Doc, start: int, end: int) -> Toponym | None:
        """A place name inside an organisation's name: a well-known place or national adjective at its
        start or after "of" ("the Toronto Transit Commission", "University of California"), or a
        country or national adjective anywhere in it ("Star India", "the Canadian Press")."""
        starts = {start} | {i + 1 for i in range(start, end - 1) if doc[i].lower_ == "of"}
        for i in range(start, end):
            if not doc[i].text[:1].isupper() or not any(ch.isalpha() for ch in doc[i].text):
                continue
            for j in range(min(end, i + 4), i, -1):
                if j == end and i == start:
                    continue  # the whole name was checked already
                text = _surface(doc, i, j)
                dem = self.demonym(text)
                if dem is not None:
                    return Toponym(i, j, text, "embedded", "embedded", entry=dem)
                matches = self.lookup(text)
                if not matches:
                    continue
                if i in starts and _is_major(matches):
                    return Toponym(i, j, text, "embedded", "embedded", matches)
                if (
                    i == start
                    and j < end
                    and doc[j].lower_ in LOCAL_ORG_WORDS
                    and matches[0].match != "alternate"
                ):
                    return Toponym(i, j, text, "embedded", "embedded", matches)  # "Beverly Hills Police"
                if matches[0].entry.kind == "country" and matches[0].match != "alternate":
                    return Toponym(i, j, text, "embedded", "embedded", matches)
        return None

    def _dateline(self, doc: Doc) -> Toponym | None:
        """ "WASHINGTON —", "LOS ANGELES (AP) —" or "ROCKY MOUNT, N.C. —" at the start of the text."""
        i = 0
        while i < len(doc) and doc[i].is_space:
            i += 1
        j = i
        while j < len(doc) and j - i < 5 and doc[j].is_upper and doc[j].is_alpha:
            j += 1
        if j == i:
            return None
        rest = doc.text[doc[j - 1].idx + len(doc[j - 1].text) :][:40]
        if not DATELINE_END.match(rest) and not rest.startswith(","):
            return None
        text = doc[i:j].text
        matches = self.lookup(text)
        return Toponym(i, j, text, "literal", "dateline", matches) if matches else None

    def _scan(self, doc: Doc, taken: set[int], entity_tokens: set[int]) -> list[Toponym]:
        """Proper nouns (or national adjectives) the model missed that name a well-known place (never
        inside a person's name: ``entity_tokens``).

        Person names are skipped, so the "Victoria" of "Victoria Rowell" does not become a town.
        """
        out: list[Toponym] = []
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            if i in taken or i in entity_tokens or not tok.is_alpha or not (tok.is_title or tok.is_upper):
                i += 1
                continue
            if tok.pos_ == "ADJ":
                dem = self.demonym(tok.text)
                if dem is not None and dem.kind == "country":
                    out.append(Toponym(i, i + 1, tok.text, "demonym", "scan", entry=dem))
                i += 1
                continue
            if tok.pos_ != "PROPN" or len(tok) < 3:
                i += 1
                continue
            k = i
            while k < n and doc[k].pos_ == "PROPN" and k not in taken and k not in entity_tokens:
                k += 1
            found = None
            for j in range(min(k, i + 4), i, -1):  # the longest name at the start of the run
                text = doc[i:j].text
                matches = self.lookup(text)
                if matches and any(m.match != "alternate" for m in matches) and _is_major(matches):
                    found = Toponym(i, j, text, "literal", "scan", matches)
                    break
            if found is not None:
                out.append(found)
                i = found.end
            else:
                i += 1
        return out


# --- typing ----------------------------------------------------------------------------------------


def _type_of(doc: Doc, top: Toponym) -> str:
    """literal, metonymic or modifier, from the mention's syntactic role (demonyms are set already).

    Metonymic: the subject of a verb other than a locative one ("Russia said"), a possessor of a
    non-geographic noun ("Russia's response"), the object of a verb other than one of motion or
    place ("sanctioned Russia"), or the object of a relational preposition ("talks with Russia");
    a conjunct takes the role of its head ("Russia and China said").
    """
    if top.type in ("demonym", "embedded"):
        return top.type
    if top.source == "dateline":
        return "literal"
    span = doc[top.start : top.end]
    root = span.root
    while root.dep_ == "conj" and root.head is not root and root.head.i < top.start:
        root = root.head
    head = root.head
    in_span = top.start <= head.i < top.end
    dep = root.dep_
    if dep in ("compound", "amod", "nmod") and not in_span and head.pos_ in ("NOUN", "PROPN"):
        return "modifier"
    if dep == "poss":
        return "literal" if head.lower_ in GEOGRAPHIC_NOUNS else "metonymic"
    if dep in ("nsubj", "nsubjpass") and head.pos_ in ("VERB", "AUX") and head.lemma_ not in LOCATIVE_VERBS:
        return "metonymic"
    if dep == "dobj" and head.pos_ == "VERB" and head.lemma_ not in PLACE_VERBS:
        return "metonymic"
    if dep == "pobj" and head.lower_ in RELATIONAL_PREPS:
        return "metonymic"
    return "literal"


# --- relative geography ----------------------------------------------------------------------------


def _anchor_prep(doc: Doc, top: Toponym) -> Token | None:
    """The "near"/"outside"/"north of" token that makes this toponym an anchor, if any."""
    if top.start == 0:
        return None
    prev = doc[top.start - 1]
    if prev.lower_ in NEAR_WORDS:
        return prev
    if prev.lower_ == "of" and top.start >= 2 and doc[top.start - 2].lower_ in DIRECTIONS:
        return prev
    return None


def _appositive_gap(between: Span) -> bool:
    """Whether the words between a place and "near" are only an appositive settlement noun phrase:
    ", a town", " — a small village", "," (never a clause: ", the plan stalled")."""
    if not any(t.text in {",", "—", "–", "-"} for t in between):
        return False
    return all(t.is_punct or t.pos_ in ("DET", "ADJ") or t.lower_ in SETTLEMENT_NOUNS for t in between)


def _located_by(doc: Doc, prep: Token, tops: list[Toponym], anchor: int) -> int | None:
    """Which other toponym the anchor phrase locates: the head of the prepositional phrase, or the
    settlement noun in apposition to a toponym ("Sesto San Giovanni, a town near Milan")."""
    owner = {i: k for k, t in enumerate(tops) for i in range(t.start, t.end) if k != anchor}
    tok: Token = prep
    for _ in range(4):
        tok = tok.head
        if tok.i in owner:
            return owner[tok.i]
        if tok.lower_ in SETTLEMENT_NOUNS and tok.dep_ == "appos" and tok.head.i in owner:
            return owner[tok.head.i]
        if tok.head is tok:
            break
    # "X — a town near Y": the previous toponym in the sentence, separated by a comma or a dash
    sent_start = prep.sent.start
    for k in range(anchor - 1, -1, -1):
        t = tops[k]
        if t.start < sent_start or prep.i - t.end > 8:
            break
        between = doc[t.end : prep.i]
        if t.type != "demonym" and _appositive_gap(between):
            return k
    return None


# --- resolution ------------------------------------------------------------------------------------


def publisher_country(article: Article | None, gazetteer: Gazetteer) -> str | None:
    """The country of the publisher's domain (``.co.uk`` -> GB, ``.ca`` -> CA), else None."""
    if article is None or not article.url:
        return None
    url = article.url
    inner = url.find("http", 8)  # web.archive.org/web/2015.../http://www.wral.com/...: the original
    if "archive.org" in url[:40] and inner > 0:
        url = url[inner:]
    host = urlsplit(url).hostname or ""
    tld = host.rsplit(".", 1)[-1].lower()
    if tld in TLD_COUNTRY:
        return TLD_COUNTRY[tld]
    if len(tld) != 2 or tld in GENERIC_CCTLDS:
        return None
    try:
        return gazetteer.country(tld).country
    except KeyError:
        return None


class Resolver:
    """Ranks each name's candidates in the article's context (two passes; see the module docstring)."""

    def __init__(self, gazetteer: Gazetteer, ranker: Ranker) -> None:
        self.gaz = gazetteer
        self.ranker = ranker

    def contexts(
        self, doc: Doc, tops: list[Toponym], chosen: dict[str, GeoEntry], publisher: str | None
    ) -> dict[str, Context]:
        """The context of each distinct name: what the *other* names of the article say."""
        by_name: dict[str, list[Toponym]] = {}
        for t in tops:
            by_name.setdefault(fold(t.name), []).append(t)
        weight: dict[str, dict[str, float]] = {}
        admin: dict[str, set[tuple[str, str]]] = {}
        regions: dict[str, tuple[str, str]] = {}
        points: dict[str, tuple[float, float]] = {}
        for key, group in by_name.items():
            counts: dict[str, float] = {}
            e = group[0].entry if group[0].type == "demonym" else chosen.get(key)
            if e is None or e.country is None:
                weight[key] = counts
                continue
            w = 1.0 if e.kind == "country" or group[0].type == "demonym" else 0.5
            counts[e.country] = counts.get(e.country, 0.0) + w * len(group)
            weight[key] = counts
            if e.kind == "admin1" and e.admin1 is not None:
                admin[key] = {(e.country, e.admin1)}
            if e.kind == "city" and e.admin1 is not None:
                regions[key] = (e.country, e.admin1)
            if e.kind in ("city", "admin1"):
                points[key] = (e.lat, e.lon)
        out: dict[str, Context] = {}
        for key, group in by_name.items():
            countries: dict[str, float] = {}
            admin1: set[tuple[str, str]] = set()
            for other, counts in weight.items():
                if other != key:
                    for cc, value in counts.items():
                        countries[cc] = countries.get(cc, 0.0) + value
                    admin1 |= admin.get(other, set())
            top_country = max(sorted(countries), key=lambda cc: countries[cc]) if countries else None
            container: list[GeoEntry] = []
            for t in group:
                nxt = self._container(doc, t, tops)
                if nxt is not None:
                    container.extend(m.entry for m in nxt.matches if m.entry.kind in ("admin1", "country"))
                    if nxt.entry is not None and nxt.type == "demonym":
                        container.append(nxt.entry)
            out[key] = Context(
                countries=dict(countries),
                top_country=top_country,
                admin1=frozenset(admin1),
                city_regions=frozenset(r for other, r in regions.items() if other != key),
                city_countries=frozenset(r[0] for other, r in regions.items() if other != key),
                container=tuple(container),
                others=tuple(p for other, p in points.items() if other != key),
                publisher_country=publisher,
            )
        return out

    def _container(self, doc: Doc, top: Toponym, tops: list[Toponym]) -> Toponym | None:
        """The toponym right after "X," (as in "Paris, Texas"), or a US postal code as in "Paris, TX"."""
        if top.end + 1 >= len(doc) or doc[top.end].text != ",":
            return None
        for t in tops:
            if t.start == top.end + 1:
                return t
        code = doc[top.end + 1].text.replace(".", "")
        state = self.gaz.us_state(code) if len(code) == 2 and code.isupper() else None
        if state is not None:
            return Toponym(top.end + 1, top.end + 2, code, "literal", "ner", [GeoMatch(state, "acronym")])
        return None

    @staticmethod
    def _implausible(matches: list[GeoMatch], entry: GeoEntry, ctx: Context) -> bool:
        """A small place found only under one of its alternate names, in a country the article never
        names and far from every other place it names ("Bagram" -> an Iranian village called Bahrām
        in an article about Kabul): the gazetteer lacks the place meant, so abstain."""
        if any(m.match != "alternate" for m in matches) or entry.population >= 10_000 or not ctx.others:
            return False
        if entry.country is not None and ctx.countries.get(entry.country, 0.0) > 0:
            return False
        return min(haversine_km(entry.lat, entry.lon, lat, lon) for lat, lon in ctx.others) > 500

    @staticmethod
    def _region_over_country(
        matches: list[GeoMatch], rows: list[list[float]], ctx: Context, best: int
    ) -> int:
        """ "Georgia" with Atlanta: a region that contains places the article names beats a same-name
        country that nothing else in the article points to (few training articles show this, so it
        is a rule rather than a weight)."""
        top = matches[best].entry
        if top.kind != "country" or top.country is None:
            return best
        if ctx.countries.get(top.country, 0.0) > 0 or top.country in ctx.city_countries:
            return best
        for i, row in enumerate(rows):
            if row[CONTAINS] and matches[i].entry.kind == "admin1":
                return i
        return best

    def __call__(self, doc: Doc, tops: list[Toponym], publisher: str | None) -> None:
        by_name: dict[str, list[Toponym]] = {}
        for t in tops:
            if t.entry is None:  # demonyms come with their country already
                by_name.setdefault(fold(t.name), []).append(t)
        chosen: dict[str, GeoEntry] = {k: g[0].matches[0].entry for k, g in by_name.items() if g[0].matches}
        probs: dict[str, float] = {}
        for _ in range(2):
            ctx = self.contexts(doc, tops, chosen, publisher)
            new: dict[str, GeoEntry] = {}
            for key, group in by_name.items():
                matches = group[0].matches
                if not matches:
                    continue
                rows = features(matches, ctx[key])
                for t in group:
                    t.rows = rows
                p = self.ranker.rank(rows)
                # "Paris, Texas" states where the place is: candidates outside the container drop out
                inside = [i for i, row in enumerate(rows) if row[CONTAINER]]
                if inside and len(inside) < len(rows):
                    total = sum(p[i] for i in inside)
                    p = [p[i] / total if i in inside else 0.0 for i in range(len(p))]
                best = max(range(len(p)), key=lambda i: (p[i], -i))
                best = self._region_over_country(matches, rows, ctx[key], best)
                new[key] = matches[best].entry
                probs[key] = p[best]
            chosen = new
        final = self.contexts(doc, tops, chosen, publisher)
        for key, group in by_name.items():
            entry = chosen.get(key)
            if entry is not None and self._implausible(group[0].matches, entry, final[key]):
                entry = None  # abstain: see _implausible
            for t in group:
                t.entry = entry
                t.probability = probs.get(key, 0.0) if entry is not None else 0.0
        for t in tops:
            if t.type in ("demonym", "embedded") and t.entry is not None and not t.matches:
                t.probability = 1.0


# --- the stage -------------------------------------------------------------------------------------


class PlacesStage:
    """Finds, types and resolves toponyms; assigns ``doc._.sl_places`` (see the module docstring)."""

    def __init__(self, gazetteer: Gazetteer, ranker: Ranker) -> None:
        self.gaz = gazetteer
        self.recognise = Recogniser(gazetteer, GeoLexicon(gazetteer))
        self.resolve = Resolver(gazetteer, ranker)

    def toponyms(self, doc: Doc) -> list[Toponym]:
        """Recognised, typed and resolved toponym mentions, in text order (also used by training)."""
        tops = self.recognise(doc)
        for t in tops:
            t.type = _type_of(doc, t)
        self.resolve(doc, tops, publisher_country(doc._.article, self.gaz))
        for k, t in enumerate(tops):
            prep = _anchor_prep(doc, t)
            if prep is not None:
                located = _located_by(doc, prep, tops, k)
                if located is not None:
                    tops[located].near = k
        return tops

    def __call__(self, doc: Doc) -> Doc:
        doc._.sl_places = self.places(doc, self.toponyms(doc))
        return doc

    def places(self, doc: Doc, tops: list[Toponym]) -> list[Place]:
        """Group mentions into Place records, one per (entry, type), ids in order of first mention."""
        groups: dict[tuple[object, str], list[int]] = {}
        for k, t in enumerate(tops):
            ident: object = t.entry.geonameid if t.entry is not None else ("?", fold(t.name))
            groups.setdefault((ident, t.type), []).append(k)
        place_of: dict[int, str] = {}
        ordered = list(groups.items())
        for n, (_key, members) in enumerate(ordered, start=1):
            for k in members:
                place_of[k] = f"p{n}"
        out = []
        for n, (_key, members) in enumerate(ordered, start=1):
            first = tops[members[0]]
            e = first.entry
            near = next((place_of[a] for k in members if (a := tops[k].near) is not None), None)
            mentions = []
            for k in members:
                span = doc[tops[k].start : tops[k].end]
                mentions.append({"start": span.start_char, "end": span.end_char, "text": span.text})
            base = SOURCE_CONFIDENCE.get(first.source, 0.7)
            conf = (
                base * (0.5 + 0.5 * max(tops[k].probability for k in members)) if e else UNRESOLVED_CONFIDENCE
            )
            admin1 = None
            if (
                e is not None
                and e.country is not None
                and e.admin1 is not None
                and e.kind in ("city", "admin1")
            ):
                admin1 = self.gaz.admin1_name(e.country, e.admin1)
            out.append(
                Place.model_validate(
                    {
                        "id": f"p{n}",
                        "name": e.name if e is not None else first.name,
                        "mentions": mentions,
                        "geonameid": e.geonameid if e is not None and e.geonameid > 0 else None,
                        "country": e.country if e is not None else None,
                        "admin1": admin1,
                        "lat": e.lat if e is not None else None,
                        "lon": e.lon if e is not None else None,
                        "type": first.type,
                        "confidence": round(min(1.0, max(0.0, conf)), 3),
                        "near": near,
                    }
                )
            )
        return out


# --- the event's place -----------------------------------------------------------------------------

#: Place types that can be where something happened (a demonym or an organisation's name cannot).
EVENT_PLACE_TYPES: Final = frozenset({"literal", "modifier", "metonymic"})


def _place_tokens(doc: Doc) -> dict[int, Place]:
    places: list[Place] = doc._.sl_places or []
    out: dict[int, Place] = {}
    for place in places:
        if place.type not in EVENT_PLACE_TYPES:
            continue
        for m in place.mentions:
            if m.field == "title":
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for tok in span:
                    out[tok.i] = place
    return out


def event_place(doc: Doc, trigger: Token | Span) -> Place | None:
    """The place where the event of ``trigger`` happened (:func:`_located_place`), as a settlement
    when the text gives one for it.

    A local report places its incident in a town, and says where in it: "in the 4200 block of East
    Kossuth", "in the Hill District", "in Bucks County", "Texas". When the place found is a street,
    a neighbourhood or a county (no city of the gazetteer) or a state, the event's town is, first that
    applies: the nearest city in the trigger's sentence, the dateline's city ("SHERADEN (KDKA) —" is
    no city; "TULSA, Okla. (AP) —" is), the first city the text names. Inside a state only a city of
    that state qualifies. A country stays as it is: an international report names its cities for
    many things besides the event.
    """
    place = _located_place(doc, trigger)
    if place is None or _settlement(place):
        return place
    gazetteer = get_gazetteer()
    entry = gazetteer.by_id(place.geonameid) if place.geonameid is not None else None
    if entry is not None and entry.kind not in {"admin1"}:
        return place  # a country or a continent
    places = _place_tokens(doc)
    cities = [(i, p) for i, p in sorted(places.items()) if p.type == "literal" and _settlement(p)]
    if entry is not None:
        cities = [(i, p) for i, p in cities if p.country == place.country and p.admin1 == place.admin1]
    if not cities:
        return place
    root = trigger.root if isinstance(trigger, Span) else trigger
    sent = root.sent
    in_sentence = [(abs(i - root.i), i, p) for i, p in cities if sent.start <= i < sent.end]
    if in_sentence:
        return min(in_sentence, key=lambda x: (x[0], x[1]))[2]
    dateline = _dateline_place(doc, places)
    if dateline is not None and _settlement(dateline) and any(p.id == dateline.id for _, p in cities):
        return dateline
    return cities[0][1]


def _settlement(place: Place) -> bool:
    """Whether the place is a city, town or village of the gazetteer (not a region, not unresolved)."""
    if place.geonameid is None:
        return False
    entry = get_gazetteer().by_id(place.geonameid)
    return entry is not None and entry.kind == "city"


def _dateline_place(doc: Doc, places: dict[int, Place]) -> Place | None:
    """The place of a dateline that opens a paragraph: "TULSA, Okla. (AP) —", "CHICAGO (CBS) —"."""
    text = doc.text  # built anew on every access
    for i, place in sorted(places.items()):
        tok = doc[i]
        before = places.get(i - 1)
        if before is not None and before.id == place.id:
            continue
        if not tok.is_upper:
            continue
        line_start = text.rfind("\n", 0, tok.idx) + 1
        if text[line_start : tok.idx].strip(" \t-–—"):
            continue
        end = i
        while end + 1 < len(doc) and (after := places.get(end + 1)) is not None and after.id == place.id:
            end += 1
        rest = text[doc[end].idx + len(doc[end].text) :][:40]
        if DATELINE_END.match(rest) or rest.startswith(","):
            return place
    return None


def _located_place(doc: Doc, trigger: Token | Span) -> Place | None:
    """The place where the event of ``trigger`` happened, by this rule (first that applies):

    1. a place in a locative prepositional phrase ("in/at/near/outside X") attached to the trigger or
       to its head (the verb of "was killed in a shootout in Sesto"), searching the phrase's subtree
       so "in a shootout in Sesto San Giovanni" still finds the town;
    2. else the nearest literal (or modifier) place in the trigger's sentence;
    3. else the article's dateline place, else its most mentioned literal place (ties: first named);
    4. else None.

    Demonyms ("Italian police") and places inside organisation names are never an event's place.
    """
    places = _place_tokens(doc)
    if not places:
        return None
    root = trigger.root if isinstance(trigger, Span) else trigger
    heads = [root]
    if root.head.i != root.i:
        heads.append(root.head)
    for h in heads:
        for child in h.children:
            if child.dep_ == "prep" and child.lower_ in LOCATIVE_PREPS:
                for tok in child.subtree:
                    if tok.i in places:
                        return places[tok.i]
    sent = root.sent
    literal = [(abs(i - root.i), i, p) for i, p in places.items() if sent.start <= i < sent.end]
    literal = [x for x in literal if x[2].type in ("literal", "modifier")]
    if literal:
        return min(literal, key=lambda x: (x[0], x[1]))[2]
    ordered = sorted(places.items())
    first_i, first_place = ordered[0]
    if doc[:first_i].text.strip() == "" and first_place.type == "literal":
        return first_place  # the dateline
    dateline = _dateline_place(doc, places)  # one after a photo caption or a site's banner
    if dateline is not None and dateline.type == "literal":
        return dateline
    counts = Counter(p.id for _, p in ordered if p.type == "literal")
    if not counts:
        return None
    best = max(counts.values())
    for _, p in ordered:
        if p.type == "literal" and counts[p.id] == best:
            return p
    return None


@Language.factory("storyline_places", assigns=["doc._.sl_places"])
def make_places(nlp: Language, name: str) -> PlacesStage:
    return PlacesStage(get_gazetteer(), Ranker.load())
