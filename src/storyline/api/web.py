"""The web UI: server-rendered Jinja2 pages over the same queries as the API, plus a little vanilla JS.

Article text, titles and every extracted string are untrusted: the environment autoescapes every
value, no template marks user data safe, and the only markup built in Python (search snippets) is
escaped first. Pages show what the analysis holds and say "none found" for an empty stage.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from storyline.api import queries
from storyline.api.evidence import KINDS, article_segments
from storyline.model import Story
from storyline.store import Store
from storyline.store.search import HIT_END, HIT_START
from storyline.store.stories import source_figures

_ENV = Environment(
    loader=FileSystemLoader(str(Path(__file__).resolve().parent.parent / "web" / "templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=_ENV)
PAGE = 50


def marked_snippet(snippet: str) -> Markup:
    """A search snippet with its hit markers as ``<mark>``: escaped first, so only the marks are markup."""
    safe = str(escape(snippet))
    return Markup(safe.replace(HIT_START, "<mark>").replace(HIT_END, "</mark>"))


def json_script(value: Any) -> Markup:
    """JSON for a ``<script type="application/json">`` block: ``<``, ``>``, ``&`` escaped as \\u003c...
    so no string in it can close the script element."""
    text = json.dumps(value, ensure_ascii=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


_ENV.filters["snippet"] = marked_snippet
_ENV.filters["json_script"] = json_script
_ENV.globals["source_figures"] = source_figures


def error_page(request: Request, status: int, code: str, message: str) -> Response:
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "code": code, "message": message}, status_code=status
    )


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def register_web(app: FastAPI) -> None:
    """Add the UI's pages to ``app``."""
    from storyline.api.app import ApiError

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(
        request: Request,
        q: str = Query("", max_length=500),
        offset: int = Query(0, ge=0, le=100_000),
    ) -> Response:
        store = _store(request)
        query = queries.clean(q).strip()
        context: dict[str, Any] = {"q": query, "offset": offset, "page": PAGE}
        if query:
            context["hits"] = store.search(query, limit=PAGE)
        stories, n_stories = queries.list_stories(store, limit=PAGE, offset=offset)
        context["stories"] = stories
        context["n_stories"] = n_stories
        if not n_stories:
            context["articles"] = store.list_articles(limit=PAGE, offset=offset)
            context["n_articles"] = store.count("articles")
        return templates.TemplateResponse(request, "index.html", context)

    @app.get("/stories/{story_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> Response:
        story = queries.get_story(_store(request), story_id)
        if story is None:
            raise ApiError(404, "E100", what=f"story {story_id!r}")
        record: Story | None = story["story"]
        if record is not None:  # the merged events: one marker per real-world event
            markers = [
                {
                    "lat": ev.where.lat,
                    "lon": ev.where.lon,
                    "label": f"{ev.type} — {ev.where.name}",
                    "id": ev.id,
                }
                for ev in record.events
                if ev.where is not None and ev.where.lat is not None and ev.where.lon is not None
            ]
        else:  # a story stored without a record: each article's events
            markers = [
                {
                    "lat": e["event"].where.lat,
                    "lon": e["event"].where.lon,
                    "label": f"{e['event'].type} — {e['event'].where.name}",
                    "id": e["id"],
                }
                for e in story["events"]
                if e["event"].where is not None
                and e["event"].where.lat is not None
                and e["event"].where.lon is not None
            ]
        sources = {a.article: a for a in record.articles} if record is not None else {}
        titles = {a["id"]: a["title"] for a in story["articles"]}  # the stored articles' own titles
        return templates.TemplateResponse(
            request,
            "story.html",
            {"story": story, "record": record, "markers": markers, "sources": sources, "titles": titles},
        )

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> Response:
        analysis = _store(request).get_analysis(queries.clean(article_id))
        if analysis is None:
            raise ApiError(404, "E100", what=f"article {article_id!r}")
        title_segments, text_segments = article_segments(analysis)
        entities = {e.id: e for e in analysis.entities}
        claims = {c.id: c for c in analysis.claims}
        return templates.TemplateResponse(
            request,
            "article.html",
            {
                "a": analysis,
                "article": analysis.article,
                "title_segments": title_segments,
                "text_segments": text_segments,
                "entities": entities,
                "claims": claims,
                "kinds": KINDS,
            },
        )

    @app.get("/entities/{entity_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, entity_id: str) -> Response:
        found = queries.get_entity(_store(request), entity_id)
        if found is None:
            raise ApiError(404, "E100", what=f"entity {entity_id!r} (ids are article_id:entity_id)")
        view, analysis = found
        events = [e for e in analysis.events if e.id in view.events]
        claims = [c for c in analysis.claims if c.id in view.claims]
        return templates.TemplateResponse(
            request, "entity.html", {"v": view, "e": view.entity, "events": events, "claims": claims}
        )
