"""Plain aligned tables: the listings the read commands print (a stock's days, facts, events and
articles, movers, search hits, sources).

A rich ``Table`` measures and lays out every cell through its layout engine, about half a
millisecond a row: laying out a stock page's 700 lines took longer than reading them from a
million-article store. An :class:`AlignedTable` measures each cell once, pads the columns with
spaces under a bold header and a rule, and wraps only the cells wider than their column. Cells
are strings (printed as they are: no console markup) or styled ``Text``; a newline in a cell
starts another line of its row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

GAP = 2  # spaces between columns
WIDE_MIN = 20  # the wide column never gets narrower than this while others can shrink
NARROW_MIN = 8  # nor does any other column that may wrap
RULE = "─"


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header; ``numeric`` (right-aligned, never wrapped), ``no_wrap`` (never
    wrapped), ``wide`` (the first to give way when a row is wider than the console, down to
    ``WIDE_MIN``), ``max_width`` (cells wider are wrapped to it)."""

    header: str
    numeric: bool = False
    no_wrap: bool = False
    wide: bool = False
    max_width: int | None = None


def _cell_lines(cell: str | Text) -> list[Text]:
    if isinstance(cell, str):
        return [Text(line) for line in cell.split("\n")]
    if "\n" not in cell.plain:
        return [cell]
    return list(cell.split("\n", allow_blank=True))


def _wrapped(console: Console, line: Text, width: int) -> list[Text]:
    """``line`` wrapped at word boundaries (a word wider than ``width`` folded) to ``width``."""
    parts = list(line.wrap(console, width, overflow="fold"))
    for part in parts:
        part.rstrip()  # the space the line was broken at
    return parts


class AlignedTable:
    """Rows under a title and a header, each column as wide as its widest cell (see module)."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[Sequence[str | Text]], *,
                 title: str | None = None, caption: str | None = None) -> None:
        if any(len(row) != len(columns) for row in rows):
            raise ValueError(f"every row needs {len(columns)} cells")
        self.columns = tuple(columns)
        self.title = title
        self.caption = caption
        header = [Text(column.header, style="table.header") for column in self.columns]
        self._rows = [[[cell] for cell in header],
                      *([_cell_lines(cell) for cell in row] for row in rows)]

    def _natural(self) -> list[int]:
        return [max(line.cell_len for row in self._rows for line in row[i])
                for i in range(len(self.columns))]

    def _widths(self, available: int) -> list[int]:
        """Each column's width: its widest cell up to ``max_width``. When the row is wider than
        ``available``, columns give way in turn: the wide one (down to ``WIDE_MIN``), then the
        others that may wrap, then the ``no_wrap`` ones (a wrapped id beats a cropped one), each
        down to ``NARROW_MIN``; numbers never."""
        widths = [min(width, column.max_width or width)
                  for width, column in zip(self._natural(), self.columns, strict=True)]
        excess = sum(widths) + GAP * (len(widths) - 1) - available
        turns = ([i for i, c in enumerate(self.columns) if c.wide],
                 [i for i, c in enumerate(self.columns) if not (c.wide or c.no_wrap or c.numeric)],
                 [i for i, c in enumerate(self.columns) if c.no_wrap and not c.numeric])
        for turn, floor in zip(turns, (WIDE_MIN, NARROW_MIN, NARROW_MIN), strict=True):
            while excess > 0:
                room = [(widths[i] - floor, i) for i in turn if widths[i] > floor]
                if not room:
                    break
                widths[max(room)[1]] -= 1
                excess -= 1
        return widths

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        natural = self._natural()
        gaps = GAP * (len(natural) - 1)
        return Measurement(min(sum(natural) + gaps, options.max_width),
                           sum(natural) + gaps).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self._widths(options.max_width)
        if self.title:
            yield Text(self.title, style="table.title", end="\n")
        rule = Segment((" " * GAP).join(RULE * width for width in widths) + "\n",
                       console.get_style("dim"))
        for number, row in enumerate(self._rows):
            yield from self._row_segments(console, row, widths)
            if number == 0:
                yield rule
        if self.caption:
            yield Text(self.caption, style="table.caption", end="\n")

    def _row_segments(self, console: Console, row: list[list[Text]],
                      widths: list[int]) -> RenderResult:
        cells: list[list[Text]] = []
        for lines, width in zip(row, widths, strict=True):
            if any(line.cell_len > width for line in lines):
                lines = [part for line in lines for part in _wrapped(console, line, width)]
            cells.append(lines)
        gap = Segment(" " * GAP)
        for n in range(max(len(lines) for lines in cells)):
            for i, (lines, width, column) in enumerate(zip(cells, widths, self.columns,
                                                           strict=True)):
                if i:
                    yield gap
                line = lines[n] if n < len(lines) else None
                pad = width - (line.cell_len if line is not None else 0)
                last = i == len(widths) - 1
                if column.numeric and pad:
                    yield Segment(" " * pad)
                if line is not None:
                    # Text.render leaves the text's own style to its caller
                    yield from Segment.apply_style(
                        line.render(console),
                        console.get_style(line.style, default=None) if line.style else None)
                if not column.numeric and pad and not last:
                    yield Segment(" " * pad)
            yield Segment.line()
