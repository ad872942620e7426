"""The web UI in a real browser (headless Chromium through Playwright): evidence highlighting,
untrusted article text that never runs, the stories list, and the story map without network.

Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.web.conftest import HOSTILE_ID, HOSTILE_NAME, SEED_ID, XSS_ID

pytestmark = pytest.mark.slow


def open_page(page: Any, url: str) -> None:
    response = page.goto(url, wait_until="domcontentloaded")
    assert response is not None and response.status == 200, url


def test_seed_article_highlights_evidence(page: Any, base_url: str, artifacts: Path) -> None:
    open_page(page, f"{base_url}/articles/{SEED_ID}")
    assert "Anis Amri" in page.inner_text("#article-text")
    assert page.locator(".ev.hl").count() == 0
    entity = page.locator("button.item.k-entity", has_text="Amri").first
    entity.click()
    highlighted = page.locator("#article-text .ev.hl")
    assert highlighted.count() >= 2  # every mention of the entity, not just the first
    texts = highlighted.all_inner_texts()
    assert any("Amri" in t for t in texts), texts
    assert entity.evaluate("b => b.classList.contains('selected')")
    target = entity.get_attribute("data-target")
    assert all(target in (run.get_attribute("data-items") or "").split() for run in highlighted.all())
    page.screenshot(path=str(artifacts / "article-seed-entity.png"), full_page=True)

    # Clicking evidence in the text selects an item covering it.
    place = page.locator("#article-text .ev.k-place").first
    if place.count():
        place.click()
        assert page.locator("#article-text .ev.hl").count() >= 1
        page.screenshot(path=str(artifacts / "article-seed-place.png"), full_page=True)
    assert page.js_errors == []


@pytest.mark.parametrize("article_id", [XSS_ID, HOSTILE_ID])
def test_script_in_article_never_runs(page: Any, base_url: str, artifacts: Path, article_id: str) -> None:
    open_page(page, f"{base_url}/articles/{quote(article_id, safe='')}")
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    text = page.inner_text("#article-text")
    if article_id == XSS_ID:
        assert "<script>window.__pwned=1</script>" in text
        assert '<img src=x onerror="window.__pwned=2">' in text
        assert "<b>bold</b> & 'quotes' \"too\"" in text
    else:
        assert HOSTILE_NAME in text
        assert "<script>window.__pwned=5</script> headline" in page.inner_text("#article-title")
        assert HOSTILE_NAME in page.inner_text("#panel")
        page.locator("button.item.k-entity").first.click()
        assert HOSTILE_NAME in page.locator("#article-text .ev.hl").first.inner_text()
        assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator("#article script, #panel script").count() == 0
    assert page.locator("#article img, #panel img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.js_errors == []
    page.screenshot(
        path=str(artifacts / f"article-{article_id.split('-', maxsplit=1)[0]}-escaped.png"), full_page=True
    )


def test_hostile_entity_page_and_search(page: Any, base_url: str) -> None:
    open_page(page, f"{base_url}/entities/{quote(HOSTILE_ID + ':e1', safe='')}")
    assert HOSTILE_NAME in page.inner_text("h1")
    open_page(page, f"{base_url}/?q=pwned")
    assert page.locator("ol.hits li").count() >= 1
    assert page.locator("ol.hits mark").count() >= 1
    open_page(page, f"{base_url}/")
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.js_errors == []


def test_stories_list_and_story_map_offline(page: Any, base_url: str, artifacts: Path) -> None:
    open_page(page, f"{base_url}/")
    link = page.locator("section.stories a", has_text="Berlin Christmas market attack")
    assert link.count() == 1
    link.click()
    page.wait_for_selector("#map")
    # Leaflet is vendored: the markers appear even though no tile can be fetched here.
    page.wait_for_selector("#map[data-markers='2']", timeout=10_000)
    assert page.locator("#map .leaflet-marker-icon").count() == 2
    assert page.locator("#marker-list li").count() == 2
    cards = page.locator("ol.timeline .card.event")
    assert cards.count() == 2
    first = cards.first.inner_text()
    assert (
        "ASSAULT" in first
        and "killed" in first
        and "2016-12-19" in page.locator("ol.timeline li").first.inner_text()
    )
    page.screenshot(path=str(artifacts / "story-map.png"), full_page=True)
    assert page.js_errors == []


def test_seed_search_from_the_index(page: Any, base_url: str, artifacts: Path) -> None:
    open_page(page, f"{base_url}/")
    page.fill("form.search input[name=q]", "Amri Milan")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_selector("ol.hits")
    page.screenshot(path=str(artifacts / "index-search.png"), full_page=True)
    page.locator("ol.hits a", has_text="Anis Amri").first.click()
    page.wait_for_selector("#article-text")
    assert page.url.endswith(f"/articles/{SEED_ID}")
    page.locator("a.go").first.click()  # the first entity's page
    page.wait_for_selector("h1.entity-name")
    page.screenshot(path=str(artifacts / "entity-page.png"), full_page=True)
    assert page.js_errors == []


def test_openapi_docs_render_offline(page: Any, base_url: str) -> None:
    open_page(page, f"{base_url}/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)  # vendored Swagger UI, no CDN
    assert page.locator(".swagger-ui .opblock").count() >= 8
    assert page.js_errors == []
