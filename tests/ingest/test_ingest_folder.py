"""read_paths over folders: sorted recursion, silent skips, one Problem per bad file, the rest read."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from storyline.errors import Problem
from storyline.ingest import read_paths
from storyline.ingest.folder import is_skipped
from tests.ingest.support import ARTICLE_HTML, BROKEN_HTML, split


def make_folder(root: Path) -> Path:
    """A data folder as users have them: good articles, bad files, and files that are not articles."""
    folder = root / "inbox"
    (folder / "b-sub").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / "a-report.txt").write_text("Police said two people were injured on Monday.\n", encoding="utf-8")
    (folder / "b-sub" / "page.html").write_text(ARTICLE_HTML, encoding="utf-8")
    (folder / "b-sub" / "wire.jsonl.gz").write_bytes(
        gzip.compress(
            (json.dumps({"id": "w1", "text": "Wire story one."}) + "\n").encode()
            + (json.dumps({"id": "w2", "text": "Wire story two.", "published": "2019-09-24"}) + "\n").encode()
        )
    )
    (folder / "c-corrupt.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    (folder / "d-empty.txt").write_bytes(b"")
    (folder / "e-broken.html").write_text(BROKEN_HTML, encoding="utf-8")
    (folder / "f-latin1.txt").write_bytes("Müller said".encode("latin-1"))
    (folder / "g-notes.xml").write_text("<notes/>", encoding="utf-8")
    (folder / "h-table.csv").write_text("id,text\nc1,A row of text.\n", encoding="utf-8")
    # Not articles: skipped without a word.
    (folder / "README.md").write_text("# About this folder\n", encoding="utf-8")
    (folder / "LICENSE").write_text("CC BY 2.5\n", encoding="utf-8")
    (folder / "LICENSE-wikinews.md").write_text("CC BY 2.5\n", encoding="utf-8")
    (folder / "notes.md").write_text("todo\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("secret\n", encoding="utf-8")
    (folder / ".git" / "HEAD.txt").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return folder


def test_folder_reads_good_files_and_reports_each_bad_one(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)

    articles, problems = split(read_paths([folder], source="Inbox"))

    assert [a.text.split("\n")[0][:25] for a in articles] == [
        "Police said two people we",  # a-report.txt
        "Flood waters began to rec",  # b-sub/page.html
        "Wire story one.",  # b-sub/wire.jsonl.gz
        "Wire story two.",
        "A row of text.",  # h-table.csv
    ]
    assert [a.source for a in articles] == ["Inbox", "The Valley Courier", "Inbox", "Inbox", "Inbox"]
    assert [(p.code, Path(p.where).name) for p in problems] == [
        ("E020", "c-corrupt.txt"),
        ("E002", "d-empty.txt"),
        ("E005", "e-broken.html"),
        ("E008", "f-latin1.txt"),
        ("E004", "g-notes.xml"),
    ]
    for problem in problems:
        assert problem.where in str(problem)  # every message names the file


def test_order_is_stable(tmp_path: Path) -> None:
    folder = make_folder(tmp_path)

    first = [item.id if not isinstance(item, Problem) else item.where for item in read_paths([folder])]
    second = [item.id if not isinstance(item, Problem) else item.where for item in read_paths(folder)]

    assert first == second  # a bare path works too (not iterated as characters)


def test_named_files_are_never_skipped_and_missing_ones_reported(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Notes\n", encoding="utf-8")
    good = tmp_path / "ok.txt"
    good.write_text("Fine.", encoding="utf-8")

    articles, problems = split(read_paths([readme, tmp_path / "missing.txt", good]))

    assert [a.text for a in articles] == ["Fine."]
    assert [(p.code, Path(p.where).name) for p in problems] == [
        ("E004", "README.md"),
        ("E001", "missing.txt"),
    ]


def test_unreadable_file_is_e001(tmp_path: Path) -> None:
    odd = tmp_path / "folder-named.txt"
    odd.mkdir()
    (odd / "inside.txt").write_text("Inside.", encoding="utf-8")
    blocked = tmp_path / "blocked.txt"
    blocked.write_text("Secret.", encoding="utf-8")
    blocked.chmod(0)

    try:
        articles, problems = split(read_paths([odd, blocked]))
    finally:
        blocked.chmod(0o644)

    assert [a.text for a in articles][:1] == ["Inside."]  # a folder is walked, whatever its name
    if os.geteuid() != 0:  # root reads a mode-000 file anyway
        assert [(p.code, p.where) for p in problems] == [("E001", str(blocked))]
        assert "Permission denied" in str(problems[0])


def test_gz_without_a_format_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "dump.gz"
    path.write_bytes(gzip.compress(b"text"))

    [problem] = list(read_paths([path]))

    assert isinstance(problem, Problem)
    assert problem.code == "E004"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_cycle_is_walked_once(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.txt").write_text("Once.", encoding="utf-8")
    (folder / "loop").symlink_to(folder, target_is_directory=True)

    articles, problems = split(read_paths([folder]))

    assert [a.text for a in articles] == ["Once."]
    assert problems == []


@pytest.mark.parametrize(
    ("name", "skipped"),
    [
        (".DS_Store", True),
        ("LICENSE", True),
        ("LICENSE-wikinews.md", True),
        ("README.txt", True),
        ("Readme.txt", True),
        ("COPYING", True),
        ("CHANGES.md", True),
        ("story.txt", False),
        ("licensed-article.txt", False),
        ("license-plate-fraud.txt", False),
        ("LICENSED-dealers.txt", False),
        ("x.jsonl.gz", False),
    ],
)
def test_is_skipped(name: str, skipped: bool) -> None:
    assert is_skipped(name) is skipped
