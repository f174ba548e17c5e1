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
    kind: str  # mention | fact | index | event
    label: str  # what the hover shows, e.g. "SMIC → 00981.HK"
    anchor: str | None = None  # id of the row in the tables below the text


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    annotations: tuple[Annotation, ...] = ()

    @property
    def classes(self) -> str:
        kinds = sorted({a.kind for a in self.annotations})
        return " ".join(f"hl-{k}" for k in kinds)

    @property
    def title(self) -> str:
        return "\n".join(dict.fromkeys(a.label for a in self.annotations))

    @property
    def anchor(self) -> str | None:
        return next((a.anchor for a in self.annotations if a.anchor), None)


def segments(text: str, annotations: list[Annotation]) -> list[Segment]:
    """Cover ``text`` with segments; offsets outside the text or empty ranges are ignored."""
    size = len(text)
    valid = [a for a in annotations if 0 <= a.start < a.end <= size]
    cuts = sorted({0, size, *(a.start for a in valid), *(a.end for a in valid)})
    out: list[Segment] = []
    for start, end in pairwise(cuts):
        covering = tuple(a for a in valid if a.start <= start and end <= a.end)
        out.append(Segment(text[start:end], covering))
    return out


def paragraphs(pieces: list[Segment]) -> list[list[Segment]]:
    """Group segments into paragraphs at blank lines, splitting segments that span them."""
    result: list[list[Segment]] = [[]]
    for piece in pieces:
        parts = piece.text.split("\n\n")
        for i, part in enumerate(parts):
            if i:
                result.append([])
            if part:
                result[-1].append(Segment(part, piece.annotations))
    return [p for p in result if any(s.text.strip() for s in p)]
