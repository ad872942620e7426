"""The HTTP API over the sample store: listings, filters, ids, pagination caps, errors as JSON."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.api import create_app
from storyline.model import Analysis, Article
from storyline.store import Store
from tests.api.conftest import STORY_ID


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message"}
    return dict(body["error"])


def test_articles_list_paginates(client: TestClient) -> None:
    page = client.get("/v1/articles", params={"limit": 2}).json()
    assert page["total"] == 3 and page["limit"] == 2 and page["offset"] == 0
    assert [a["id"] for a in page["items"]] == ["milan-2016-12-23", "berlin-2016-12-19"]
    rest = client.get("/v1/articles", params={"limit": 2, "offset": 2}).json()
    assert [a["id"] for a in rest["items"]] == ["paris-protest"]
    assert page["items"][0]["n_events"] == 1 and page["items"][0]["n_claims"] == 1


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"offset": 10**9}])
def test_pagination_caps(client: TestClient, params: dict[str, int]) -> None:
    response = client.get("/v1/articles", params=params)
    assert response.status_code == 422
    assert error_of(response)["code"] == "E101"


def test_article_is_the_stored_analysis(client: TestClient, sample_store: Store) -> None:
    body = client.get("/v1/articles/milan-2016-12-23").json()
    assert body["schema"] == "storyline.analysis/1"
    assert Analysis.model_validate(body) == sample_store.get_analysis("milan-2016-12-23")


def test_unknown_ids_are_404_json(client: TestClient) -> None:
    for path in (
        "/v1/articles/nope",
        "/v1/entities/nope:e1",
        "/v1/entities/no-colon",
        "/v1/stories/nope",
        "/v1/x",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert error_of(response)["code"] == "E100"


def test_method_not_allowed_is_json(client: TestClient) -> None:
    response = client.delete("/v1/articles")
    assert response.status_code == 405
    assert error_of(response)["code"] == "E106"


def test_events_filters(client: TestClient) -> None:
    def ids(**params: Any) -> list[str]:
        return [e["id"] for e in client.get("/v1/events", params=params).json()["items"]]

    assert ids() == ["milan-2016-12-23:v1", "berlin-2016-12-19:v1", "paris-protest:v1"]  # undated last
    assert ids(type="assault") == ["milan-2016-12-23:v1", "berlin-2016-12-19:v1"]
    assert ids(type="PROTEST") == ["paris-protest:v1"]
    assert ids(since="2016-12-20") == ["milan-2016-12-23:v1"]
    assert ids(until="2016-12-19") == ["berlin-2016-12-19:v1"]
    assert ids(since="2016-12", until="2016-12") == ["milan-2016-12-23:v1", "berlin-2016-12-19:v1"]
    assert ids(near="45.46,9.19,25") == ["milan-2016-12-23:v1"]  # Milan: Sesto is ~8 km away
    assert ids(near="45.46,9.19,5") == []
    assert ids(near="52.5,13.4,1000") == ["milan-2016-12-23:v1", "berlin-2016-12-19:v1"]
    assert ids(entity="Anis Amri") == ["milan-2016-12-23:v1"]  # whom
    assert ids(entity="anis amri") == ["milan-2016-12-23:v1"]
    assert ids(entity="milan-2016-12-23:e1") == ["milan-2016-12-23:v1"]
    assert ids(entity="Angela Merkel") == []  # in the article, but no participant of its event
    assert ids(entity="Nobody") == []
    event = client.get("/v1/events", params={"type": "ASSAULT", "limit": 1}).json()
    assert event["total"] == 2
    item = event["items"][0]
    assert item["article_title"] and item["source"] is not None
    assert item["event"]["killed"]["value"] == 1


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"near": "45,9"}, "E105"),
        ({"near": "91,9,10"}, "E105"),
        ({"near": "nan,9,10"}, "E105"),
        ({"near": "45,9,0"}, "E105"),
        ({"since": "yesterday"}, "E101"),
        ({"until": "2016-13-45T"}, "E101"),
    ],
)
def test_events_bad_parameters(client: TestClient, params: dict[str, str], code: str) -> None:
    response = client.get("/v1/events", params=params)
    assert response.status_code == 422
    assert error_of(response)["code"] == code


def test_entity_across_the_store(client: TestClient) -> None:
    body = client.get("/v1/entities/milan-2016-12-23:e1").json()
    assert body["id"] == "milan-2016-12-23:e1"
    assert body["entity"]["name"] == "Anis Amri"
    assert body["events"] == ["v1"]
    police = client.get("/v1/entities/berlin-2016-12-19:e1").json()
    assert police["entity"]["name"] == "police"
    assert [r["id"] for r in police["also_in"]] == ["milan-2016-12-23:e3"]


def test_stories(client: TestClient) -> None:
    page = client.get("/v1/stories").json()
    assert page["total"] == 1
    assert page["items"][0]["id"] == STORY_ID and page["items"][0]["n_articles"] == 2
    story = client.get(f"/v1/stories/{STORY_ID}").json()
    assert [a["id"] for a in story["articles"]] == ["berlin-2016-12-19", "milan-2016-12-23"]
    assert [e["id"] for e in story["events"]] == [
        "berlin-2016-12-19:v1",
        "milan-2016-12-23:v1",
    ]  # oldest first


def test_search(client: TestClient) -> None:
    body = client.get("/v1/search", params={"q": "Christmas market"}).json()
    assert {h["id"] for h in body["items"]} == {"berlin-2016-12-19", "milan-2016-12-23"}
    assert all("[" in h["snippet"] for h in body["items"])
    second = client.get("/v1/search", params={"q": "Christmas market", "offset": 1}).json()
    assert [h["id"] for h in second["items"]] == [h["id"] for h in body["items"]][1:]
    for q in ('"', "AND OR NOT", "*", "\x00", "a\x00b", "x" * 500):
        response = client.get("/v1/search", params={"q": q})
        assert response.status_code == 200, q
    assert client.get("/v1/search").status_code == 422


def test_body_too_large_is_413_json(sample_store: Store) -> None:
    app = create_app(store=sample_store, analyzer=lambda a: Analysis(article=a), max_body=1000)
    with TestClient(app) as client:
        response = client.post("/v1/analyze", json={"text": "x" * 2000})
        assert response.status_code == 413
        assert error_of(response)["code"] == "E102"

        def chunks() -> Any:
            yield b'{"text": "'
            for _ in range(50):
                yield b"x" * 100
            yield b'"}'

        chunked = client.post("/v1/analyze", content=chunks(), headers={"content-type": "application/json"})
        assert chunked.status_code == 413
        small = client.post("/v1/analyze", json={"text": "Hello.", "published": "2016-12-23"})
        assert small.status_code == 200


def test_analyze_validation(sample_store: Store) -> None:
    seen: list[Article] = []

    def fake(article: Article) -> Analysis:
        seen.append(article)
        return Analysis(article=article)

    with TestClient(create_app(store=sample_store, analyzer=fake)) as client:
        for body in (
            {},
            {"text": "a", "html": "<p>a</p>"},
            {"text": "   "},
            {"text": "a", "published": "soon"},
        ):
            response = client.post("/v1/analyze", json=body)
            assert response.status_code == 422, body
            assert error_of(response)["code"] in {"E101", "E108"}
        assert (
            client.post(
                "/v1/analyze", content=b"{not json", headers={"content-type": "application/json"}
            ).status_code
            == 422
        )
        assert client.post("/v1/analyze", json={"html": "<html><body></body></html>"}).status_code == 422
        ok = client.post("/v1/analyze", json={"text": "Hello.", "published": "2016-12-23", "source": "CNN"})
        assert ok.status_code == 200 and ok.json()["article"]["source"] == "CNN"
    assert seen and seen[0].text == "Hello."


def test_internal_errors_hide_details(sample_store: Store) -> None:
    def broken(_article: Article) -> Analysis:
        raise RuntimeError("secret internals")

    with TestClient(create_app(store=sample_store, analyzer=broken), raise_server_exceptions=False) as client:
        response = client.post("/v1/analyze", json={"text": "Hello."})
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "E103" and "secret" not in error["message"]


def test_openapi_and_docs_are_local(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/v1/analyze", "/v1/articles", "/v1/events", "/v1/search", "/v1/stories"} <= set(spec["paths"])
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


@pytest.mark.slow
def test_analyze_with_the_pipeline(sample_store: Store, nlp: Any) -> None:
    from storyline.pipeline import analyze_many

    def real(article: Article) -> Analysis:
        (result,) = analyze_many(nlp, [article])
        assert isinstance(result, Analysis)
        return result

    text = "Italian police shot dead Anis Amri in Milan on Friday, Interior Minister Marco Minniti said."
    with TestClient(create_app(store=sample_store, analyzer=real)) as client:
        body = client.post("/v1/analyze", json={"text": text, "published": "2016-12-23"}).json()
        html = (
            "<html><head><title>Amri</title></head><body><article><p>"
            + text * 3
            + "</p></article></body></html>"
        )
        from_html = client.post("/v1/analyze", json={"html": html, "published": "2016-12-23"})
    assert body["schema"] == "storyline.analysis/1"
    assert body["article"]["text"] == text
    assert any(e["name"] == "Anis Amri" for e in body["entities"])
    assert from_html.status_code in {200, 422}
