"""Plain-text reader: content verbatim, options applied, and each kind of unusable file one Problem."""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
from pathlib import Path

import pytest

from storyline.errors import Problem, StorylineError
from storyline.ingest import read_paths, read_text
from storyline.model import Article
from tests.ingest.support import split

SEED_LIKE = (
    "(CNN) — The Berlin Christmas market attack suspect Anis Amri has been killed in a shootout with\r\n"
    "police in Milan, Italy's Interior Minister said Friday.\r\n\r\n  Indented second paragraph.\n"
)


def only(results: list[Article | Problem]) -> Article | Problem:
    assert len(results) == 1
    return results[0]


def test_text_is_kept_verbatim_with_options(tmp_path: Path) -> None:
    path = tmp_path / "amri.txt"
    path.write_bytes(SEED_LIKE.encode("utf-8"))

    article = only(list(read_text(path, published="2016-12-23", source="CNN", title="Amri killed")))

    assert isinstance(article, Article)
    assert article.text == SEED_LIKE  # \r\n, indentation and the final newline kept: offsets count into it
    assert article.text[51:60] == "Anis Amri"
    assert article.published == "2016-12-23"
    assert article.source == "CNN"
    assert article.title == "Amri killed"
    assert article.url is None
    assert article.id == hashlib.sha256(SEED_LIKE.encode("utf-8")).hexdigest()


def test_utf8_bom_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "Zürich council votes.".encode())

    article = only(list(read_text(path)))

    assert isinstance(article, Article)
    assert article.text == "Zürich council votes."


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "E002"),
        (b"  \n\t\r\n  ", "E002"),
        (b"Caf\xe9 au lait in Latin-1", "E008"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00binary", "E020"),
    ],
    ids=["empty", "whitespace", "latin1", "binary"],
)
def test_unusable_text_file_is_one_problem_naming_it(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)

    problem = only(list(read_text(path)))

    assert isinstance(problem, Problem)
    assert problem.code == code
    assert problem.where == str(path)
    assert str(path) in str(problem)
    assert f"[{code}]" in str(problem)


def test_gzipped_text(tmp_path: Path) -> None:
    path = tmp_path / "amri.txt.gz"
    path.write_bytes(gzip.compress(SEED_LIKE.encode("utf-8")))

    article = only(list(read_paths([path])))

    assert isinstance(article, Article)
    assert article.text == SEED_LIKE


def test_bad_published_option_fails_at_the_call(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Some text.", encoding="utf-8")

    with pytest.raises(StorylineError, match=r"\[E006\]"):
        read_paths([path], published="23/12/2016")
    with pytest.raises(StorylineError, match=r"\[E006\]"):
        list(read_text(path, published="2016-12-23 or so"))


def test_datetime_published_is_kept_as_given(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Some text.", encoding="utf-8")

    article = only(list(read_paths([path], published="2016-12-23T14:05:00+01:00")))

    assert isinstance(article, Article)
    assert article.published == "2016-12-23T14:05:00+01:00"


class _FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin_is_read_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _FakeStdin(b"Text from a pipe.\n"))

    article = only(list(read_paths(["-"], source="wire")))

    assert isinstance(article, Article)
    assert article.text == "Text from a pipe.\n"
    assert article.source == "wire"


def test_empty_stdin_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _FakeStdin(b""))

    articles, problems = split(read_paths(["-"]))

    assert articles == []
    assert [(p.code, p.where) for p in problems] == [("E002", "<stdin>")]
