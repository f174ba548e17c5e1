"""The public entry points: read_path, read_bytes, expand_inputs, and batches of bad input."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tickerwire.errors import InvalidInputError, SourceError
from tickerwire.model import Article
from tickerwire.sources import expand_inputs, read_bytes, read_path

from .conftest import read_all

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_too_large_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr(Path, "open", no_open)
    (error,) = list(read_path(big))
    assert isinstance(error, SourceError)
    assert (error.origin, error.reason) == (str(big), "too_large")
    assert "50.0 MB" in error.detail and "20.0 MB" in error.detail


def test_max_bytes_applies_to_bytes() -> None:
    (error,) = list(read_bytes(b"x" * 101, origin="stdin", max_bytes=100))
    assert isinstance(error, SourceError) and error.reason == "too_large"


def test_missing_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    (error,) = list(read_path(tmp_path / "gone.txt"))
    assert isinstance(error, SourceError) and error.reason == "unreadable"


def test_content_beats_a_lying_extension(tmp_path: Path, fixtures: Path) -> None:
    for source, fake_name, fmt in [
        ("newspaper.html", "page.txt", "html"),
        ("feed.rss", "feed.md", "rss"),
        ("broker_en.md", "page.html", "markdown"),
        ("market_report.txt", "report.jsonl", "text"),
    ]:
        target = tmp_path / fake_name
        target.write_bytes((fixtures / source).read_bytes())
        articles, errors = read_all(target)
        assert not errors, errors
        assert {a.format for a in articles} == {fmt}


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", "港股收市\n\n恆生指數今日收市上漲百分之一。"),
        ("utf-8-sig", "港股收市\n\n恆生指數今日收市上漲百分之一。"),
        ("gb18030", "港股收市\n\n恒生指数今日收市上涨百分之一。"),
        ("big5", "港股收市\n\n恆生指數今日收市上漲百分之一。"),
    ],
)
def test_encodings_read_to_the_same_text(tmp_path: Path, encoding: str, text: str) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    articles, errors = read_all(path)
    assert not errors
    assert articles[0].text == text
    assert articles[0].title == "港股收市"


def _bad_inputs(folder: Path) -> dict[str, str]:
    """File name → expected reason, one file per kind of bad input."""
    files = {
        "image.png": (b"\x89PNG\r\n\x1a\n" + bytes(64), "binary"),
        "archive.txt": (gzip.compress(b"hello"), "binary"),
        "latin1.txt": ("Caf\u00e9 stocks r\u00e9sum\u00e9\n".encode("latin-1"), "undecodable"),
        "broken.md": (b"---\ntitle: x\nurl: a: b\n---\n# x\n\nBody.\n", "front_matter"),
        "empty.md": (b"---\ntitle: Only title\n---\n", "empty"),
        "blank.txt": (b"  \n\n", "empty"),
        "cut.xml": (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x', "truncated_feed"),
        "lines.jsonl": (b'{"text": "ok"}\n{"text": \n', "bad_json"),
        "notext.jsonl": (b'{"title": "x"}\n', "missing_text"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: reason for name, (_, reason) in files.items()}


def test_batch_goes_on_past_every_kind_of_bad_input(tmp_path: Path, fixtures: Path) -> None:
    expected = _bad_inputs(tmp_path)
    (tmp_path / "zz_good.txt").write_bytes((fixtures / "market_report.txt").read_bytes())
    reasons: dict[str, set[str]] = {}
    good: list[Article] = []
    for path in expand_inputs([str(tmp_path)]):
        for item in read_path(path):
            if isinstance(item, SourceError):
                assert item.origin.startswith(str(path))
                assert item.detail
                reasons.setdefault(path.name, set()).add(item.reason)
            else:
                good.append(item)
    assert reasons == {name: {reason} for name, reason in expected.items()}
    assert [a.origin for a in good] == [
        f"{tmp_path / 'lines.jsonl'}:1",
        str(tmp_path / "zz_good.txt"),
    ]


def test_expand_inputs(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in [
        "b/2.md",
        "b/1.txt",
        "a.jsonl",
        "README.md",
        "b/readme.md",
        ".secret.txt",
        ".hidden/x.md",
    ]:
        (tmp_path / name).write_text("x")
    names = [p.relative_to(tmp_path).as_posix() for p in expand_inputs([str(tmp_path)])]
    assert names == ["a.jsonl", "b/1.txt", "b/2.md"]
    globbed = [p.name for p in expand_inputs([str(tmp_path / "b" / "*.md"), str(tmp_path / "b")])]
    assert globbed == ["2.md", "1.txt"]
    assert [p.name for p in expand_inputs([str(tmp_path / ".secret.txt")])] == [".secret.txt"]
    assert [p.name for p in expand_inputs([str(tmp_path / "**" / "*.txt")])] == ["1.txt"]


@pytest.mark.parametrize("missing", ["nowhere/file.md", "nowhere/*.md"])
def test_expand_inputs_names_a_missing_path(tmp_path: Path, missing: str) -> None:
    (tmp_path / "ok.txt").write_text("x")
    with pytest.raises(InvalidInputError, match="nowhere"):
        expand_inputs([str(tmp_path / "ok.txt"), str(tmp_path / missing)])


def _example_files(kind: str) -> list[Path]:
    folder = EXAMPLES / kind
    return list(expand_inputs([str(folder)])) if folder.is_dir() else []


@pytest.mark.skipif(not _example_files("news"), reason="examples/news is empty")
@pytest.mark.parametrize("path", _example_files("news"), ids=lambda p: p.name)
def test_every_example_news_file_reads(path: Path) -> None:
    articles, errors = read_all(path)
    assert not errors, errors
    assert articles
    for a in articles:
        assert a.text.strip() and a.lang in {"en", "zh"}
        assert a.published_at is None or a.published_at.tzinfo is not None


@pytest.mark.skipif(not _example_files("bad"), reason="examples/bad is empty")
@pytest.mark.parametrize("path", _example_files("bad"), ids=lambda p: p.name)
def test_every_example_bad_file_gives_an_error(path: Path) -> None:
    _, errors = read_all(path)
    assert errors


READER_LIBRARIES = ("tickerwire.sources.markdown", "tickerwire.sources.html",
                    "tickerwire.sources.feed", "yaml", "trafilatura", "lxml", "feedparser",
                    "dateutil")


@pytest.mark.parametrize(("document", "loads"), [
    ("Tencent rose 2% to HK$650 on Monday.", set()),  # plain text
    ('{"text": "腾讯控股周一上涨2%。", "published_at": "2025-10-06T08:00:00Z"}\n'
     '{"text": "騰訊控股週二下跌1%。"}\n', set()),  # JSON Lines, ISO 8601 times
    ("---\ntitle: HK close\ndatetime: 2025-10-06T08:00:00Z\n---\n# HK close\n\nThe HSI fell.\n",
     {"tickerwire.sources.markdown", "yaml"}),
    ("<html><head><title>HK close</title></head><body><article><p>The Hang Seng Index fell 1% "
     "on Monday as Tencent slid.</p></article></body></html>",
     {"tickerwire.sources.html", "trafilatura", "lxml", "dateutil"}),  # htmldate's dateutil
    ('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>HK '
     "close</title><description>The HSI fell 1%.</description></item></channel></rss>",
     {"tickerwire.sources.feed", "feedparser"}),
    ('{"text": "Tencent fell 1%.", "published_at": "Oct 6 2025 4pm"}\n', {"dateutil"}),
])
def test_a_reader_and_its_libraries_load_only_for_their_format(document: str,
                                                               loads: set[str]) -> None:
    """``import tickerwire.sources`` leaves the readers of Markdown, web pages and feeds (PyYAML,
    trafilatura, lxml, feedparser) and dateutil unloaded; reading a document loads its own."""
    script = (
        "import json, sys\n"
        "from tickerwire.sources import read_bytes\n"
        f"names = {READER_LIBRARIES!r}\n"
        "def loaded():\n"
        "    return sorted(n for n in names if n in sys.modules)\n"
        "before = loaded()\n"
        "items = list(read_bytes(sys.stdin.buffer.read(), origin='doc'))\n"
        "print(json.dumps([before, loaded(), [type(i).__name__ for i in items]]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    done = subprocess.run([sys.executable, "-c", script], input=document.encode(),
                          capture_output=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()
    before, after, kinds = json.loads(done.stdout)
    assert before == []
    assert set(after) == loads
    assert kinds and set(kinds) == {"Article"}
