"""Split an article's text into spans for display, from the offsets extraction recorded.

Annotations may nest or overlap (a fact's words usually contain a mention), so the text is cut
at every annotation boundary and each piece carries every annotation covering it. The template
renders each piece as an escaped ``<span>``; nothing here produces markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True, slots=True)
class Annotation:
    start: int
    end: int
    kind: str  # mention | fact | disputed (a fact the prices contradict) | index | event
    label: str  # what the hover shows, e.g. "SMIC → 00981.HK"
    href: str | None = None  # where a click goes: the stock page, or the fact's table row


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    start: int
    annotations: tuple[Annotation, ...] = ()
    anchor: str | None = None  # element id, so citations can link to ``#t-START``

    @property
    def classes(self) -> str:
        kinds = sorted({a.kind for a in self.annotations})
        return " ".join(f"hl-{k}" for k in kinds)

    @property
    def title(self) -> str:
        return "\n".join(dict.fromkeys(a.label for a in self.annotations))

    @property
    def href(self) -> str | None:
        return next((a.href for a in self.annotations if a.href), None)


def segments(text: str, annotations: list[Annotation]) -> list[Segment]:
    """Cover ``text`` with segments; offsets outside the text or empty ranges are ignored."""
    size = len(text)
    valid = [a for a in annotations if 0 <= a.start < a.end <= size]
    cuts = sorted({0, size, *(a.start for a in valid), *(a.end for a in valid)})
    starts = {a.start for a in valid}
    out: list[Segment] = []
    for start, end in pairwise(cuts):
        covering = tuple(a for a in valid if a.start <= start and end <= a.end)
        anchor = f"t-{start}" if start in starts else None
        out.append(Segment(text[start:end], start, covering, anchor))
    return out


def paragraphs(pieces: list[Segment]) -> list[list[Segment]]:
    """Group segments into paragraphs at blank lines, splitting segments that span them."""
    result: list[list[Segment]] = [[]]
    for piece in pieces:
        offset = piece.start
        for i, part in enumerate(piece.text.split("\n\n")):
            if i:
                result.append([])
                offset += 2
            if part:
                anchor = piece.anchor if offset == piece.start else None
                result[-1].append(Segment(part, offset, piece.annotations, anchor))
            offset += len(part)
    return [p for p in result if any(s.text.strip() for s in p)]
