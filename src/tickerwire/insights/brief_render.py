"""The brief as plain text, Markdown and standalone HTML (escaped, no external assets)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from tickerwire.insights.refs import SourceRef
from tickerwire.store.codec import hong_kong

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


def _markers(refs: tuple[int, ...]) -> str:
    return "".join(f"[{n}]" for n in refs)


def _plain(line: BriefLine) -> str:
    return "".join(part.text + _markers(part.refs) for part in line.parts)


def _when(ref: SourceRef) -> str:
    if ref.published_at is None:
        return "undated"
    return ref.published_at.astimezone(hong_kong()).strftime("%Y-%m-%d %H:%M HKT")


def _source_line(ref: SourceRef) -> str:
    origin = ", ".join(bit for bit in (ref.source, _when(ref)) if bit)
    title = ref.title or ref.article_id
    return f"{title} ({origin}) — “{ref.quote}”" + (f" <{ref.url}>" if ref.url else "")


def as_text(brief: Brief) -> str:
    out = [brief.title, "=" * len(brief.title), "", _plain(brief.headline)]
    for section in brief.sections:
        out += ["", section.title, "-" * len(section.title)]
        out += [f"- {_plain(line)}" for line in section.lines] or [_EMPTY]
    out += ["", "Sources", "-------"]
    out += [f"[{n}] {_source_line(ref)}" for n, ref in enumerate(brief.sources, 1)]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Markdown-inert text: characters Markdown would read as markup are escaped."""
    for char in "\\`*_{}[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def _md_line(line: BriefLine) -> str:
    return "".join(_md(part.text) + _markers(part.refs) for part in line.parts)


def as_markdown(brief: Brief) -> str:
    out = [f"# {_md(brief.title)}", "", f"**{_md_line(brief.headline)}**"]
    for section in brief.sections:
        out += ["", f"## {_md(section.title)}", ""]
        out += [f"- {_md_line(line)}" for line in section.lines] or [f"_{_EMPTY}_"]
    out += ["", "## Sources", ""]
    for n, ref in enumerate(brief.sources, 1):
        title = _md(ref.title or ref.article_id)
        link = f"[{title}](<{ref.url}>)" if ref.url else title
        origin = _md(", ".join(bit for bit in (ref.source, _when(ref)) if bit))
        out.append(f"{n}. {link} ({origin}) — “{_md(ref.quote)}”")
    return "\n".join(out) + "\n"


def _html_line(line: BriefLine) -> str:
    return "".join(
        escape(part.text)
        + "".join(f'<sup><a href="#src-{n}">[{n}]</a></sup>' for n in part.refs)
        for part in line.parts
    )


def as_html(brief: Brief) -> str:
    body = [f"<h1>{escape(brief.title)}</h1>",
            f'<p class="headline">{_html_line(brief.headline)}</p>']
    for section in brief.sections:
        body.append(f'<h2 id="{escape(section.key)}">{escape(section.title)}</h2>')
        if section.lines:
            items = "".join(f"<li>{_html_line(line)}</li>" for line in section.lines)
            body.append(f"<ul>{items}</ul>")
        else:
            body.append(f'<p class="empty">{_EMPTY}</p>')
    body.append('<h2 id="sources">Sources</h2><ol class="sources">')
    for n, ref in enumerate(brief.sources, 1):
        title = escape(ref.title or ref.article_id)
        if ref.url and ref.url.startswith(("https://", "http://")):
            title = f'<a href="{escape(ref.url)}" rel="noopener noreferrer">{title}</a>'
        origin = escape(", ".join(bit for bit in (ref.source, _when(ref)) if bit))
        body.append(f'<li id="src-{n}">{title} ({origin}) — <q>{escape(ref.quote)}</q></li>')
    body.append("</ol>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(brief.title)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
