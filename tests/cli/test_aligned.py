"""Aligned tables (``tickerwire.cli.aligned``): the layout of the read commands' listings."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from tickerwire.cli.aligned import GAP, WIDE_MIN, AlignedTable, Column

COLUMNS = (Column("day", no_wrap=True), Column("kind"), Column("subject", no_wrap=True),
           Column("value", numeric=True), Column("words", wide=True))
ROWS = [
    ("2025-11-07", "Price move", "00981.HK", "-2.40%", "SMIC (00981.HK) fell 2.4% to HK$75.25"),
    ("2025-11-07", "Close price", "00981.HK", "HK$75.25", "中芯国际港股11月7日收跌2.4%，报75.25港元"),
    ("2025-10-21", "Price move", "00016.HK", "+0.50%", "新鴻基地產升0.5%"),
]


def shown(table: AlignedTable, width: int, *, color: bool = False) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, highlight=False,
                      force_terminal=color, color_system="truecolor" if color else None)
    console.print(table)
    return console.export_text(styles=color)


def starts(line: str, texts: list[str]) -> list[int]:
    """The display column (CJK counted double) where each of ``texts`` starts in ``line``."""
    return [cell_len(line[: line.index(text)]) for text in texts]


def test_columns_line_up_in_display_cells_chinese_included() -> None:
    lines = shown(AlignedTable(COLUMNS, ROWS, title="Facts"), 200).splitlines()
    assert lines[0] == "Facts"
    assert lines[1].split() == ["day", "kind", "subject", "value", "words"]
    assert set(lines[2].replace(" ", "")) == {"─"}
    body = lines[3:]
    assert len(body) == len(ROWS)
    for line, row in zip(body, ROWS, strict=True):
        assert starts(line, [row[0], row[1], row[2], row[4]]) == [0, 12, 25, 45]
        # numbers are right-aligned: every value ends where the column ends
        assert cell_len(line[: line.index(row[3]) + len(row[3])]) == 43


@pytest.mark.parametrize("width", [66, 72, 80])
def test_a_narrow_console_wraps_the_wide_column_and_loses_no_word(width: int) -> None:
    text = shown(AlignedTable(COLUMNS, ROWS), width)
    assert all(cell_len(line) <= width for line in text.splitlines())
    assert any(cell_len(line) > width - 4 for line in text.splitlines())
    squeezed = text.replace(" ", "").replace("\n", "")
    for row in ROWS:
        first = next(line for line in text.splitlines() if line.startswith(row[0] + " ")
                     and row[1] in line and row[3] in line)
        assert row[2] in first
        assert "".join(row).replace(" ", "") in squeezed


def test_past_the_wide_columns_floor_the_others_wrap_too() -> None:
    text = shown(AlignedTable(COLUMNS, ROWS), 60)
    assert all(cell_len(line) <= 60 for line in text.splitlines())
    assert "2025-11-" in text and "2025-11-07" not in text


def test_the_wide_column_gives_way_first_then_the_others() -> None:
    columns = (Column("title", wide=True), Column("id", no_wrap=True))
    title, article_id = "Baidu jumps 6.2% on report it is weighing a spin-off", "mw-20251021-0012-k00003"
    lines = shown(AlignedTable(columns, [(title, article_id)]), 50).splitlines()
    assert article_id in lines[2]  # the id keeps its width while the title wraps
    assert cell_len(lines[2][: lines[2].index(article_id)]) == 50 - len(article_id)
    assert len(lines) > 3
    # too narrow even for the wide column's floor: the id wraps rather than being cropped
    lines = shown(AlignedTable(columns, [(title, article_id)]), WIDE_MIN + GAP + 10).splitlines()
    assert "".join(line.split()[-1] for line in lines[2:] if len(line.split()) > 1) \
        .endswith(article_id[-6:])


def test_cells_are_printed_as_they_are_not_as_markup() -> None:
    text = shown(AlignedTable([Column("title")], [("[bold]港股[/bold] :smile: 收市",)]), 80)
    assert "[bold]港股[/bold] :smile: 收市" in text


def test_a_newline_starts_another_line_of_the_row() -> None:
    table = AlignedTable([Column("listings"), Column("tone", numeric=True)],
                         [("00981.HK\n688981.SH", "-0.12"), ("00700.HK", "+0.30")])
    lines = shown(table, 80).splitlines()
    assert lines[2].split() == ["00981.HK", "-0.12"]
    assert lines[3].split() == ["688981.SH"]
    assert lines[4].split() == ["00700.HK", "+0.30"]


def test_max_width_wraps_a_column() -> None:
    table = AlignedTable([Column("id", max_width=10), Column("n", numeric=True)],
                         [("abcdefghijklmnopqrst", "1")])
    lines = shown(table, 80).splitlines()
    assert [line.split()[0] for line in lines[2:]] == ["abcdefghij", "klmnopqrst"]


def test_styles_are_kept() -> None:
    table = AlignedTable([Column("tone", numeric=True)], [(Text("-0.50", style="red"),)])
    assert "\x1b[31m-0.50" in shown(table, 40, color=True)


def test_caption_follows_the_rows() -> None:
    text = shown(AlignedTable([Column("day")], [("2025-11-07",)], caption="coverage since 2025-10-22"), 80)
    assert text.splitlines()[-1] == "coverage since 2025-10-22"


def test_a_row_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="2 cells"):
        AlignedTable([Column("a"), Column("b")], [("only one",)])


def test_a_console_wide_enough_wraps_nothing() -> None:
    lines = shown(AlignedTable(COLUMNS, ROWS), 85).splitlines()
    assert len(lines) == 2 + len(ROWS)
    assert max(cell_len(line) for line in lines) == 85


def test_wrapped_lines_keep_no_trailing_space() -> None:
    table = AlignedTable([Column("title", wide=True)],
                         [("Hang Seng Index review: brokers tip Horizon Robotics for inclusion",)])
    lines = shown(table, WIDE_MIN + 5).splitlines()[2:]
    assert len(lines) > 1 and all(line == line.rstrip() for line in lines)
