"""The story endpoints serve the ``storyline.story/1`` record: merged events with every source's
figures in time order, and the brief with its sources; a story stored without one is still served."""

from __future__ import annotations

from fastapi.testclient import TestClient

from storyline.model import Story
from storyline.store import Store
from tests.api.conftest import STORY_ID
from tests.stories.test_store_stories import story_record


def test_story_serves_its_record(client: TestClient, sample_store: Store) -> None:
    sample_store.put_story(story_record("s-berlin"))
    body = client.get("/v1/stories/s-berlin").json()
    record = Story.model_validate(body["story"])
    assert record == sample_store.get_story("s-berlin")
    assert [r["source"] for r in body["story"]["events"][0]["reports"]] == ["Reuters", "CNN"]
    assert body["story"]["brief"][0]["sources"][0]["article"] == "berlin-2016-12-19"
    assert (body["first_published"], body["last_published"], body["n_articles"]) == (
        "2016-12-19",
        "2016-12-23",
        2,
    )
    assert [e["id"] for e in body["events"]] == ["berlin-2016-12-19:v1", "milan-2016-12-23:v1"]


def test_a_story_without_a_record_is_served_without_one(client: TestClient) -> None:
    body = client.get(f"/v1/stories/{STORY_ID}").json()
    assert body["story"] is None and body["data"]["summary"].startswith("A truck attack")


def test_stories_listing_filters_by_size(client: TestClient, sample_store: Store) -> None:
    single = story_record("s-single").model_copy(update={"articles": story_record().articles[:1]})
    sample_store.put_story(story_record("s-berlin"))
    sample_store.put_story(single)
    page = client.get("/v1/stories").json()
    assert page["total"] == 3
    assert page["items"][-1]["id"] == "s-single"  # the largest first
    big = client.get("/v1/stories", params={"min_articles": 2}).json()
    assert big["total"] == 2 and {i["id"] for i in big["items"]} == {"s-berlin", STORY_ID}
    assert client.get("/v1/stories", params={"min_articles": 0}).status_code == 422
