"""Fixtures of the web tests: a store with the seed article (analysed by the real pipeline), hostile
articles, and the hand-built samples with one story; the app served by uvicorn on 127.0.0.1; and a
headless Chromium driven by Playwright (Debian's /usr/bin/chromium, never a downloaded browser).
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from spacy.language import Language

from storyline.api import create_app
from storyline.ingest.base import make_article
from storyline.model import Analysis, Article, Entity, Mention
from storyline.store import Store
from tests.api.conftest import add_story, no_analysis
from tests.store.samples import all_samples

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "acceptance" / "seed" / "article.txt"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SEED_ID = "seed-cnn-amri"
XSS_ID = "xss-article"
XSS_TEXT = (
    "Police in Milan said on Friday that the suspect was shot dead.\n\n"
    '<script>window.__pwned=1</script> An attacker wrote <img src=x onerror="window.__pwned=2"> in a '
    "comment, and <b>bold</b> & 'quotes' \"too\".\n\n"
    "Interior Minister Marco Minniti told reporters in Rome that the investigation continues."
)
#: Hand-built: hostile strings in the title, an entity name and a mention, where the pipeline puts none.
HOSTILE_ID = "hostile-<script>"
HOSTILE_NAME = '<img src=x onerror="window.__pwned=3">'


def hostile() -> Analysis:
    text = f"The group {HOSTILE_NAME} claimed it. </textarea><script>window.__pwned=4</script>"
    start = text.index(HOSTILE_NAME)
    return Analysis(
        article=Article(
            id=HOSTILE_ID,
            title="<script>window.__pwned=5</script> headline",
            published="2016-12-24",
            source="<i>src</i>",
            url="javascript:window.__pwned=6",
            text=text,
        ),
        entities=[
            Entity(
                id="e1",
                label="ORG",
                name=HOSTILE_NAME,
                titles=["<script>window.__pwned=7</script>"],
                mentions=[Mention(start=start, end=start + len(HOSTILE_NAME), text=HOSTILE_NAME)],
            )
        ],
    )


def _analyse(nlp: Language, articles: list[Article]) -> list[Analysis]:
    from storyline.pipeline import analyze_many

    out = []
    for result in analyze_many(nlp, articles):
        assert isinstance(result, Analysis), result
        out.append(result)
    return out


@pytest.fixture(scope="session")
def web_store_url(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    seed = make_article(
        SEED.read_text(encoding="utf-8"),
        id=SEED_ID,
        title="Berlin attack suspect Anis Amri killed in Milan",
        published="2016-12-23",
        source="CNN",
    )
    xss = make_article(XSS_TEXT, id=XSS_ID, title="Comment <script>", published="2016-12-24", source="Test")
    with Store(url) as store:
        for analysis in [*_analyse(nlp, [seed, xss]), hostile(), *all_samples()]:
            store.upsert(analysis)
        add_story(store)
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def base_url(web_store_url: str) -> Iterator[str]:
    """The app served by uvicorn in a thread on a free port of 127.0.0.1."""
    store = Store(web_store_url)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(store=store, analyzer=no_analysis), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="session")
def browser_context(base_url: str) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium; CI installs it)")
    from playwright.sync_api import sync_playwright

    profile = Path(tempfile.mkdtemp(prefix="storyline-chromium-"))
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                str(profile),
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_FLAGS,
                viewport={"width": 1280, "height": 900},
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.js_errors = errors
    yield page
    page.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
