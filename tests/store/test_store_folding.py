"""Search folding: 简/繁, full-width, case and spacing folded, with offsets into the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickerwire.store import folding
from tickerwire.store.folding import fold, fold_mapped, fold_sql, merge_spans, term_spans


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("中芯國際", "中芯国际"),  # traditional → simplified
        ("中芯国际", "中芯国际"),  # simplified stays
        ("騰訊控股", "腾讯控股"),
        ("滙豐控股", "汇丰控股"),
        ("恒生銀行", "恒生银行"),
        ("ＳＭＩＣ", "smic"),  # full-width → half-width, then case
        ("００９８１．ＨＫ", "00981.hk"),
        ("Hang Seng\nTech", "hang seng tech"),  # line breaks and runs of spaces → one space
        ("HK$  512.50", "hk$ 512.50"),
        ("Straße", "strasse"),  # casefold, not lower
        ("中\u200b芯", "中芯"),  # zero-width space dropped
        ("\ufeffSMIC", "smic"),  # BOM dropped
        ("腾讯（00700）", "腾讯(00700)"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


# Characters that folding changes or drops, mixed with plain ones.
_FOLDED_ALPHABET = st.sampled_from([
    "a", "Z", " ", "  ", "\n", "\t", "\u00a0", "\u2028", "\u3000", "\u200b", "\u00ad", "\ufeff",
    "\u2066", "Ｓ", "１", "（", "ß", "Σ", "ﬁ", "İ", "中", "國", "際", "騰", "訊", "乾", "隻", "后",
    "台", "髮", "\U00020000", "。", ".", "%",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_FOLDED_ALPHABET, max_size=40).map("".join))
def test_fold_is_the_text_of_fold_mapped(text: str) -> None:
    assert fold(text) == fold_mapped(text).text


class _LengthChangingConverter:
    """A stand-in for OpenCC whose conversion changes a phrase's length (OpenCC's own t2s
    dictionaries have no such phrase today, but nothing promises it) and reads across Han runs
    (it rewrites "SMIC", which a run-by-run conversion never shows it)."""

    @staticmethod
    def convert(text: str) -> str:
        return text.replace("國際", "国际化").replace("髮", "").replace("SMIC", "smic!")


@pytest.mark.parametrize("text", ["中芯國際 SMIC", "理髮店\n\n國際  銀行", "no han at all", "國際"])
def test_fold_agrees_with_fold_mapped_when_conversion_changes_length(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setattr(folding, "_converter", _LengthChangingConverter)
    assert fold(text) == fold_mapped(text).text
    assert "国际化" in fold(text) or "國際" not in text


def test_every_folded_character_points_at_its_original() -> None:
    text = "ＳＭＩＣ  中芯國際\n\nStraße"
    folded = fold_mapped(text)
    assert folded.text == "smic 中芯国际 strasse"
    assert len(folded.origin) == len(folded.text)
    for at, char in enumerate(folded.text):
        original = text[folded.origin[at]]
        assert fold(original) in (char, "ss", "") or original.isspace()
    assert folded.original_span(5, 9) == (6, 10)  # 中芯国际 ← 中芯國際


@pytest.mark.parametrize(
    ("text", "term", "found"),
    [
        ("中芯國際(00981)跌2.4%", "中芯国际", ["中芯國際"]),
        ("中芯国际收涨,中芯国际再创新高", "中芯國際", ["中芯国际", "中芯国际"]),
        ("ＳＭＩＣ shares rose; smic is a foundry", "SMIC", ["ＳＭＩＣ", "smic"]),
        ("Hang Seng\n  Tech Index", "hang seng tech", ["Hang Seng\n  Tech"]),
        ("The STRASSE and the Straße", "strasse", ["STRASSE", "Straße"]),
        ("Tencent fell", "腾讯", []),
        ("腾讯", "", []),
    ],
)
def test_term_spans_cut_the_original_words(text: str, term: str, found: list[str]) -> None:
    assert [text[s:e] for s, e in term_spans(fold_mapped(text), term)] == found


def test_sql_folding_pads_the_text_and_keeps_null() -> None:
    assert fold_sql(None) is None
    assert fold_sql("騰訊") == "腾讯  "


def test_merge_spans() -> None:
    assert merge_spans([(5, 8), (0, 2), (1, 3), (8, 9)]) == [(0, 3), (5, 9)]
