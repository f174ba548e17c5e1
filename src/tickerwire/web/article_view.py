"""The article page's text: spans for mentions, indices, facts and events, with hover labels."""

from __future__ import annotations

from urllib.parse import quote

from tickerwire.display import fact_value, verdict_mark
from tickerwire.insights import ArticleView
from tickerwire.taxonomy import label as kind_label
from tickerwire.web.highlight import Annotation, Segment, paragraphs, segments


def text_annotations(view: ArticleView) -> list[Annotation]:
    """One annotation per extracted item, labelled with what it links to."""
    out: list[Annotation] = []
    for m in view.mentions:
        others = ", ".join(code for code in m.listings if code != m.listing)
        label = f"{m.name} → {m.listing}" + (f" (also {others})" if others else "")
        out.append(
            Annotation(m.start, m.end, "mention", label, f"/stock/{quote(m.listing, safe='')}")
        )
    for i in view.indices:
        out.append(Annotation(i.start, i.end, "index", f"index {i.index}"))
    for n, f in enumerate(view.facts):
        subject = f.subject or "no clear subject"
        label = f"{kind_label(f.kind)} · {subject} · {fact_value(f)}"
        mark = verdict_mark(f.verification, f.currency)
        disputed = f.verification is not None and f.verification.verdict in ("contradicted", "wrong_day")
        out.append(Annotation(f.start, f.end, "disputed" if disputed else "fact",
                              f"{label} · {mark}" if mark else label, f"#fact-{n}"))
    for e in view.events:
        subjects = ", ".join(e.subjects) or "market"
        out.append(Annotation(e.start, e.end, "event", f"event {kind_label(e.type)} · {subjects}"))
    return out


def annotated_text(view: ArticleView) -> list[list[Segment]]:
    """The article text as paragraphs of annotated segments."""
    return paragraphs(segments(view.text, text_annotations(view)))
