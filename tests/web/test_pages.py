"""The UI's pages without a browser: what they say when a stage found nothing, the article fallback of
the stories list, escaping, and HTML error pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.api import create_app
from storyline.model import Analysis, Article
from storyline.store import Store
from tests.api.conftest import add_story, no_analysis
from tests.store.samples import all_samples
from tests.web.conftest import HOSTILE_ID, HOSTILE_NAME, hostile

HTML = {"accept": "text/html"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'pages.db'}") as opened:
        for analysis in [*all_samples(), hostile()]:
            opened.upsert(analysis)
        yield opened


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store=store, analyzer=no_analysis)) as c:
        yield c


def test_index_falls_back_to_articles_until_stories_exist(client: TestClient, store: Store) -> None:
    page = client.get("/", headers=HTML).text
    assert 'id="no-stories"' in page and "Listing the stored articles instead" in page
    assert "Truck rams Berlin Christmas market" in page
    add_story(store)
    page = client.get("/", headers=HTML).text
    assert 'id="no-stories"' not in page
    assert "Berlin Christmas market attack" in page and "2 articles" in page


def test_empty_store_says_so(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'empty.db'}") as store, TestClient(create_app(store=store)) as client:
        page = client.get("/", headers=HTML).text
    assert "The store holds no article (none found)" in page


def test_empty_stages_say_none_found(client: TestClient, store: Store) -> None:
    bare = Analysis(article=Article(id="bare", text="Nothing to see here.", published="2020-01-01"))
    store.upsert(bare)
    page = client.get("/articles/bare", headers=HTML).text
    assert page.count("none found") >= 5  # entities, places, times, claims, events
    assert "No event found in this article" in page


def test_article_page_escapes_everything(client: TestClient) -> None:
    page = client.get(f"/articles/{HOSTILE_ID}", headers=HTML).text
    assert "<script>window.__pwned" not in page
    assert "&lt;script&gt;window.__pwned=4&lt;/script&gt;" in page
    assert HOSTILE_NAME not in page
    assert "javascript:" not in page  # a non-http(s) article URL is not linked


def test_search_snippet_marks_are_the_only_markup(client: TestClient) -> None:
    page = client.get("/", params={"q": "pwned"}, headers=HTML).text
    assert "<mark>" in page
    assert "<script>window.__pwned" not in page


def test_story_page(client: TestClient, store: Store) -> None:
    add_story(store)
    page = client.get("/stories/story-berlin-attack", headers=HTML).text
    assert 'id="markers-data"' in page and "Sesto San Giovanni" in page
    assert "/static/vendor/leaflet/leaflet.js" in page and "unpkg" not in page


def test_entity_page(client: TestClient) -> None:
    page = client.get("/entities/milan-2016-12-23:e1", headers=HTML).text
    assert "Anis Amri" in page and "shot dead" in page


def test_unknown_pages_are_html_404(client: TestClient) -> None:
    for path in ("/articles/nope", "/stories/nope", "/entities/nope:e1", "/nothing-here"):
        response = client.get(path, headers=HTML)
        assert response.status_code == 404, path
        assert "text/html" in response.headers["content-type"]
        assert "E100" in response.text


def test_security_headers(client: TestClient) -> None:
    page = client.get("/articles/berlin-2016-12-19", headers=HTML)
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in client.get("/docs").headers  # Swagger UI's inline start-up
