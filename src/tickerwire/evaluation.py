"""Accuracy against gold annotations (``tickerwire eval``).

The matching rules are those of the evaluation set's README, restated in docs/accuracy.md:

- issuers: a gold issuer is found when any of its codes is the ``listing`` or one of the
  ``listings`` of a predicted mention; gold issuers with a ``role`` are optional; a predicted
  issuer naming a company listed under ``unresolved``/``private`` is not counted against us.
- indices and events: sets of ids per article.
- moves: predicted facts with a ``pct`` (price_move, index_level) vs gold moves, same subject (any
  listing of the same issuer) and same signed percentage within 0.005; duplicates merged.
- index_levels: same index, level within max(0.5, 0.01 %).
- amounts: same kind, value within 0.5 %; gold kind ``other`` is not graded.
- sentiment: each gold ``sentiment.by_subject`` company against the label of the predicted
  listing of the same issuer (the strongest-scored when there are several); not found is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tickerwire.errors import InvalidInputError
from tickerwire.extract import Pipeline, build_pipeline
from tickerwire.model import Article, Extraction
from tickerwire.refdata.master import load_master
from tickerwire.sources.published import with_publication_date
from tickerwire.taxonomy import AMOUNT_KINDS, GRADED_EVENT_TYPES, MOVE_KINDS
from tickerwire.timeutil import HONG_KONG

FIELDS = ("issuers", "indices", "moves", "index_levels", "amounts", "events", "horizons", "dates", "previous")
# Sentiment per company (gold ``sentiment.by_subject``): one row per class (tp/fp/fn of that label)
# after the accuracy row ``sentiment`` (tp = right, fp = fn = wrong). A gold company the pipeline
# did not find counts as wrong ("none").
SENTIMENT_LABELS = ("positive", "negative", "neutral")
SENTIMENT_FIELDS = ("sentiment", *(f"sentiment_{label}" for label in SENTIMENT_LABELS))
# Graded only where the gold carries them (real2): a found move's horizon, and the publication
# day found with the document's own date removed (where it was printed or in the URL). For these
# two, tp = right and fp = fn = wrong, so precision = recall = F1 = accuracy.
# ``previous``: of the found amounts whose gold records the old value of a change (a target price
# raised from HK$80 to HK$95), how many state that old value; graded the same way.
ACCURACY_FIELDS = ("horizons", "dates", "previous", *SENTIMENT_FIELDS)
# Every gold line carries these lists (empty when the article has none).
GOLD_LISTS = ("issuers", "indices", "moves", "index_levels", "amounts", "events")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass(frozen=True)
class EvalRow:
    field: str
    lang: str
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "lang": self.lang,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class ArticleResult:
    id: str
    lang: str
    scores: dict[str, Score]
    missed: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class EvalReport:
    articles: list[ArticleResult]
    ungraded: list[str] = field(default_factory=list)  # ids of documents the gold does not annotate

    @property
    def rows(self) -> list[EvalRow]:
        out = []
        for lang in ("all", "en", "zh"):
            picked = [a for a in self.articles if lang == "all" or a.lang == lang]
            if not picked:
                continue
            for name in (*FIELDS, *SENTIMENT_FIELDS):
                total = Score()
                for a in picked:
                    total.add(a.scores.get(name, Score()))
                if name in ACCURACY_FIELDS and not total.tp + total.fp:
                    continue
                out.append(EvalRow(name, lang, total.tp, total.fp, total.fn, total.precision, total.recall, total.f1))
        return out

    def errors_by_cause(self) -> list[tuple[str, list[str]]]:
        """Every miss and extra, grouped by field and kind ("moves missed"), largest group first;
        each entry names its article and carries the article's words or the gold note."""
        groups: dict[str, list[str]] = {}
        for a in self.articles:
            for kind, found in (("missed", a.missed), ("extra", a.extra)):
                for name, items in found.items():
                    groups.setdefault(f"{name} {kind}", []).extend(f"{a.id} [{a.lang}] {item}" for item in items)
        return sorted(groups.items(), key=lambda group: (-len(group[1]), group[0]))

    @property
    def details(self) -> list[dict[str, Any]]:
        return [
            {"id": a.id, "lang": a.lang, "missed": a.missed, "extra": a.extra}
            for a in self.articles
            if any(a.missed.values()) or any(a.extra.values())
        ]

    def sentiment_summary(self) -> dict[str, dict[str, float]]:
        """Per language ("all", "en", "zh"): labels graded, accuracy, macro-F1 and each class's F1."""
        out: dict[str, dict[str, float]] = {}
        for lang in ("all", "en", "zh"):
            rows = {r.field: r for r in self.rows if r.lang == lang and r.field in SENTIMENT_FIELDS}
            if "sentiment" not in rows:
                continue
            summary: dict[str, float] = {
                "labels": rows["sentiment"].tp + rows["sentiment"].fp,
                "accuracy": round(rows["sentiment"].f1, 4),
            }
            class_f1 = [_class_row(rows, label).f1 for label in SENTIMENT_LABELS]
            summary["macro_f1"] = round(sum(class_f1) / len(class_f1), 4)
            for label, f1 in zip(SENTIMENT_LABELS, class_f1, strict=True):
                summary[f"f1_{label}"] = round(f1, 4)
            out[lang] = summary
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": [r.to_dict() for r in self.rows],
            "articles": len(self.articles),
            "ungraded": self.ungraded,
            "sentiment": self.sentiment_summary(),
        }


def _class_row(rows: dict[str, EvalRow], label: str) -> EvalRow:
    """The row of one sentiment class, or an empty one (F1 1.0: nothing to find, nothing found)."""
    name = f"sentiment_{label}"
    return rows.get(name) or EvalRow(name, "", 0, 0, 0, 1.0, 1.0, 1.0)


def _read_jsonl(
    path: Path, *, required: tuple[str, ...], lists: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """The objects of a JSON Lines file, each with a non-empty string under every ``required``
    key, a list under every ``lists`` key and a unique ``id``; an :class:`InvalidInputError`
    names the first line that is not. Each object gets its line number under ``"_line"``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise InvalidInputError(f"{path}: cannot read ({reason}); check the path") from exc
    out = []
    seen: dict[str, int] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInputError(f"{path}:{n}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise InvalidInputError(
                f"{path}:{n}: a JSON {type(record).__name__}, not an object; write one object a line"
            )
        for key in required:
            value = record.get(key)
            if not isinstance(value, str) or not value.strip():
                raise InvalidInputError(
                    f'{path}:{n}: no "{key}"; every line needs a non-empty string "{key}"'
                )
        for key in lists:
            if not isinstance(record.get(key), list):
                raise InvalidInputError(
                    f'{path}:{n}: no "{key}" list; a gold line lists {", ".join(lists)} '
                    "(empty lists when there are none)"
                )
        if record["id"] in seen:
            raise InvalidInputError(
                f"{path}:{n}: id {record['id']!r} is already on line {seen[record['id']]}; "
                "ids must be unique"
            )
        seen[record["id"]] = n
        out.append(record | {"_line": n})
    return out


def sample_ids(ids: Iterable[str], shown: int = 3) -> str:
    """``'a', 'b', 'c' … (9 in all)``: the first few ids, for messages."""
    listed = list(ids)
    more = f" … ({len(listed)} in all)" if len(listed) > shown else ""
    return ", ".join(repr(i) for i in listed[:shown]) + more


def run_eval(docs: Path, gold: Path, *, lang: str | None = None, pipeline: Pipeline | None = None) -> EvalReport:
    """Extract every document of ``docs`` and grade it against ``gold`` (same ids)."""
    gold_by_id = {g["id"]: g for g in _read_jsonl(gold, required=("id",), lists=GOLD_LISTS)}
    documents = [
        doc for doc in _read_jsonl(docs, required=("id", "text"))
        if not lang or (doc.get("lang") or "en") == lang
    ]
    if not documents:
        where = f" in {lang}" if lang else ""
        raise InvalidInputError(f"{docs}: no document{where} to grade")
    if not any(doc["id"] in gold_by_id for doc in documents):
        raise InvalidInputError(
            f"no document id in {docs} ({sample_ids(d['id'] for d in documents)}) matches an id in "
            f"{gold} ({sample_ids(gold_by_id) or 'none'}); pass the gold file made for these documents"
        )
    pipeline = pipeline or build_pipeline()
    results = []
    ungraded = []
    for doc in documents:
        doc_lang = doc.get("lang") or "en"
        g = gold_by_id.get(doc["id"])
        if g is None:
            ungraded.append(doc["id"])
            continue
        article = Article(
            text=doc["text"], source_id=doc["id"], lang=doc_lang, format="jsonl", url=doc.get("url")
        )
        try:
            result = grade(pipeline(article), g, doc_lang)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidInputError(
                f"{gold}:{g['_line']}: annotation {doc['id']!r} is malformed "
                f"({type(exc).__name__}: {exc}); see `tickerwire eval` in docs/cli.md for the format"
            ) from exc
        if g.get("date_basis") in ("text", "url") and doc.get("date"):
            _grade_date(result, article, doc["date"])
        results.append(result)
    return EvalReport(results, ungraded)


def _issuer_key(code: str) -> str:
    """Every listing of one issuer maps to the same key (index ids map to themselves)."""
    issuer = load_master().issuer_for_listing(code) if "." in code else None
    return issuer.id if issuer else code.upper()


def grade(ex: Extraction, gold: dict[str, Any], lang: str) -> ArticleResult:
    res = ArticleResult(id=gold["id"], lang=lang, scores={})
    _grade_issuers(ex, gold, res)
    _grade_sets(res, "indices", {i.index.upper() for i in ex.indices}, {i.upper() for i in gold["indices"]})
    event_words: dict[Hashable, str] = {e.type: e.text for e in reversed(ex.events)}
    _grade_sets(res, "events", {e.type for e in ex.events} & GRADED_EVENT_TYPES, set(gold["events"]), event_words)

    said: dict[Hashable, str] = {}  # what the article says for each predicted item
    notes: dict[Hashable, str] = {}  # the annotator's note for each gold item
    moves = [f for f in ex.facts if f.pct is not None and f.subject and f.kind in MOVE_KINDS]
    for f in moves:
        said.setdefault((_issuer_key(f.subject or ""), round(f.pct or 0.0, 3)), f.text)
    for m in gold["moves"]:
        notes.setdefault((_issuer_key(m["target"]), round(float(m["pct"]), 3)), m.get("note") or "")
    pred_moves = {(_issuer_key(f.subject or ""), round(f.pct or 0.0, 3)) for f in moves}
    gold_moves = {(_issuer_key(m["target"]), round(float(m["pct"]), 3)) for m in gold["moves"]}
    _grade_matching(res, "moves", pred_moves, gold_moves, lambda p, g: p[0] == g[0] and abs(p[1] - g[1]) <= 0.005,
                    said, notes)
    _grade_horizons(ex, gold, res)
    _grade_previous(ex, gold, res)
    _grade_sentiment(ex, gold, res)

    for f in ex.facts:
        if f.value is not None and (f.kind == "index_level" or f.kind in AMOUNT_KINDS):
            said.setdefault((f.subject or "", f.value) if f.kind == "index_level" else (f.kind, f.value), f.text)
    for lv in gold["index_levels"]:
        notes.setdefault((lv["index"], float(lv["level"])), lv.get("note") or "")
    for a in gold["amounts"]:
        notes.setdefault((a["kind"], float(a["value"])), a.get("note") or "")
    pred_levels = {(f.subject or "", f.value) for f in ex.facts if f.kind == "index_level" and f.value is not None}
    gold_levels = {(lv["index"], float(lv["level"])) for lv in gold["index_levels"]}
    _grade_matching(
        res,
        "index_levels",
        pred_levels,
        gold_levels,
        lambda p, g: p[0] == g[0] and abs(p[1] - g[1]) <= max(0.5, abs(g[1]) * 0.0001),
        said,
        notes,
    )

    pred_amounts = {(f.kind, f.value) for f in ex.facts if f.kind in AMOUNT_KINDS and f.value is not None}
    gold_amounts = {(a["kind"], float(a["value"])) for a in gold["amounts"] if a["kind"] in AMOUNT_KINDS}
    _grade_matching(
        res,
        "amounts",
        pred_amounts,
        gold_amounts,
        lambda p, g: p[0] == g[0] and abs(p[1] - g[1]) <= abs(g[1]) * 0.005,
        said,
        notes,
    )
    return res


def _with_words(item: Hashable, words: dict[Hashable, str] | None) -> str:
    """An item as the grader prints it, with the article's words (or the gold note) after it."""
    text = " ".join((words or {}).get(item, "").split())
    return f"{item} “{text[:160]}”" if text else str(item)


def _grade_horizons(ex: Extraction, gold: dict[str, Any], res: ArticleResult) -> None:
    """Of the gold moves that were found, how many got the gold horizon (or its alternative)."""
    score = Score()
    found = [f for f in ex.facts if f.pct is not None and f.subject and f.kind in MOVE_KINDS]
    for move in gold["moves"]:
        if not move.get("horizon"):
            continue
        key, pct = _issuer_key(move["target"]), float(move["pct"])
        hit = next((f for f in found if _issuer_key(f.subject or "") == key and abs((f.pct or 0) - pct) <= 0.005), None)
        if hit is None:
            continue
        if hit.horizon in (move["horizon"], move.get("horizon_alt")):
            score.tp += 1
        else:
            score.fp += 1
            score.fn += 1
            wrong = f"{move['target']} {pct}%: {hit.horizon} for {move['horizon']}"
            res.missed.setdefault("horizons", []).append(wrong)
    res.scores["horizons"] = score


def _grade_previous(ex: Extraction, gold: dict[str, Any], res: ArticleResult) -> None:
    """Of the gold amounts with a ``previous`` value that were found, how many state it."""
    score = Score()
    for amount in gold["amounts"]:
        if amount.get("previous") is None or amount["kind"] not in AMOUNT_KINDS:
            continue
        value, previous = float(amount["value"]), float(amount["previous"])
        hit = next((f for f in ex.facts if f.kind == amount["kind"] and f.value is not None
                    and abs(f.value - value) <= abs(value) * 0.005), None)
        if hit is None:
            continue
        if hit.previous is not None and abs(hit.previous - previous) <= abs(previous) * 0.005:
            score.tp += 1
        else:
            score.fp += 1
            score.fn += 1
            wrong = f"{amount['kind']} {value:g}: previous {hit.previous} for {previous:g}"
            res.missed.setdefault("previous", []).append(wrong)
    res.scores["previous"] = score


def _grade_sentiment(ex: Extraction, gold: dict[str, Any], res: ArticleResult) -> None:
    """Per-company labels: a gold code matches the predicted listings of the same issuer; when an
    issuer has several, the one with the strongest score speaks for it."""
    expected = (gold.get("sentiment") or {}).get("by_subject") or {}
    if not expected:
        return
    scores = {name: Score() for name in SENTIMENT_FIELDS}
    for code, want in sorted(expected.items()):
        listing = _best_listing(ex, code)
        got = ex.sentiment.labels.get(listing, "none")
        right = got == want
        scores["sentiment"].tp += right
        scores["sentiment"].fp += not right
        scores["sentiment"].fn += not right
        if want in SENTIMENT_LABELS:
            scores[f"sentiment_{want}"].tp += right
            scores[f"sentiment_{want}"].fn += not right
        if got in SENTIMENT_LABELS and not right:
            scores[f"sentiment_{got}"].fp += 1
        if not right:
            item = f"{code} {want} (found {got})"
            said = " | ".join(e.text for e in ex.sentiment.evidence.get(listing, ()))
            res.missed.setdefault("sentiment", []).append(_with_words(item, {item: said}))
    res.scores.update(scores)


def _best_listing(ex: Extraction, code: str) -> str:
    """The predicted listing of ``code``'s issuer with the strongest score ("" when none)."""
    key = _issuer_key(code)
    listings = [lst for lst in ex.sentiment.by_subject if _issuer_key(lst) == key]
    return max(listings, key=lambda lst: abs(ex.sentiment.by_subject[lst]), default="")


def _grade_date(res: ArticleResult, article: Article, day: str) -> None:
    """The publication day found without the document's own date field."""
    published = with_publication_date(article).published_at
    found = published.astimezone(HONG_KONG).date().isoformat() if published else None
    right = found == day
    res.scores["dates"] = Score(tp=int(right), fp=int(not right), fn=int(not right))
    if not right:
        res.missed["dates"] = [f"{day} (found {found or 'none'})"]


def _grade_issuers(ex: Extraction, gold: dict[str, Any], res: ArticleResult) -> None:
    score = Score()
    predicted: dict[str, tuple[set[str], set[str]]] = {}
    for m in ex.mentions:
        codes, texts = predicted.setdefault(m.issuer, (set(), set()))
        codes.update({m.listing, *m.listings})
        texts.add(m.text.lower())
    matched_gold: set[int] = set()
    excused = [n.lower() for n in [*gold.get("unresolved", []), *gold.get("private", [])]]
    for issuer, (codes, texts) in predicted.items():
        hits = [i for i, g in enumerate(gold["issuers"]) if codes & set(g["codes"])]
        if hits:
            matched_gold.update(hits)
            if any("role" not in gold["issuers"][i] for i in hits):
                score.tp += 1
        elif any(t in n or n in t for t in texts for n in excused):
            continue
        else:
            score.fp += 1
            res.extra.setdefault("issuers", []).append(f"{issuer} ({', '.join(sorted(texts))})")
    for i, g in enumerate(gold["issuers"]):
        if i not in matched_gold and "role" not in g:
            score.fn += 1
            res.missed.setdefault("issuers", []).append(f"{g['name']} {g['codes']}")
    res.scores["issuers"] = score


def _grade_sets(
    res: ArticleResult, name: str, pred: set[str], gold: set[str], said: dict[Hashable, str] | None = None
) -> None:
    res.scores[name] = Score(tp=len(pred & gold), fp=len(pred - gold), fn=len(gold - pred))
    if gold - pred:
        res.missed[name] = sorted(gold - pred)
    if pred - gold:
        res.extra[name] = [_with_words(item, said) for item in sorted(pred - gold)]


def _grade_matching(
    res: ArticleResult,
    name: str,
    pred: Iterable[Hashable],
    gold: Iterable[Hashable],
    same: Callable[[Any, Any], bool],
    said: dict[Hashable, str] | None = None,
    notes: dict[Hashable, str] | None = None,
) -> None:
    unmatched_pred = list(pred)
    missed = []
    tp = 0
    for g in gold:
        hit = next((p for p in unmatched_pred if same(p, g)), None)
        if hit is None:
            missed.append(g)
        else:
            unmatched_pred.remove(hit)
            tp += 1
    res.scores[name] = Score(tp=tp, fp=len(unmatched_pred), fn=len(missed))
    if missed:
        res.missed[name] = [_with_words(m, notes) for m in missed]
    if unmatched_pred:
        res.extra[name] = [_with_words(p, said) for p in unmatched_pred]
