"""The data model of ``storyline.analysis/1``.

Every record is a frozen pydantic model whose serialised keys are exactly the keys of the output
contract in docs/design.md. Field names that clash with Python or pydantic (``schema``) use aliases;
always serialise with :func:`dump` (``by_alias=True``) so the keys stay those of the contract.

Why pydantic rather than dataclasses: the JSON Schema printed by ``storyline schema`` and the
validation of stored or posted analyses come from the same declarations.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "storyline.analysis/1"

Label = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
ClaimKind = Literal["direct", "indirect", "according_to", "mixed"]
EventStatus = Literal["occurred", "alleged", "planned", "threatened", "hypothetical", "negated"]
Field_ = Literal["text", "title"]


class Record(BaseModel):
    """Base of every output record: immutable, unknown keys refused, aliases on output."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Span(Record):
    """Evidence: character offsets into ``article.text`` (or ``article.title`` when ``field`` says so)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    field: Field_ | None = None


class Mention(Span):
    """A mention of an entity: a name, a description ("the suspect") or a pronoun ("he")."""

    kind: Literal["name", "nominal", "pronoun"] = "name"


class Article(Record):
    """One input article. ``text`` is the body verbatim: every offset in an analysis points into it."""

    id: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    author: str | None = None
    language: str | None = "en"
    text: str


class Entity(Record):
    """A person, organisation or other named thing, with every mention that refers to it."""

    id: str
    label: str
    name: str
    titles: list[str] = Field(default_factory=list)
    attributes: dict[str, Any] = Field(default_factory=dict)
    mentions: list[Mention] = Field(default_factory=list)
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class Place(Record):
    """A toponym resolved (or not) to GeoNames; ``type`` tells a territory mention from a demonym."""

    id: str
    name: str
    mentions: list[Span] = Field(default_factory=list)
    geonameid: int | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    type: str | None = None
    near: str | None = None
    """Id of the anchor place of a relative location ("Sesto San Giovanni, a town near Milan")."""
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)


class Time(Record):
    """A time expression with its TIMEX3 value resolved against the publication date."""

    id: str
    span: Span
    type: TimexType
    value: str | None = None
    interval: list[str] | None = None
    granularity: str | None = None
    timezone: str | None = None
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)


class Argument(Record):
    """A participant or source: the text always, the span when the text names it, the entity if linked."""

    text: str
    span: Span | None = None
    entity: str | None = None
    role: str | None = None
    """An event argument's role when a model assigned one: PerpInd, PerpOrg, Target, Victim, Weapon
    (MUC-4's roles, see storyline.components.roles)."""


class Claim(Record):
    """An attribution: who (source) said (cue) what (content)."""

    id: str
    source: Argument | None = None
    cue: Span | None = None
    content: Span
    kind: ClaimKind
    channel: str | None = None
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)


class EventTime(Record):
    time: str | None = None
    value: str | None = None


class EventPlace(Record):
    place: str | None = None
    name: str
    lat: float | None = None
    lon: float | None = None
    span: Span | None = None
    """The words that place the event: a site in the event's locative phrase ("outside Trump Tower"),
    else the place's mention nearest the trigger."""


class Quantity(Record):
    """A count as the text gave it: "dozens" is low 24 and value null; "up to 100,000" is high 100000."""

    value: int | None = None
    low: int | None = None
    high: int | None = None
    text: str
    span: Span | None = None


class Event(Record):
    id: str
    type: str
    mode: str | None = None
    trigger: Span
    status: EventStatus
    who: list[Argument] = Field(default_factory=list)
    whom: list[Argument] = Field(default_factory=list)
    when: EventTime | None = None
    where: EventPlace | None = None
    how: list[Span] = Field(default_factory=list)
    instruments: list[Argument] = Field(default_factory=list)
    """The weapons a model found (``role`` "Weapon"; see storyline.components.roles); also in ``how``,
    whose spans carry no role."""
    why: list[Span] = Field(default_factory=list)
    killed: Quantity | None = None
    injured: Quantity | None = None
    claims: list[str] = Field(default_factory=list)
    evidence: list[Span] = Field(default_factory=list)
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    what: Span | None = None
    """The predicate phrase that says what happened: trigger with its object or complement."""
    salience: float | None = Field(default=None, ge=0.0, le=1.0)
    """How central the event is to the article (headline, lead, mentions, arguments); the highest is
    the article's main event. None when not ranked."""
    manner: list[Span] = Field(default_factory=list)
    """How it was done, as the parse gives it: the trigger's by/with/via/through/using phrases ("by
    shooting", "with a suicide car bomb"), means clauses and manner adverbs ("brutally"). ``how``
    keeps instruments and modes (the MUC-4 Weapon); coders of 5W1H answer "how" with these."""


Question = Literal["who", "what", "when", "where", "why", "how"]


class Answer(Record):
    """One answer to a 5W1H question about the article's main event, with the words it quotes."""

    text: str
    span: Span | None = None
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    method: Literal["rules", "ranker"] = "rules"
    """Which answered: the main event's arguments (rules) or the learned answer ranker."""


class FiveW1H(Record):
    """The article's main event in 5W1H: the best answer per question (absent: no answer).

    Built by :mod:`storyline.components.fivew1h` from the parse and the main event, per question by
    the rules or by a learned ranker over candidate phrases, whichever was better on held-out data.
    """

    who: Answer | None = None
    what: Answer | None = None
    when: Answer | None = None
    where: Answer | None = None
    why: Answer | None = None
    how: Answer | None = None


class Analysis(Record):
    """What Storyline found in one article."""

    schema_: Literal["storyline.analysis/1"] = Field(default="storyline.analysis/1", alias="schema")
    article: Article
    entities: list[Entity] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    times: list[Time] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    highlights: list[Span] = Field(default_factory=list)
    fivew1h: FiveW1H | None = None
    """The main event in 5W1H (who, what, when, where, why, how); None when the article has no event."""


# --- stories: `storyline.story/1` ------------------------------------------------------------------

STORY_SCHEMA_VERSION = "storyline.story/1"


class StoryArticle(Record):
    """An article of a story, with the score of its assignment (similarity to the story, 0-1)."""

    article: str
    score: float = Field(ge=0.0, le=1.0)
    title: str | None = None
    published: str | None = None
    source: str | None = None


class SourceReport(Record):
    """What one article reported about a story event: its own event, figures and claims."""

    article: str
    event: str
    """The article's own event id (``e3``): the evidence is that event's spans in that article."""
    source: str | None = None
    published: str | None = None
    killed: Quantity | None = None
    injured: Quantity | None = None
    claims: list[str] = Field(default_factory=list)
    """Ids of the article's claims that state the event."""


class Figure(Record):
    """A count across sources: the latest report's value, and the range of every source's value."""

    latest: int | None = None
    """The value of the most recently published source that gave one ("the death toll rose to")."""
    low: int | None = None
    high: int | None = None
    sources: int = 0
    """How many sources gave a figure."""


class StoryEvent(Record):
    """One real-world event reported by one or more articles of a story."""

    id: str
    type: str
    mode: str | None = None
    status: EventStatus
    label: str
    """A short description: the predicate phrase of its most salient report ("kills Qasem Soleimani")."""
    when: str | None = None
    """TIMEX3 value of the event's time, the most precise the sources agree on."""
    granularity: str | None = None
    where: EventPlace | None = None
    killed: Figure | None = None
    injured: Figure | None = None
    reports: list[SourceReport] = Field(default_factory=list)
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)


class SourceSpan(Record):
    """Evidence in one article of a story."""

    article: str
    span: Span


class BriefSentence(Record):
    """A sentence of a story's brief and the sources it comes from."""

    text: str
    sources: list[SourceSpan] = Field(default_factory=list)


class Story(Record):
    """Articles on one story, their events merged across sources, in event-time order, and a brief."""

    schema_: Literal["storyline.story/1"] = Field(default="storyline.story/1", alias="schema")
    id: str
    title: str | None = None
    articles: list[StoryArticle] = Field(default_factory=list)
    events: list[StoryEvent] = Field(default_factory=list)
    """Ordered by event time (the timeline), undated events last."""
    brief: list[BriefSentence] = Field(default_factory=list)


def dump(record: Record) -> dict[str, Any]:
    """Serialise a record to plain JSON-able data with the contract's key names."""
    return record.model_dump(mode="json", by_alias=True)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``storyline.analysis/1`` (printed by ``storyline schema``)."""
    schema = Analysis.model_json_schema(by_alias=True)
    schema["$id"] = "https://storyline.invalid/schema/analysis-1.json"
    schema["title"] = SCHEMA_VERSION
    return schema
