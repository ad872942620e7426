"""Test inputs for the scale tests: WARC files built with warcio from the bundled sample articles."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "articles.jsonl"

FRENCH = (
    "Le gouvernement a annoncé mardi une série de mesures pour soutenir les agriculteurs touchés par la "
    "sécheresse. Selon le ministre, les aides seront versées avant la fin du mois et concerneront plus "
    "de dix mille exploitations dans le sud du pays. Les syndicats agricoles ont salué une décision "
    "attendue depuis longtemps, tout en réclamant des mesures plus durables face au changement climatique."
)


def sample_records(n: int, start: int = 0) -> list[dict[str, Any]]:
    """The first ``n`` records of data/sample/articles.jsonl (real Wikinews-like text)."""
    with SAMPLE.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return records[start : start + n]


def page(title: str, text: str) -> bytes:
    """A simple news page around an article: the title as h1, each paragraph a <p>."""
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<main><article><h1>{html.escape(title)}</h1>\n{paragraphs}\n</article></main>"
        "<footer>Copyright Example News</footer></body></html>"
    ).encode()


def _response(
    writer: Any, url: str, body: bytes, date: str, *, content_type: str = "text/html", status: str = "200 OK"
) -> None:
    from warcio.statusandheaders import StatusAndHeaders

    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_record(record)


def build_warc(
    path: Path,
    records: list[dict[str, Any]],
    *,
    junk: bool = True,
    big: bool = False,
    extra: tuple[tuple[str, str, str], ...] = (),
) -> list[str]:
    """A WARC (gzipped when ``path`` ends in .gz) with one HTML response per record, plus junk records.

    Returns the urls of the article responses in order. Junk: a warcinfo and a request record
    (passed over), an image (passed over), a 404 page, an empty page, a page with no article, a page
    in French; with ``big``, a 10 MB page.
    """
    from warcio.warcwriter import WARCWriter

    urls: list[str] = []
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=path.name.endswith(".gz"))
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "storyline tests"}))
        for number, record in enumerate(records):
            url = f"https://news.example/{number}/{record['id']}"
            urls.append(url)
            date = f"{record['published'] or '2020-01-01'}T12:00:00Z"
            if junk and number == 1:
                request = writer.create_warc_record(
                    url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
                )
                writer.write_record(request)
                _response(
                    writer,
                    "https://news.example/logo.png",
                    b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
                    date,
                    content_type="image/png",
                )
                _response(
                    writer,
                    "https://news.example/missing",
                    page("Not found", "Not found."),
                    date,
                    status="404 Not Found",
                )
                _response(writer, "https://news.example/empty", b"", date)
                _response(
                    writer, "https://news.example/nav", b"<html><body><nav>Home</nav></body></html>", date
                )
                _response(writer, "https://news.example/fr", page("Sécheresse", FRENCH), date)
            if big and number == 2:
                _response(
                    writer,
                    "https://news.example/huge",
                    b"<html><body><p>" + b"word " * (2 * 1024 * 1024) + b"</p></body></html>",
                    date,
                )
            _response(writer, url, page(record["title"] or "Untitled", record["text"]), date)
        for url, title, text in extra:
            _response(writer, url, page(title, text), "2020-06-01T08:00:00Z")
    return urls


def syndicated(record: dict[str, Any]) -> str:
    """A syndicated copy of an article: a dateline added, the last sentence of one paragraph dropped."""
    paragraphs = record["text"].split("\n\n")
    paragraphs[0] = "(Wire) " + paragraphs[0]
    return "\n\n".join(paragraphs) + "\n\nThis story was distributed by a news agency."


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    """Records as a JSONL input (the fields a reader keeps)."""
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps({k: record[k] for k in ("id", "title", "published", "url", "text")}) + "\n")


#: What an ingest leaves in the store, without timestamps: two ingests that took the same decisions
#: give equal snapshots.
SNAPSHOT = {
    "articles": "SELECT id, analysis FROM articles ORDER BY id",
    "sources": "SELECT article_id, url, published, input, match, similarity FROM article_sources ORDER BY id",
    "fingerprints": "SELECT article_id, content_hash, minhash FROM article_fingerprints ORDER BY article_id",
    "progress": "SELECT path, records_done, status FROM ingest_progress ORDER BY path",
    "problems": "SELECT record, code, location, message FROM ingest_problems ORDER BY input_key, record",
    "entities": "SELECT count(*) FROM entities",
}


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row an ingest writes in the SQLite store at ``db`` (see ``SNAPSHOT``)."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        return {name: list(conn.execute(sql)) for name, sql in SNAPSHOT.items()}
