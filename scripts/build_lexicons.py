"""Build the packaged sentiment lexicons from licensed sources plus tickerwire's own terms.

    python scripts/build_lexicons.py --shared ../shared/data

Writes, deterministically (same inputs, same bytes):

- ``src/tickerwire/refdata/data/sentiment_en.tsv``  term, weight, source
- ``src/tickerwire/refdata/data/sentiment_zh.tsv``  term, weight, source
- ``src/tickerwire/refdata/data/sentiment_modifiers.yaml``  negators, intensifiers, neutral blockers

Licence policy (see ``src/tickerwire/refdata/data/LEXICONS.md``):

- SentiBigNomics (Apache-2.0) is shipped, filtered and rescaled, with attribution.
- Loughran-McDonald (research-only) is never read by this script, so neither its words nor a
  derivative can end up in the package.
- The Chinese academic dictionaries carry no licence that grants redistribution; they are not
  read either. The Chinese lexicon is tickerwire's own curated terms only.
"""

from __future__ import annotations

import argparse
import csv
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import opencc
import yaml

log = logging.getLogger("build_lexicons")

ROOT = Path(__file__).resolve().parent.parent
CURATED = ROOT / "scripts" / "lexicons"
OUT = ROOT / "src" / "tickerwire" / "refdata" / "data"

SENTIBIGNOMICS = Path("lexicons/en/sentibignomics.tsv")
# Base terms count for less than curated ones: a general economic lexicon is noisier on wraps.
BASE_SCALE = 0.5
# Base terms weaker than this (before scaling) are dropped: they add noise, not signal.
BASE_MIN_ABS = 0.2
# OpenCC configurations that give every Chinese term its simplified and traditional forms.
LANGS = ("en", "zh")
OPENCC_CONFIGS = ("s2t", "s2hk", "s2tw", "t2s", "hk2s", "tw2s")

_VOWELS = set("aeiou")
_LATIN_WORD = re.compile(r"[a-z][a-z'-]*")


def inflections(lemma: str) -> list[str]:
    """The lemma and its regular -s, -ed and -ing forms (good enough for a lexicon lookup)."""
    if not _LATIN_WORD.fullmatch(lemma):
        return [lemma]
    forms = [lemma]
    if lemma.endswith(("s", "x", "z", "ch", "sh")):
        forms.append(lemma + "es")
    elif lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in _VOWELS:
        forms.append(lemma[:-1] + "ies")
    else:
        forms.append(lemma + "s")
    doubled = (
        len(lemma) <= 5
        and len(lemma) >= 3
        and lemma[-1] not in _VOWELS | {"w", "x", "y"}
        and lemma[-2] in _VOWELS
        and lemma[-3] not in _VOWELS
    )
    if lemma.endswith("e"):
        forms.append(lemma + "d")
        forms.append(lemma[:-1] + "ing" if not lemma.endswith("ee") else lemma + "ing")
    elif lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in _VOWELS:
        forms.append(lemma[:-1] + "ied")
        forms.append(lemma + "ing")
    elif doubled:
        forms.append(lemma + lemma[-1] + "ed")
        forms.append(lemma + lemma[-1] + "ing")
    else:
        forms.append(lemma + "ed")
        forms.append(lemma + "ing")
    return forms


def chinese_variants(term: str, converters: list[opencc.OpenCC]) -> list[str]:
    """``term`` in every script OpenCC knows (simplified, traditional, HK, TW), deduplicated."""
    out = {term}
    for conv in converters:
        out.add(conv.convert(term))
    return sorted(out)


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _term(value: object) -> str:
    if not isinstance(value, str):
        raise SystemExit(f"{value!r} is not a string (quote it in the YAML)")
    return value.lower()


def _weight(value: object, where: str) -> float:
    if not isinstance(value, (int, float)) or not -1.0 <= float(value) <= 1.0:
        raise SystemExit(f"{where}: weight must be a number in -1..1, got {value!r}")
    return round(float(value), 3)


def read_sentibignomics(path: Path, exclude: set[str]) -> dict[str, float]:
    """SentiBigNomics lemmas (and their regular inflections), filtered and rescaled."""
    if not path.is_file():
        raise SystemExit(f"{path}: not found (pass --shared pointing at ../shared/data)")
    lemmas: dict[str, float] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            term = row["term"].strip().lower()
            weight = float(row["polarity"])
            if not term or abs(weight) < BASE_MIN_ABS or term in exclude:
                continue
            lemmas[term] = round(weight * BASE_SCALE, 3)
    out: dict[str, float] = dict(lemmas)
    for lemma in sorted(lemmas):
        for form in inflections(lemma)[1:]:
            if form not in lemmas and form not in exclude:
                out.setdefault(form, lemmas[lemma])
    return out


def read_curated_en(path: Path) -> dict[str, float]:
    data = _read_yaml(path)
    out: dict[str, float] = {}
    for lemma, value in (data.get("words") or {}).items():
        weight = _weight(value, f"{path}: {lemma}")
        for form in inflections(str(lemma).lower()):
            out.setdefault(form, weight)
    for phrase, value in (data.get("phrases") or {}).items():
        out[str(phrase).lower()] = _weight(value, f"{path}: {phrase}")  # explicit beats inflected
    return out


def read_curated_zh(path: Path, converters: list[opencc.OpenCC]) -> dict[str, float]:
    data = _read_yaml(path)
    out: dict[str, float] = {}
    for term, value in (data.get("terms") or {}).items():
        weight = _weight(value, f"{path}: {term}")
        for variant in chinese_variants(str(term), converters):
            if out.get(variant, weight) != weight:
                raise SystemExit(f"{path}: {variant!r} (from {term!r}) has two weights")
            out[variant] = weight
    return out


def build_modifiers(path: Path, converters: list[opencc.OpenCC]) -> dict[str, Any]:
    """Negators, intensifiers, neutral blockers and inverse figures per language, Chinese in both
    scripts."""
    data = _read_yaml(path)
    out: dict[str, Any] = {"negators": {}, "intensifiers": {}, "neutral": {}, "inverse_figures": {}}
    for lang in ("en", "zh"):

        def expand(term: object, lang: str = lang) -> list[str]:
            if not isinstance(term, str):
                raise SystemExit(f"{path}: {term!r} is not a string (quote it in the YAML)")
            return chinese_variants(term, converters) if lang == "zh" else [term.lower()]

        out["negators"][lang] = sorted({v for t in data["negators"][lang] for v in expand(t)})
        out["neutral"][lang] = sorted({v for t in data["neutral"][lang] for v in expand(t)})
        out["inverse_figures"][lang] = sorted({v for t in data["inverse_figures"][lang] for v in expand(t)})
        factors: dict[str, float] = {}
        for term, factor in data["intensifiers"][lang].items():
            if not isinstance(factor, (int, float)) or not 0.0 < float(factor) <= 3.0:
                raise SystemExit(f"{path}: intensifier {term!r} factor must be in (0, 3]")
            for variant in expand(str(term)):
                factors[variant] = round(float(factor), 3)
        out["intensifiers"][lang] = dict(sorted(factors.items()))
    return out


def check_disjoint(lang: str, terms: Iterable[str], modifiers: Mapping[str, Any]) -> None:
    """A surface form is a term, a negator, an intensifier or a blocker — never two of them."""
    groups: dict[str, Iterable[str]] = {
        "term": terms,
        "negator": modifiers["negators"][lang],
        "intensifier": modifiers["intensifiers"][lang],
        "neutral": modifiers["neutral"][lang],
        "inverse figure": modifiers["inverse_figures"][lang],
    }
    seen: dict[str, str] = {}
    for kind, words in groups.items():
        for word in words:
            if word in seen:
                raise SystemExit(f"{lang}: {word!r} is both {seen[word]} and {kind}")
            seen[word] = kind


def write_tsv(path: Path, rows: Mapping[str, tuple[float, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("term\tweight\tsource\n")
        for term in sorted(rows):
            weight, source = rows[term]
            fh.write(f"{term}\t{weight:g}\t{source}\n")


def merge(
    base: Mapping[str, float], curated: Mapping[str, float], source: str
) -> dict[str, tuple[float, str]]:
    rows: dict[str, tuple[float, str]] = {t: (w, source) for t, w in base.items()}
    rows.update({t: (w, "tickerwire") for t, w in curated.items()})
    return rows


def build(shared: Path, out: Path) -> dict[str, int]:
    converters = [opencc.OpenCC(cfg) for cfg in OPENCC_CONFIGS]
    modifiers = build_modifiers(CURATED / "modifiers.yaml", converters)
    blocked = {
        *modifiers["negators"]["en"],
        *modifiers["intensifiers"]["en"],
        *modifiers["neutral"]["en"],
        *modifiers["inverse_figures"]["en"],
    }
    exclude = {_term(w) for w in _read_yaml(CURATED / "en_base_exclude.yaml")["exclude"]}
    base_en = read_sentibignomics(shared / SENTIBIGNOMICS, exclude | blocked)
    curated_en = read_curated_en(CURATED / "en_terms.yaml")
    curated_zh = read_curated_zh(CURATED / "zh_terms.yaml", converters)
    en = merge({t: w for t, w in base_en.items() if t not in blocked}, curated_en, "sentibignomics")
    zh = merge({}, curated_zh, "tickerwire")
    check_disjoint("en", en, modifiers)
    check_disjoint("zh", zh, modifiers)
    out.mkdir(parents=True, exist_ok=True)
    write_tsv(out / "sentiment_en.tsv", en)
    write_tsv(out / "sentiment_zh.tsv", zh)
    with (out / "sentiment_modifiers.yaml").open("w", encoding="utf-8") as fh:
        fh.write("# Generated by scripts/build_lexicons.py from scripts/lexicons/modifiers.yaml.\n")
        yaml.safe_dump(modifiers, fh, allow_unicode=True, sort_keys=True, width=100)
    return {
        "en_terms": len(en),
        "en_curated": sum(1 for _, s in en.values() if s == "tickerwire"),
        "en_sentibignomics": sum(1 for _, s in en.values() if s == "sentibignomics"),
        "zh_terms": len(zh),
        "negators": sum(len(v) for v in modifiers["negators"].values()),
        "intensifiers": sum(len(v) for v in modifiers["intensifiers"].values()),
    }


def agreement(sample: Path, out: Path) -> tuple[int, int, dict[tuple[str, str], int]]:
    """Score the hand-labelled sentences in ``sample`` with the lexicons just written to ``out``.

    Returns (sentences, agreements, confusion counts keyed by (gold, predicted)).
    """
    from tickerwire.extract.sentiment import SentimentScorer
    from tickerwire.refdata.lexicons import read_lexicon

    modifiers = out / "sentiment_modifiers.yaml"
    lexicons = {
        lang: read_lexicon(lang, out / f"sentiment_{lang}.tsv", modifiers) for lang in LANGS
    }
    scorer = SentimentScorer(lexicons)
    confusion: dict[tuple[str, str], int] = {}
    total = agree = 0
    with sample.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            predicted = scorer.score_text(row["sentence"]).label
            confusion[(row["label"], predicted)] = confusion.get((row["label"], predicted), 0) + 1
            total += 1
            agree += predicted == row["label"]
    return total, agree, confusion


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="path to ../shared/data")
    parser.add_argument("--out", type=Path, default=OUT, help="output directory (package data)")
    parser.add_argument(
        "--agreement",
        action="store_true",
        help="also score scripts/lexicons/agreement_sample.tsv and report label agreement",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    counts = build(args.shared, args.out)
    for key, value in counts.items():
        log.info("%-18s %6d", key, value)
    if args.agreement:
        total, agree, confusion = agreement(CURATED / "agreement_sample.tsv", args.out)
        log.info("agreement          %d/%d = %.1f%%", agree, total, 100 * agree / total)
        for (gold, predicted), n in sorted(confusion.items()):
            log.info("  gold %-8s -> %-8s %3d", gold, predicted, n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
