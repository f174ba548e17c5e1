"""What a Spark task does, without Spark: read, extract, quarantine, number revisions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from batch_helpers import BAD, NEWS

from tickerwire.batch.extract import Extracted, extract_article, extract_files, extract_records, number_revisions
from tickerwire.model import Article

SEEN = datetime(2025, 11, 10, 1, tzinfo=UTC)


def _revisions(articles: list[Article]) -> list[tuple[str, int, str]]:
    items = [extract_article(a, (0, n), SEEN) for n, a in enumerate(articles)]
    extracted = [i for i in items if isinstance(i, Extracted)]
    return [(table, row["revision"], row["text"][:12]) for table, row in number_revisions(extracted)
            if table == "articles"]


def test_repeated_ids_become_revisions_in_input_order() -> None:
    url = "https://news.example.com/hsi"
    first = Article(text="The Hang Seng Index fell 1.2% to 25,000.", url=url)
    again = Article(text="The Hang Seng Index fell 1.2% to 25,000.", url=url)
    changed = Article(text="恒生指数收跌1.4%，报24950点。", url=url)
    assert _revisions([first, again, changed]) == [
        ("articles", 1, "The Hang Sen"), ("articles", 2, "恒生指数收跌1.4%，报")]
    # the order is the input's, not the order the items arrive in
    items = [extract_article(a, (0, n), SEEN) for n, a in enumerate([first, changed])]
    rows = [row for table, row in number_revisions(reversed(items))  # type: ignore[arg-type]
            if table == "facts"]
    assert {(r["revision"], r["pct"]) for r in rows if r["kind"] == "price_move"} == {(1, -1.2), (2, -1.4)}


def test_unreadable_documents_become_quarantine_rows() -> None:
    paths = sorted(p for p in BAD.iterdir() if p.name != "README.md")
    out = list(extract_files(enumerate(map(str, paths)), max_bytes=20 << 20, seen_at=SEEN))
    quarantined = [item for item in out if not isinstance(item, Extracted)]
    reasons = {row["reason"] for row in quarantined}
    assert {"binary", "front_matter", "empty", "undecodable"} <= reasons
    assert all(row["content_sha256"] and len(row["content_sha256"]) == 64 for row in quarantined)
    # the good lines of a mixed JSON Lines file are still extracted
    assert any(isinstance(item, Extracted) and "mixed-lines" in item.rows["articles"][0]["origin"]
               for item in out)


def test_records_are_read_like_json_lines() -> None:
    records = [
        (0, {"id": "r-1", "text": "腾讯控股收涨2.3%，报650港元。",
             "published_at": "2025-10-24T16:10:00+08:00"}, "t.parquet:r-1"),
        (0, {"id": "r-2", "title": "no text"}, "t.parquet:r-2"),
    ]
    first, second = list(extract_records(records, seen_at=SEEN))
    assert isinstance(first, Extracted) and first.article_id == "r-1"
    assert first.rows["articles"][0]["published_date_hk"].isoformat() == "2025-10-24"
    assert [m["listing"] for m in first.rows["mentions"]][:1] == ["00700.HK"]
    assert not isinstance(second, Extracted) and second["reason"] == "missing_text"


def test_every_sample_file_is_extracted(tmp_path: Path) -> None:
    paths = sorted(p for p in NEWS.iterdir())[:3]
    out = list(extract_files(enumerate(map(str, paths)), max_bytes=20 << 20, seen_at=SEEN))
    assert out and all(isinstance(item, Extracted) for item in out)
    assert all(item.rows["articles"][0]["first_seen_at"] == SEEN for item in out)  # type: ignore[union-attr]
