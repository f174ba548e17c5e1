"""The parsed sentiment lexicons are cached: a cached load gives the lexicon a fresh parse gives
(English and Chinese), without PyYAML, and a corrupt, outdated or changed cache file is rebuilt."""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from damaged_caches import UNREADABLE

from tickerwire.refdata import lexicons as lexicons_module
from tickerwire.refdata.lexicons import LANGUAGES, cached_lexicon, parse_lexicon

SRC = Path(__file__).resolve().parents[2] / "src"


def _texts(lang: str) -> tuple[str, str]:
    data = resources.files("tickerwire.refdata").joinpath("data")
    return (data.joinpath(f"sentiment_{lang}.tsv").read_text(encoding="utf-8"),
            data.joinpath("sentiment_modifiers.yaml").read_text(encoding="utf-8"))


def _load(lang: str, cache_dir: Path, texts: tuple[str, str] | None = None
          ) -> lexicons_module.Lexicon:
    terms, modifiers = texts or _texts(lang)
    return cached_lexicon(lang, terms, modifiers, origin=f"sentiment_{lang}.tsv",
                          cache_dir=cache_dir)


@pytest.mark.parametrize(("lang", "term", "negator"), [("en", "plunge", "not"), ("zh", "暴跌", "未")])
def test_a_cached_load_gives_the_parsed_lexicon(
    lang: str, term: str, negator: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = parse_lexicon(lang, *_texts(lang), origin="t")
    assert _load(lang, tmp_path) == fresh

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the lexicon was parsed although its cache is fresh")

    monkeypatch.setattr(lexicons_module, "parse_lexicon", no_parsing)
    cached = _load(lang, tmp_path)
    assert cached == fresh
    assert cached.terms[term] < 0 and negator in cached.negators
    assert cached.sources[term] == fresh.sources[term]


def test_a_process_that_finds_the_lexicons_cached_parses_no_yaml(tmp_path: Path) -> None:
    script = ("import sys\n"
              "from tickerwire.refdata.lexicons import load_lexicon\n"
              "print(len(load_lexicon('en')), len(load_lexicon('zh')), 'yaml' in sys.modules)\n")
    env = {**os.environ, "PYTHONPATH": str(SRC), "TICKERWIRE_CACHE_DIR": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env=env, timeout=120, check=True).stdout.split() for _ in range(2)]
    assert runs[0][:2] == runs[1][:2]
    assert (runs[0][2], runs[1][2]) == ("True", "False")  # parsed once, then read from the cache
    assert len(list(tmp_path.glob("lexicon-*.pickle"))) == len(LANGUAGES)


def test_a_changed_lexicon_gets_a_new_cache_file(tmp_path: Path) -> None:
    terms, modifiers = _texts("en")
    _load("en", tmp_path)
    changed = _load("en", tmp_path, (terms + "zorblax\t-0.5\n", modifiers))
    assert changed.terms["zorblax"] == -0.5
    assert "zorblax" not in _load("en", tmp_path).terms
    assert len(list(tmp_path.glob("lexicon-en-*.pickle"))) == 2


def _wrong_shape(path: Path) -> bytes:
    payload = pickle.loads(path.read_bytes())
    payload["terms"] = ["not", "a", "mapping"]
    return pickle.dumps(payload)


def _not_words(path: Path) -> bytes:
    payload = pickle.loads(path.read_bytes())
    payload["negators"] = [1, 2]
    return pickle.dumps(payload)


@pytest.mark.parametrize(
    "damage",
    [
        *UNREADABLE,
        pytest.param(_wrong_shape, id="wrong-shape"),
        pytest.param(_not_words, id="not-words"),
    ],
)
def test_a_corrupt_cache_is_rebuilt(tmp_path: Path, damage: object,
                                    caplog: pytest.LogCaptureFixture) -> None:
    fresh = _load("zh", tmp_path)
    [path] = tmp_path.glob("lexicon-zh-*.pickle")
    path.write_bytes(damage(path))  # type: ignore[operator]
    with caplog.at_level(logging.WARNING):
        assert _load("zh", tmp_path) == fresh
    assert "sentiment lexicon cache" in caplog.text
    assert _load("zh", tmp_path) == fresh
