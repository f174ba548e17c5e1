"""The literals of the prefilters' patterns are read once and kept in the user cache directory: a
cached answer is the parsed one, a pattern's words are read without compiling them, and a corrupt
or outdated cache file is rebuilt."""

from __future__ import annotations

import logging
import pickle
import re
from pathlib import Path

import pytest
import regex

from tickerwire.extract.prefilter import _RE_FLAGS, _KnownLiterals, pattern_literals, required_literals

PATTERNS: list[tuple[re.Pattern[str] | regex.Pattern[str], tuple[str, ...] | None]] = [
    (regex.compile(r"(?<![A-Za-z])(?:closed|ended)\s+at", regex.IGNORECASE), ("closed", "ended")),
    (re.compile("收[市盘]|收盤"), ("收",)),
    (re.compile("[連连]續"), ("連", "连")),
    (re.compile("(?:worth of )?changed hands", re.IGNORECASE), ("worth of ", "changed hands")),
    (re.compile("(?i)Debut"), ("debut",)),  # an inline flag
    (re.compile(r"\d+月"), None),  # a branch without a leading literal: always searched
    (regex.compile(r"\p{Han}+股"), None),  # syntax only the regex module reads
    (re.compile("ſtock", re.IGNORECASE), None),  # the long s folds to s: lower-cased literals miss it
]


def _answers(known: _KnownLiterals) -> list[tuple[str, ...] | None]:
    return [known.get(p.pattern, int(p.flags & _RE_FLAGS)) for p, _ in PATTERNS]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TICKERWIRE_CACHE_DIR", str(tmp_path))
    return tmp_path


def _written(cache_dir: Path) -> Path:
    writer = _KnownLiterals()
    _answers(writer)
    writer.save()
    [path] = cache_dir.glob("literals-*.pickle")
    return path


def test_a_cached_answer_is_the_parsed_one(cache_dir: Path) -> None:
    expected = [literals for _, literals in PATTERNS]
    assert [required_literals(p) for p, _ in PATTERNS] == expected
    writer = _KnownLiterals()
    assert _answers(writer) == expected and writer.unsaved
    writer.save()
    assert not writer.unsaved
    reader = _KnownLiterals()
    assert _answers(reader) == expected
    assert not reader.unsaved, "every answer came from the file"
    reader.get("上市首日", 0)
    assert reader.unsaved


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
@pytest.mark.parametrize(
    "word", ["debut", "首日", "收[市盘]", r"\d{1,2}月[累至]", "(?i)Listing", "next (?:week|month)"]
)
def test_a_word_is_read_without_compiling_it_as_compiled(word: str, flags: int) -> None:
    assert pattern_literals(word, flags) == required_literals(re.compile(word, flags))


def _wrong_shape(path: Path) -> bytes:
    payload = pickle.loads(path.read_bytes())
    payload["literals"] = {("收[市盘]", 0): "收"}  # a string, not a tuple of literals
    return pickle.dumps(payload)


def _other_version(path: Path) -> bytes:
    payload = pickle.loads(path.read_bytes())
    payload["layout"] = 0
    payload["literals"] = {(p.pattern, int(p.flags & _RE_FLAGS)): ("x",) for p, _ in PATTERNS}
    return pickle.dumps(payload)


@pytest.mark.parametrize(
    ("damage", "logged"),
    [
        pytest.param(lambda path: b"not a pickle", "unreadable", id="garbage"),
        pytest.param(lambda path: b"cos\nsystem\n(S'echo hi'\ntR.", "unreadable", id="class-reference"),
        pytest.param(_wrong_shape, "not a table of literals", id="wrong-shape"),
        pytest.param(_other_version, "another version", id="other-version"),
    ],
)
def test_a_damaged_cache_is_rebuilt(
    cache_dir: Path, damage: object, logged: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = _written(cache_dir)
    path.write_bytes(damage(path))  # type: ignore[operator]
    with caplog.at_level(logging.INFO):
        rebuilt = _KnownLiterals()
        assert _answers(rebuilt) == [literals for _, literals in PATTERNS]
    assert logged in caplog.text
    rebuilt.save()
    again = _KnownLiterals()
    assert _answers(again) == [literals for _, literals in PATTERNS] and not again.unsaved


def test_the_characters_that_fold_specially_are_kept_with_the_literals(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tickerwire.extract import prefilter

    expected = prefilter._special_characters()
    assert {"ſ", "ß", "ς", "µ", "ﬁ"} <= set(expected)
    assert not {"收", "連", "é", "a"} & set(expected)
    path = _written(cache_dir)
    assert pickle.loads(path.read_bytes())["special"] == expected

    def not_again() -> str:
        raise AssertionError("found again instead of read from the file")

    monkeypatch.setattr(prefilter, "_special_characters", not_again)
    reader = _KnownLiterals()
    assert reader.special_characters() == expected and not reader.unsaved


@pytest.mark.parametrize("special", [None, 42, ["ſ"]])
def test_a_missing_or_damaged_table_of_special_characters_is_found_again(cache_dir: Path, special: object) -> None:
    from tickerwire.extract.prefilter import _special_characters

    path = _written(cache_dir)
    payload = pickle.loads(path.read_bytes())
    if special is None:
        del payload["special"]
    else:
        payload["special"] = special
    path.write_bytes(pickle.dumps(payload))
    reader = _KnownLiterals()
    assert _answers(reader) == [literals for _, literals in PATTERNS]
    assert reader.unsaved, "the file is rewritten with the table"
    assert reader.special_characters() == _special_characters()
    reader.save()
    assert pickle.loads(path.read_bytes())["special"] == _special_characters()


@pytest.mark.parametrize(
    "word", ["closed", "net profit", "收盘", "連續", "暗盤", "ſettled", "straße", "ς", "µ", "\u212a", "é", "ﬁ"]
)
def test_a_word_is_read_without_the_table_of_special_characters(word: str) -> None:
    """A word list's entries (English, 简体, 繁體, and characters that fold specially) are read
    character by character: building the prefilters needs no table, which only texts need."""
    from tickerwire.extract import prefilter

    prefilter._unplain.cache_clear()
    try:
        answer = required_literals(word)
        assert prefilter._unplain.cache_info().currsize == 0
        assert answer == ((word,) if word == word.lower() and prefilter._plain(word) else None)
    finally:
        prefilter._unplain.cache_clear()
