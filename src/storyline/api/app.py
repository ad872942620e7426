"""The FastAPI app: the REST API under ``/v1``, OpenAPI at ``/docs``, and the web UI (``storyline.api.web``).

Why one app for both: the UI is a view of the same queries, and one process on one port is what a
newsroom laptop runs (``storyline serve``). The store is opened once per app; the spaCy pipeline is
loaded on the first ``POST /v1/analyze`` only, so browsing a store costs no model load.

Errors are JSON ``{"error": {"code": "E1xx", "message": ...}}`` on the API (and an HTML page on the UI):
404 E100, 400/422 E101 and E105, 405 E106, 413 E102, 500 E103 (the message never carries internals).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline import __version__
from storyline.api import queries, schemas
from storyline.errors import Errors, Problem, StorylineError
from storyline.model import Analysis, Article
from storyline.store import Store

log = logging.getLogger("storyline.api")

WEB = Path(__file__).resolve().parent.parent / "web"
#: Largest request body accepted, in bytes (413 E102 above it).
MAX_BODY = 1_000_000
#: Page size caps of every listing.
MAX_LIMIT = 200
MAX_OFFSET = 100_000

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (at most {MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]

Analyzer = Callable[[Article], Analysis]
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ApiError(Exception):
    """An error answered as ``{"error": {"code", "message"}}`` with an HTTP status."""

    def __init__(self, status: int, code: str, **fields: object) -> None:
        self.status = status
        self.code = code
        self.message = str(getattr(Errors, code)).format(**fields)
        super().__init__(f"[{code}] {self.message}")


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def pipeline_analyzer() -> Analyzer:
    """Analyse with the full pipeline, loaded on first use; one analysis at a time (spaCy is not
    thread-safe and the server runs sync endpoints in a thread pool)."""
    lock = threading.Lock()

    def analyze(article: Article) -> Analysis:
        from storyline import get_nlp
        from storyline.pipeline import analyze_many

        with lock:
            (result,) = analyze_many(get_nlp(), [article])
        if isinstance(result, Problem):
            raise result
        return result

    return analyze


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413 E102, before the app reads them.

    A declared Content-Length over the limit is refused at once; otherwise the body is read up to the
    limit (chunked uploads included) and replayed to the app.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def _refuse(self, send: Send) -> None:
        message = Errors.E102.format(limit=self.limit)
        body = JSONResponse(error_body("E102", message), status_code=413).body
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.limit + 1
                if declared > self.limit:
                    await self._refuse(send)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; let the app see it
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


#: Defence in depth for the UI: even if some text were ever rendered unescaped, no inline script or
#: foreign script could run. Leaflet sets inline styles; map tiles come from OpenStreetMap when online.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class SecurityHeaders:
    """Adds ``Content-Security-Policy`` (not on /docs, whose Swagger UI starts from an inline script)
    and ``X-Content-Type-Options: nosniff`` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [(b"x-content-type-options", b"nosniff")]
        if scope.get("path") != "/docs":
            extra.append((b"content-security-policy", CSP.encode()))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_api(request: Request) -> bool:
    path = request.url.path
    return (
        path.startswith("/v1")
        or path.startswith("/openapi")
        or "text/html" not in request.headers.get("accept", "")
    )


def create_app(
    db_url: str | None = None,
    *,
    store: Store | None = None,
    analyzer: Analyzer | None = None,
    max_body: int = MAX_BODY,
) -> FastAPI:
    """The app over the store at ``db_url`` (or an open ``store``, which the caller then closes)."""
    owned = store is None
    opened = store if store is not None else Store(db_url)
    analyze = analyzer or pipeline_analyzer()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if owned:
                opened.close()

    app = FastAPI(
        title="Storyline",
        version=__version__,
        description="News articles as sourced knowledge: events, claims, entities, places, dates, stories.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        responses={
            404: {"model": schemas.ErrorBody, "description": "E100 not found"},
            413: {"model": schemas.ErrorBody, "description": "E102 request body too large"},
            422: {"model": schemas.ErrorBody, "description": "E101 invalid request"},
        },
    )
    app.state.store = opened
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

    # -- errors -------------------------------------------------------------------------------

    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        if not _is_api(request):
            from storyline.api.web import error_page

            return error_page(request, exc.status, exc.code, exc.message)
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            err = ApiError(404, "E100", what=request.url.path)
        elif exc.status_code == 405:
            err = ApiError(405, "E106", method=request.method)
        elif exc.status_code == 413:
            err = ApiError(413, "E102", limit=max_body)
        else:
            err = ApiError(exc.status_code, "E101", reason=str(exc.detail))
        response = await on_api_error(request, err)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        parts = []
        for item in exc.errors()[:5]:
            where = ".".join(str(p) for p in item.get("loc", ()))
            parts.append(f"{where}: {item.get('msg', 'invalid')}")
        return await on_api_error(request, ApiError(422, "E101", reason="; ".join(parts) or "invalid"))

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return await on_api_error(request, ApiError(500, "E103", kind=type(exc).__name__))

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)

    # -- API ------------------------------------------------------------------------------------

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Storyline API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    @app.post("/v1/analyze", response_model=Analysis, tags=["analysis"])
    def analyze_article(body: schemas.AnalyzeRequest) -> Analysis:
        """Analyse one article (text, or the HTML of one page) and return `storyline.analysis/1`.

        Nothing is stored. The pipeline is loaded on the first call.
        """
        if (body.text is None) == (body.html is None):
            raise ApiError(422, "E108")
        try:
            if body.html is not None:
                from storyline.ingest.html import html_article

                read = html_article(
                    queries.clean(body.html).encode("utf-8"),
                    "request",
                    published=body.published,
                    source=body.source,
                )
                if isinstance(read, Problem):
                    raise ApiError(422, "E107", reason=str(read))
                article = read
                if body.title or body.id:
                    article = article.model_copy(
                        update={"title": body.title or article.title, "id": body.id or article.id}
                    )
            else:
                from storyline.ingest.base import make_article

                text = body.text or ""
                if not text.strip():
                    raise ApiError(422, "E101", reason="text: empty article")
                article = make_article(
                    text, id=body.id, title=body.title, published=body.published, source=body.source
                )
        except StorylineError as exc:
            if isinstance(exc, ApiError):
                raise
            raise ApiError(422, "E101", reason=str(exc)) from exc
        try:
            return analyze(article)
        except StorylineError as exc:
            raise ApiError(422, "E104", reason=str(exc)) from exc

    @app.get("/v1/articles", response_model=schemas.ArticlePage, tags=["articles"])
    def list_articles(limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Stored articles, newest first, with the number of items found in each."""
        rows = opened.list_articles(limit=limit, offset=offset)
        return {
            "limit": limit,
            "offset": offset,
            "total": opened.count("articles"),
            "items": [schemas.ArticleItem.model_validate(r, from_attributes=True) for r in rows],
        }

    @app.get("/v1/articles/{article_id:path}", response_model=Analysis, tags=["articles"])
    def get_article(article_id: str) -> Analysis:
        """One stored article's analysis (`storyline.analysis/1`), exactly as stored."""
        analysis = opened.get_analysis(queries.clean(article_id))
        if analysis is None:
            raise ApiError(404, "E100", what=f"article {article_id!r}")
        return analysis

    @app.get("/v1/events", response_model=schemas.EventPage, tags=["events"])
    def list_events(
        *,
        type: Annotated[str | None, Query(max_length=40, description="PLOVER type, e.g. ASSAULT.")] = None,
        since: Annotated[str | None, Query(description="YYYY[-MM[-DD]], inclusive.")] = None,
        until: Annotated[str | None, Query(description="YYYY[-MM[-DD]], inclusive.")] = None,
        near: Annotated[str | None, Query(max_length=100, description="lat,lon,km")] = None,
        entity: Annotated[
            str | None, Query(max_length=500, description="An entity id ({article_id}:{entity_id}) or name.")
        ] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Events across the store, latest first; filters combine with AND."""
        for name, value in (("since", since), ("until", until)):
            if value is not None and not queries.is_date_prefix(value):
                raise ApiError(422, "E101", reason=f"{name}: expected YYYY, YYYY-MM or YYYY-MM-DD")
        where = None
        if near is not None:
            where = queries.Near.parse(near)
            if where is None:
                raise ApiError(422, "E105", value=near)
        page = queries.find_events(
            opened,
            type=type,
            since=since,
            until=until,
            near=where,
            entity=entity,
            limit=limit,
            offset=offset,
        )
        return {"limit": limit, "offset": offset, "total": page.total, "items": page.items}

    @app.get("/v1/entities/{entity_id:path}", response_model=schemas.EntityView, tags=["entities"])
    def get_entity(entity_id: str) -> dict[str, Any]:
        """An entity (id `{article_id}:{entity_id}`) and where the same name appears in other articles."""
        found = queries.get_entity(opened, entity_id)
        if found is None:
            raise ApiError(404, "E100", what=f"entity {entity_id!r} (ids are article_id:entity_id)")
        view, _analysis = found
        return {
            "id": view.id,
            "article_id": view.article_id,
            "article_title": view.article_title,
            "published": view.published,
            "source": view.source,
            "entity": view.entity,
            "also_in": view.also_in,
            "events": view.events,
            "claims": view.claims,
        }

    @app.get("/v1/stories", response_model=schemas.StoryPage, tags=["stories"])
    def list_stories(
        limit: Limit = 50,
        offset: Offset = 0,
        min_articles: Annotated[int, Query(ge=1, le=100_000, description="Only stories this large.")] = 1,
    ) -> dict[str, Any]:
        """Stories (articles clustered on one story as they are ingested), the largest first, then the
        latest; empty until articles are ingested with stories (or `storyline stories --rebuild`)."""
        items, total = queries.list_stories(opened, limit=limit, offset=offset, min_articles=min_articles)
        return {"limit": limit, "offset": offset, "total": total, "items": items}

    @app.get("/v1/stories/{story_id:path}", response_model=schemas.StoryView, tags=["stories"])
    def get_story(story_id: str) -> dict[str, Any]:
        """A story with its articles, its `storyline.story/1` record (`story`: the timeline of merged
        events with every source's figures, and the brief with its sources) and its articles' events."""
        story = queries.get_story(opened, story_id)
        if story is None:
            raise ApiError(404, "E100", what=f"story {story_id!r}")
        return story

    @app.get("/v1/search", response_model=schemas.SearchPage, tags=["search"])
    def search(
        q: Annotated[str, Query(max_length=500, description="Words that must all appear.")],
        limit: Limit = 20,
        offset: Annotated[int, Query(ge=0, le=1000)] = 0,
    ) -> dict[str, Any]:
        """Full-text search over article titles and texts (all words must match), best first."""
        query = queries.clean(q)
        hits = opened.search(query, limit=offset + limit)[offset:]
        return {
            "query": query,
            "limit": limit,
            "offset": offset,
            "items": [schemas.SearchItem.model_validate(h, from_attributes=True) for h in hits],
        }

    from storyline.api.web import register_web

    register_web(app)
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(SecurityHeaders)
    return app
