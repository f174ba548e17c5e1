"""The brief as plain text, Markdown and standalone HTML (escaped, no external assets)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING, TypeGuard
from urllib.parse import quote

from tickerwire.display import hk_time_zoned
from tickerwire.insights.refs import SourceRef

if TYPE_CHECKING:
    from tickerwire.insights.brief import Brief, BriefLine

_EMPTY = "Nothing reported."
_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","PingFang HK","Noto Sans CJK SC",sans-serif;
max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.4rem;margin-bottom:.2rem}.headline{font-size:1.15rem;font-weight:600}
h2{font-size:1.05rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:1.6rem}
sup a{text-decoration:none;color:#0969da}.sources{font-size:.85rem;color:#57606a}
.empty{color:#57606a}q{quotes:"“" "”"}
"""


def long_day(day: date) -> str:
    """``Monday, 13 October 2025``."""
    return f"{day:%A}, {day.day} {day:%B %Y}"


def nearest_news(brief: Brief) -> str:
    """For a day without news: the nearest days that have some, before and after."""
    near = [
        f"{long_day(day)} ({side})"
        for day, side in ((brief.previous_news_day, "before"), (brief.next_news_day, "after"))
        if day is not None
    ]
    if not near:
        return "No day has news yet."
    return "Nearest days with news: " + " and ".join(near) + "."


def _markers(refs: tuple[int, ...]) -> str:
    return "".join(f"[{n}]" for n in refs)


def _plain(line: BriefLine) -> str:
    return "".join(part.text + _markers(part.refs) for part in line.parts)


def _origin(ref: SourceRef) -> str:
    return ", ".join(bit for bit in (ref.source, hk_time_zoned(ref.published_at)) if bit)


@dataclass(frozen=True, slots=True)
class StorySources:
    """One entry of the sources list: a story's first-cited article, how many other articles
    tell the story, and the numbered quotes cited from it (each with its own article)."""

    lead: SourceRef
    more: int
    quotes: list[tuple[int, SourceRef]]

    def more_text(self) -> str:
        return f" +{self.more} source{'' if self.more == 1 else 's'}" if self.more else ""


def by_story(brief: Brief) -> list[StorySources]:
    """Sources grouped by story (first cited first), each with its numbered quotes."""
    stories = brief.source_stories or tuple(ref.article_id for ref in brief.sources)
    more = brief.more_sources or tuple(0 for _ in brief.sources)
    groups: dict[str, StorySources] = {}
    for n, (ref, story, extra) in enumerate(zip(brief.sources, stories, more, strict=True), 1):
        groups.setdefault(story, StorySources(ref, extra, [])).quotes.append((n, ref))
    return list(groups.values())


def _other_article(group: StorySources, ref: SourceRef) -> str | None:
    """The article a quote comes from when it is not the story's lead article."""
    if ref.article_id == group.lead.article_id:
        return None
    return f"{ref.title or ref.article_id} ({_origin(ref)})"


def as_text(brief: Brief) -> str:
    out = [brief.title, "=" * len(brief.title), "", _plain(brief.headline)]
    if not brief.has_news:
        return "\n".join([*out, nearest_news(brief)]) + "\n"
    for section in brief.sections:
        out += ["", section.title, "-" * len(section.title)]
        out += [f"- {_plain(line)}" for line in section.lines] or [_EMPTY]
    out += ["", "Sources", "-------"]
    for group in by_story(brief):
        article = group.lead
        url = f" <{article.url}>" if article.url else ""
        out.append(f"{article.title or article.article_id} ({_origin(article)})"
                   f"{group.more_text()}{url}")
        for n, ref in group.quotes:
            other = _other_article(group, ref)
            out.append(f"  [{n}] “{ref.quote}”" + (f" — {other}" if other else ""))
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Markdown-inert text on one line: characters Markdown would read as markup (emphasis,
    links, HTML, entities, tables) are backslash-escaped and line breaks become spaces."""
    text = " ".join(text.split())
    for char in "\\`*_{}[]<>#|&~":
        text = text.replace(char, "\\" + char)
    return text


# RFC 3986 reserved and unreserved characters, and % of an existing escape; everything else —
# spaces, brackets, parentheses, quotes, backslashes, non-ASCII — is percent-encoded.
_URL_SAFE = ":/?#@!$&'*+,;=%-._~"


def _md_url(url: str) -> str:
    """``url`` as a Markdown link destination that nothing in it can end early."""
    return quote(url.strip(), safe=_URL_SAFE)


def _md_line(line: BriefLine) -> str:
    return "".join(_md(part.text) + _markers(part.refs) for part in line.parts)


def as_markdown(brief: Brief) -> str:
    out = [f"# {_md(brief.title)}", "", f"**{_md_line(brief.headline)}**"]
    if not brief.has_news:
        return "\n".join([*out, "", _md(nearest_news(brief))]) + "\n"
    for section in brief.sections:
        out += ["", f"## {_md(section.title)}", ""]
        out += [f"- {_md_line(line)}" for line in section.lines] or [f"_{_EMPTY}_"]
    out += ["", "## Sources", ""]
    for group in by_story(brief):
        article = group.lead
        title = _md(article.title or article.article_id)
        link = f"[{title}]({_md_url(article.url)})" if _linkable(article.url) else title
        out.append(f"- {link} ({_md(_origin(article))}){_md(group.more_text())}")
        for n, ref in group.quotes:
            other = _other_article(group, ref)
            out.append(f"  - \\[{n}\\] “{_md(ref.quote)}”" + (f" — {_md(other)}" if other else ""))
    return "\n".join(out) + "\n"


def _linkable(url: str | None) -> TypeGuard[str]:
    return url is not None and url.startswith(("https://", "http://"))


def _html_line(line: BriefLine) -> str:
    return "".join(
        escape(part.text)
        + "".join(f'<sup><a href="#src-{n}">[{n}]</a></sup>' for n in part.refs)
        for part in line.parts
    )


def as_html(brief: Brief) -> str:
    body = [f"<h1>{escape(brief.title)}</h1>",
            f'<p class="headline">{_html_line(brief.headline)}</p>']
    if not brief.has_news:
        body.append(f'<p class="empty">{escape(nearest_news(brief))}</p>')
        return _html_page(brief, body)
    for section in brief.sections:
        body.append(f'<h2 id="{escape(section.key)}">{escape(section.title)}</h2>')
        if section.lines:
            items = "".join(f"<li>{_html_line(line)}</li>" for line in section.lines)
            body.append(f"<ul>{items}</ul>")
        else:
            body.append(f'<p class="empty">{_EMPTY}</p>')
    body.append('<h2 id="sources">Sources</h2><ul class="sources">')
    for group in by_story(brief):
        article = group.lead
        title = escape(article.title or article.article_id)
        if _linkable(article.url):
            title = f'<a href="{escape(article.url)}" rel="noopener noreferrer">{title}</a>'
        items = "".join(
            f'<li id="src-{n}">[{n}] <q>{escape(ref.quote)}</q>'
            + (f" — {escape(other)}" if (other := _other_article(group, ref)) else "") + "</li>"
            for n, ref in group.quotes
        )
        more = escape(group.more_text())
        body.append(f"<li>{title} ({escape(_origin(article))}){more}<ul>{items}</ul></li>")
    body.append("</ul>")
    return _html_page(brief, body)


def _html_page(brief: Brief, body: list[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(brief.title)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
