"""Where an article's publication date comes from, and nothing invented.

``published_at`` is taken, in this order, from

1. the source's own metadata: front matter (``front_matter``), a feed entry or JSONL record
   (``feed``), the page's ``<meta>`` tags (``metadata``);
2. a date in the URL: ``/2025/11/07/``, ``/202511/07/``, ``-2025-11-07-``, ``t20251107_``, a
   ``/251107-slug`` prefix, or the creation time inside a 24-hex object id (``url``);
3. a dateline or date header at the top of the text: a short line that carries the date
   ("25 January 2026", "Published Mon, Feb 9, 2026 · 05:08 PM", "2024-04-29 09:44"), or a line
   that opens with it ("2025 年 8 月 6 日，…", "Shanghai, Jan 25, 2026 — …"); the earliest
   when there are several (``dateline``);
4. a date in the file name: ``2025-11-07-hsi-close.md``, ``20251107_report.txt`` — for files
   that hold one article, not for feeds and JSONL (``filename``);
5. otherwise the article stays undated (``none``) — never the time it was ingested.

A date the text *reports* ("results released on November 6, 2025") sits inside a sentence and
is never a dateline. Dates later than the time of reading (plus a day of time-zone slack) are
refused wherever they come from, except the source's own metadata.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import unquote

from tickerwire.model import Article
from tickerwire.sources.dates import prose_dates
from tickerwire.sources.fields import split_url
from tickerwire.timeutil import HONG_KONG

DATE_SOURCES = ("front_matter", "feed", "metadata", "url", "dateline", "filename", "none")
"""Every value of ``Article.date_source``, in order of precedence."""

_MANY_PER_FILE = frozenset({"rss", "jsonl"})  # a file name dates one article, not a feed's entries
_METADATA_SOURCE = {"markdown": "front_matter", "rss": "feed", "jsonl": "feed", "html": "metadata"}

DATELINE_LINES = 10
"""How many non-empty lines at the top of the text may hold a dateline."""
DATELINE_CHARS = 400
"""How far into the text a dateline may start."""
SHORT_LINE = 60
"""A line this short that carries a full date and is not a sentence is a date header."""
EARLIEST = date(1990, 1, 1)
"""No news article of this project's kind predates this; earlier 'dates' are other numbers."""
FUTURE_SLACK = timedelta(days=1)

# What may stand before a date at the start of a line: a label, a weekday, a wire dateline's
# place name ("HONG KONG, "), a byline separator — never a sentence.
_LEADER = re.compile(
    r"^[\s\W\d_]*(?:"
    r"(?:published|updated|posted|first published|last updated|date|dated|time)\s*(?:on|at)?\s*:?"
    r"|(?:发布|發佈|發布|更新|日期|时间|時間|发表|發表|出版)(?:时间|時間|日期|於|于)?\s*[:：]?"
    r"|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?"
    r"|[A-Z][A-Za-z.'\- ]{1,30},(?:\s*[A-Z][A-Za-z.'\- ]{1,30},)?"
    r")?[\s\W_]*$",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[.!?。！？]$|[，；]")
_TIME_AFTER = re.compile(
    r"^[\s,·|\-–—]*(?:at\s+)?(?P<h>[01]?\d|2[0-3])[:：](?P<m>[0-5]\d)(?:[:：](?P<s>[0-5]\d))?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?(?![\d])"
)

# URL forms, tried in this order on the path (and query) of the URL.
_URL_PATTERNS = (
    # /2025/11/07/ and /2025/06/10160450973741.shtml (a day run into an id)
    re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>\d\d)/(?P<d>\d\d)"),
    # /202508/27/
    re.compile(r"/(?P<y>(?:19|20)\d\d)(?P<m>\d\d)/(?P<d>\d\d)(?!\d)"),
    # -2025-09-01- and /2025-09-01/ and _2025_09_01
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[-_])(?P<m>\d\d)(?P=sep)(?P<d>\d\d)(?!\d)"),
    # t20251205_2624681, /20250823/, IG2024090300026096: a digit run that opens with a date
    re.compile(r"(?<!\d)(?P<y>20\d\d)(?P<m>\d\d)(?P<d>\d\d)(?=\d{0,12}(?!\d))"),
    # /250821-kuaishou-… : a yymmdd prefix of a path segment's slug
    re.compile(r"/(?P<yy>\d\d)(?P<m>\d\d)(?P<d>\d\d)[-_][A-Za-z]"),
)
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=年|\b)(?![-/.]\d)")
_MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
_YEARLESS = re.compile(
    r"(?<![\d年])(?P<zm>1[0-2]|0?[1-9])\s*月\s*(?P<zd>3[01]|[12]\d|0?[1-9])\s*[日号號](?!\s*[至到-])"
    r"|\b(?P<em>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?P<ed>3[01]|[12]\d|0?[1-9])\b(?!,?\s*\d{4})",
    re.IGNORECASE,
)
_OBJECT_ID = re.compile(r"(?<![0-9a-fA-F])(?P<oid>[0-9a-f]{24})(?![0-9a-fA-F])")
_OBJECT_ID_EPOCH = date(2009, 2, 11)  # the first release of the object-id format
_FILENAME_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[-_.]?)(?P<m>\d\d)(?P=sep)(?P<d>\d\d)(?!\d)")


def with_publication_date(article: Article, *, filename: str | None = None, now: datetime | None = None) -> Article:
    """``article`` with ``published_at`` and ``date_source`` set by the order above."""
    if article.published_at is not None:
        source = article.date_source or _METADATA_SOURCE.get(article.format, "front_matter")
        return dataclasses.replace(article, date_source=source)
    now = now or datetime.now(UTC)
    published, source = date_from_url(article.url, now=now), "url"
    if published is None:
        published, source = date_from_dateline(article.text, now=now), "dateline"
    if published is None and article.format not in _MANY_PER_FILE:
        published, source = date_from_filename(filename, now=now), "filename"
    if published is None:
        return dataclasses.replace(article, date_source="none")
    return dataclasses.replace(article, published_at=published, date_source=source)


def date_from_url(url: str | None, *, now: datetime) -> datetime | None:
    """The publication day a URL's path encodes, at Hong Kong midnight, or None."""
    parts = split_url(url)
    if parts is None:
        return None
    where = unquote(parts.path) + ("?" + unquote(parts.query) if parts.query else "")
    for pattern in _URL_PATTERNS:
        for m in pattern.finditer(where):
            groups = m.groupdict()
            year = int(groups["y"]) if groups.get("y") else 2000 + int(groups["yy"])
            day = _valid_day(year, int(groups["m"]), int(groups["d"]), now=now)
            if day is not None:
                return _midnight(day)
    for m in _OBJECT_ID.finditer(where):
        created = datetime.fromtimestamp(int(m.group("oid")[:8], 16), tz=UTC)
        if created.date() >= _OBJECT_ID_EPOCH and created <= now + FUTURE_SLACK:
            return created.astimezone(HONG_KONG)
    return None


def date_from_dateline(text: str, *, now: datetime) -> datetime | None:
    """The date of a dateline or date header among the first lines of ``text``, or None.

    When the top holds several (a site's "today" banner, "Published …", "Updated …"), the
    earliest is the publication: a banner or an update is never older than the article.
    """
    candidates = [
        _with_time(found, line[m.end() :])
        for line in _top_lines(text)
        for m, found in prose_dates(line)
        if (_is_header(line) or _LEADER.match(line[: m.start()]))
        and found >= EARLIEST
        and _midnight(found) <= now + FUTURE_SLACK
    ]
    if candidates:
        return min(candidates)
    return _yearless_dateline(text, now=now)


def _yearless_dateline(text: str, *, now: datetime) -> datetime | None:
    """A date header without its year ("1月22日", "Jan 22"): the year the text names most often
    (the latest of equals), when it names one; otherwise none — a year is never guessed."""
    years = Counter(int(y) for y in _YEAR_IN_TEXT.findall(text) if EARLIEST.year <= int(y) <= now.year)
    if not years:
        return None
    year = max(years, key=lambda y: (years[y], y))
    for line in _top_lines(text):
        if not _is_header(line):
            continue
        m = _YEARLESS.search(line)
        if m is None:
            continue
        month = int(m.group("zm")) if m.group("zm") else _MONTHS[m.group("em")[:3].lower()]
        day = _valid_day(year, month, int(m.group("zd") or m.group("ed")), now=now)
        if day is not None:
            return _with_time(day, line[m.end() :])
    return None


def date_from_filename(filename: str | None, *, now: datetime) -> datetime | None:
    """A date written in a file name (``2025-11-07-close.md``), at Hong Kong midnight, or None."""
    if not filename:
        return None
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    for m in _FILENAME_DATE.finditer(name):
        day = _valid_day(int(m.group("y")), int(m.group("m")), int(m.group("d")), now=now)
        if day is not None:
            return _midnight(day)
    return None


def _is_header(line: str) -> bool:
    """A short line that is not a sentence: no sentence-ending mark, no clause comma."""
    stripped = line.strip()
    return len(stripped) <= SHORT_LINE and not _SENTENCE.search(stripped)


def _top_lines(text: str) -> Iterator[str]:
    offset, seen = 0, 0
    for line in text.split("\n"):
        if offset > DATELINE_CHARS or seen >= DATELINE_LINES:
            return
        offset += len(line) + 1
        if line.strip():
            seen += 1
            yield line


def _valid_day(year: int, month: int, day: int, *, now: datetime) -> date | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    if found < EARLIEST or _midnight(found) > now + FUTURE_SLACK:
        return None
    return found


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=HONG_KONG)


def _with_time(day: date, after: str) -> datetime:
    """The date at the clock time printed right after it ("2024-04-29 09:44"), else midnight."""
    m = _TIME_AFTER.match(after)
    if m is None:
        return _midnight(day)
    hour = int(m.group("h"))
    ampm = (m.group("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    clock = time(hour, int(m.group("m")), int(m.group("s") or 0))
    return datetime.combine(day, clock, tzinfo=HONG_KONG)
