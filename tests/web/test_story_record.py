"""The story page over a ``storyline.story/1`` record: brief with source links, the timeline of merged
events with per-source figures, one map marker per located event, and every string escaped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.api import create_app
from storyline.model import EventPlace
from storyline.store import Store
from tests.api.conftest import no_analysis
from tests.store.samples import all_samples
from tests.stories.test_store_stories import story_record

HTML = {"accept": "text/html"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with Store(f"sqlite:///{tmp_path / 'story.db'}") as store:
        store.upsert_many(all_samples())
        record = story_record("s-berlin")
        event = record.events[0].model_copy(
            update={"where": EventPlace(name="Berlin <b>", lat=52.52, lon=13.405)}
        )
        hostile = record.model_copy(
            update={"title": "<script>window.__pwned=1</script> attack", "events": [event]}
        )
        store.put_story(hostile)
        with TestClient(create_app(store=store, analyzer=no_analysis)) as c:
            yield c


def test_story_page_shows_the_record(client: TestClient) -> None:
    page = client.get("/stories/s-berlin", headers=HTML).text
    assert "<script>window.__pwned" not in page and "&lt;script&gt;window.__pwned" in page
    assert "Berlin &lt;b&gt;" in page and "Berlin <b>" not in page
    assert 'class="brief"' in page and 'href="/articles/berlin-2016-12-19"' in page
    assert "A truck drove into a Christmas market in Berlin." in page
    figures = page.split('figures-killed">', 1)[1].split("</dd>", 1)[0]
    assert "12" in figures and "Reuters 2016-12-19" in figures and "at least 12" in figures
    assert "CNN 2016-12-23" in figures
    assert 'id="markers-data"' in page and page.count('<li data-event="s-berlin:v1"') == 1


def test_index_lists_the_story(client: TestClient) -> None:
    page = client.get("/", headers=HTML).text
    assert 'href="/stories/s-berlin"' in page and "&lt;script&gt;" in page


@pytest.mark.slow
def test_story_record_in_the_browser(page: Any, base_url: str, web_store_url: str, artifacts: Path) -> None:
    """The record's page in Chromium: brief with its sources, merged events, the map without network."""
    record = story_record("s-browser").model_copy(update={"title": "Market attack: the story so far"})
    event = record.events[0].model_copy(update={"where": EventPlace(name="Berlin", lat=52.52, lon=13.405)})
    with Store(web_store_url) as store:
        store.put_story(record.model_copy(update={"events": [event]}))
    try:
        page.goto(f"{base_url}/", wait_until="domcontentloaded")
        page.locator("section.stories a", has_text="Market attack: the story so far").click()
        page.wait_for_selector("#map[data-markers='1']", timeout=10_000)
        assert page.locator("ol.brief li").count() == 1
        assert page.locator("ol.brief a.cite").first.get_attribute("href") == "/articles/berlin-2016-12-19"
        card = page.locator("ol.timeline .card.story-event")
        assert card.count() == 1
        killed = card.first.locator(".figures-killed").inner_text()
        assert "12 (Reuters 2016-12-19)" in killed and "at least 12 (CNN 2016-12-23)" in killed
        page.screenshot(path=str(artifacts / "story-record.png"), full_page=True)
        assert page.js_errors == []
    finally:
        with Store(web_store_url) as store:
            store.delete_story("s-browser")
