"""Request and response bodies of the HTTP API (their JSON Schemas are the OpenAPI document's)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from storyline.model import Entity, Event, Story

#: Longest text or HTML ``POST /v1/analyze`` accepts, in characters (the body limit also applies).
MAX_TEXT = 200_000


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnalyzeRequest(Body):
    """One article to analyse: ``text`` (the body) or ``html`` (a page; no URL is fetched), not both."""

    text: str | None = Field(default=None, max_length=MAX_TEXT, description="The article body, verbatim.")
    html: str | None = Field(default=None, max_length=MAX_TEXT, description="An HTML page of one article.")
    published: str | None = Field(
        default=None, max_length=40, description="Publication date, ISO 8601 (YYYY-MM-DD or a date-time)."
    )
    source: str | None = Field(default=None, max_length=200, description="The publisher, e.g. CNN.")
    title: str | None = Field(default=None, max_length=1000)
    id: str | None = Field(default=None, max_length=200, description="The article's own id, if any.")


class ErrorDetail(Body):
    code: str = Field(description="E100-E119, see storyline.errors")
    message: str


class ErrorBody(Body):
    error: ErrorDetail


class Page(Body):
    limit: int
    offset: int
    total: int


class ArticleItem(Body):
    id: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    language: str | None
    n_entities: int
    n_places: int
    n_claims: int
    n_events: int


class ArticlePage(Page):
    items: list[ArticleItem]


class EventItem(Body):
    id: str = Field(description="{article_id}:{event_id}")
    article_id: str
    article_title: str | None
    published: str | None
    source: str | None
    event: Event


class EventPage(Page):
    items: list[EventItem]


class EntityRef(Body):
    id: str = Field(description="{article_id}:{entity_id}")
    article_id: str
    title: str | None
    published: str | None
    n_mentions: int


class EntityView(Body):
    id: str = Field(description="{article_id}:{entity_id}")
    article_id: str
    article_title: str | None
    published: str | None
    source: str | None
    entity: Entity
    also_in: list[EntityRef] = Field(description="The same label and name in other articles.")
    events: list[str] = Field(description="Ids of this article's events with the entity as who/whom.")
    claims: list[str] = Field(description="Ids of this article's claims the entity is the source of.")


class StoryItem(Body):
    id: str
    title: str | None
    created_at: str | None
    updated_at: str | None
    n_articles: int
    first_published: str | None = Field(default=None, description="Its first article's publication date.")
    last_published: str | None = Field(default=None, description="Its last article's publication date.")
    data: dict[str, Any] | None


class StoryPage(Page):
    items: list[StoryItem]


class StoryArticle(Body):
    id: str
    title: str | None
    published: str | None
    source: str | None
    score: float | None


class StoryView(StoryItem):
    articles: list[StoryArticle]
    events: list[EventItem] = Field(description="The events of the story's articles, oldest first.")
    story: Story | None = Field(
        default=None,
        description="The storyline.story/1 record: the events merged across sources in time order "
        "(the timeline) with every source's figures, and the brief with its sources; null when the "
        "story was stored without one.",
    )


class SearchItem(Body):
    id: str
    title: str | None
    published: str | None
    snippet: str = Field(description="Matched words are between [ and ].")
    score: float


class SearchPage(Body):
    query: str
    limit: int
    offset: int
    items: list[SearchItem]
