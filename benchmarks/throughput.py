"""Extraction throughput: tickerwire's full pipeline vs two alias-matching baselines, same run.

    python benchmarks/throughput.py [--n 5000] [--before OLD/src] [--out docs/performance.md]

The sample news in examples/news is replicated to ``--n`` articles. Each system runs in its own
subprocess on one core (so peak RSS is its own) over the same articles:

- ``tickerwire``: the whole default pipeline (securities, indices, quantities, facts, events,
  relevance, sentiment) — far more work than the baselines do;
- ``spacy_entityruler``: a blank spaCy pipeline (``xx``) with an EntityRuler over the same
  alias list the gazetteer uses (names only: no codes, facts, events or sentiment);
- ``flashtext``: a flashtext KeywordProcessor over the same aliases (names only).

Timing is CPU time of the worker process (``time.process_time``), so other load on the machine
does not inflate it; setup (building automata, loading the master, and the first article, which
builds whatever is built on first use) is reported separately. Each worker imports tickerwire
from this tree's ``src``; ``--before OLD/src`` also runs the tickerwire workers (and the
per-component timing) on another tree, in the same run, and adds a before/after table.

Every worker reports whether the compiled extraction modules were loaded (``extract/native.py``).
When this tree's are, the tickerwire workers and the per-component timing also run with
``TICKERWIRE_PURE_PYTHON=1``, giving what the compilation gains, component by component.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"spacy_entityruler": 2.5, "flashtext": 0.15}  # full pipeline speed ÷ baseline (issue 10)
NAMES_TARGET = 0.5  # names-only speed ÷ flashtext


def corpus(n: int) -> list[str]:
    from tickerwire.sources import expand_inputs, read_path

    paths = expand_inputs([str(ROOT / "examples" / "news")])
    texts = [a.text for p in paths for a in read_path(p) if hasattr(a, "text")]
    if not texts:
        raise SystemExit("examples/news is empty")
    return [texts[i % len(texts)] for i in range(n)]


def aliases() -> list[tuple[str, str]]:
    """(alias, issuer id) pairs: exactly what the gazetteer keeps from the master."""
    from tickerwire.extract.gazetteer import _keep_alias
    from tickerwire.extract.pipeline import matching_text
    from tickerwire.refdata.master import load_master

    out = []
    for alias, issuer in load_master().iter_aliases():
        text = matching_text(alias.text).strip()
        if _keep_alias(text, alias.kind, issuer.curated):
            out.append((text, issuer.id))
    return out


# Counted in setup: what a pipeline builds on first use (the name automata, the Chinese-numeral reader).
# Read twice: a process's first text is searched by a small automaton of the names it can hold, and
# the second builds the automata every later text uses (extract/gazetteer.py).
WARM_UP = "Tencent (00700.HK) rose 2.1% to HK$612; 恒生指数升百分之一，中芯国际成交额一千二百亿港元。"


def run_tickerwire(texts: list[str]) -> tuple[float, float]:
    from tickerwire.extract import build_pipeline
    from tickerwire.model import Article

    t0 = time.process_time()
    pipeline = build_pipeline()
    for _ in range(2):
        pipeline(Article(text=WARM_UP))
    setup = time.process_time() - t0
    articles = [Article(text=t) for t in texts]
    t0 = time.process_time()
    for a in articles:
        pipeline(a)
    return setup, time.process_time() - t0


def run_tickerwire_names(texts: list[str]) -> tuple[float, float]:
    """Only what the baselines do: find security names (and codes) and link them to issuers."""
    from tickerwire.extract.components import default_components
    from tickerwire.extract.pipeline import Pipeline
    from tickerwire.model import Article

    t0 = time.process_time()
    pipeline = Pipeline([c for c in default_components() if c.name in {"sentences", "gazetteer", "securities"}])
    for _ in range(2):
        pipeline(Article(text=WARM_UP))
    setup = time.process_time() - t0
    articles = [Article(text=t) for t in texts]
    t0 = time.process_time()
    for a in articles:
        pipeline(a)
    return setup, time.process_time() - t0


def components(texts: list[str]) -> dict[str, float]:
    """Milliseconds of CPU per article spent in each component of the full pipeline."""
    from tickerwire.extract import build_pipeline
    from tickerwire.extract.pipeline import Doc
    from tickerwire.model import Article

    pipeline = build_pipeline()
    for _ in range(2):
        pipeline(Article(text=WARM_UP))
    spent = dict.fromkeys(pipeline.names, 0.0)
    for text in texts:
        doc = Doc.from_article(Article(text=text))
        for component in pipeline.components:
            t0 = time.process_time()
            component(doc)
            spent[component.name] += time.process_time() - t0
    return {name: seconds * 1000 / len(texts) for name, seconds in spent.items()}


def run_spacy(texts: list[str]) -> tuple[float, float]:
    import spacy

    t0 = time.process_time()
    nlp = spacy.blank("xx")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([{"label": "ORG", "pattern": a, "id": i} for a, i in aliases()])  # type: ignore[attr-defined]
    setup = time.process_time() - t0
    t0 = time.process_time()
    for doc in nlp.pipe(texts, batch_size=64):
        _ = doc.ents
    return setup, time.process_time() - t0


def run_flashtext(texts: list[str]) -> tuple[float, float]:
    from flashtext import KeywordProcessor

    t0 = time.process_time()
    kp = KeywordProcessor(case_sensitive=False)
    for alias, issuer in aliases():
        kp.add_keyword(alias, issuer)
    setup = time.process_time() - t0
    t0 = time.process_time()
    for t in texts:
        kp.extract_keywords(t, span_info=True)
    return setup, time.process_time() - t0


NOTES = "<!-- NOTES: hand-written below -->"

SYSTEMS = {
    "tickerwire": run_tickerwire,
    "tickerwire_names": run_tickerwire_names,
    "spacy_entityruler": run_spacy,
    "flashtext": run_flashtext,
}


def worker(system: str, n: int) -> None:
    texts = corpus(n)
    engine = engine_in_use()
    if system == "components":
        print(json.dumps({"system": system, "n": n, "engine": engine, "parts": components(texts)}))
        return
    setup, seconds = SYSTEMS[system](texts)
    mb = sum(len(t.encode()) for t in texts) / 1e6
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"system": system, "n": n, "engine": engine, "setup_s": setup, "seconds": seconds, "mb": mb,
                      "peak_mb": peak_mb}))


def engine_in_use() -> str:
    """Whether tickerwire's compiled extraction modules are loaded (older trees have none)."""
    try:
        from tickerwire.extract import native
    except ImportError:
        return "pure Python (no compiled modules in this tree)"
    return native.status().describe()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=5000, help="articles per system (default 5000)")
    ap.add_argument("--sizes", default="1000,5000", help="comma-separated input sizes for the tickerwire scaling rows")
    ap.add_argument("--before", type=Path, help="another tree's src directory to compare with, in the same run")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    ap.add_argument("--worker", choices=sorted([*SYSTEMS, "components"]), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.n)
        return
    src = ROOT / "src"
    rows = [_spawn(system, args.n, src) for system in SYSTEMS]
    scaling = [_spawn("tickerwire", int(s), src) for s in args.sizes.split(",") if s and int(s) != args.n]
    after = _spawn("components", min(args.n, 2000), src)
    parts = after["parts"]
    pure = None
    if after["engine"].startswith("compiled"):
        pure_rows = [_spawn(system, args.n, src, pure=True) for system in ("tickerwire", "tickerwire_names")]
        pure = (pure_rows, _spawn("components", min(args.n, 2000), src, pure=True)["parts"])
    before = None
    if args.before:
        old = [_spawn(system, args.n, args.before) for system in ("tickerwire", "tickerwire_names")]
        before = (old, _spawn("components", min(args.n, 2000), args.before)["parts"])
    table = render(rows, scaling, parts, before, pure)
    print(table)
    # Keep the hand-written analysis that follows the generated tables.
    notes = ""
    if args.out.exists():
        _, marker, tail = args.out.read_text(encoding="utf-8").partition(NOTES)
        notes = marker + tail if marker else ""
    args.out.write_text(table + ("\n" + notes if notes else ""), encoding="utf-8")


def _spawn(system: str, n: int, src: Path, *, pure: bool = False) -> dict[str, Any]:
    """One worker process, importing tickerwire from ``src`` (its ``.py`` modules only when ``pure``)."""
    env = {k: v for k, v in os.environ.items() if k != "TICKERWIRE_PURE_PYTHON"}
    env["PYTHONPATH"] = str(src.resolve())
    if pure:
        env["TICKERWIRE_PURE_PYTHON"] = "1"
    out = subprocess.run(
        [sys.executable, __file__, "--worker", system, "--n", str(n)], check=True, capture_output=True, text=True,
        env=env,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _rate(row: dict[str, Any]) -> float:
    return float(row["n"]) / float(row["seconds"])


Runs = tuple[list[dict[str, Any]], dict[str, float]]
"""The tickerwire rows (full pipeline, names only) and the ms per article of each component of one variant."""


def render(
    rows: list[dict[str, Any]],
    scaling: list[dict[str, Any]],
    parts: dict[str, float],
    before: Runs | None = None,
    pure: Runs | None = None,
) -> str:
    by_system = {r["system"]: r for r in rows}
    ours = by_system["tickerwire"]
    ours_rate = _rate(ours)
    avg_kb = float(ours["mb"]) * 1000 / float(ours["n"])
    lines = [
        "# Extraction throughput",
        "",
        "Produced by `python benchmarks/throughput.py` (CPU time of one process on one core; sample news",
        f"replicated; mean article {avg_kb:.2f} KB). The baselines only find names; tickerwire runs the",
        "whole pipeline (securities, indices, quantities, facts, events, relevance, sentiment). Setup is",
        "building the pipeline plus its first two articles (what is built on first use).",
        "",
        f"Extraction modules: {ours['engine']}" + (f"; before: {before[0][0]['engine']}." if before else "."),
        "",
        "| system | articles | setup s | articles/s | MB/s | peak RSS MB | tickerwire speed ÷ system |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    labelled = [*rows, *scaling, *({**r, "system": f"{r['system']} (pure Python)"} for r in (pure[0] if pure else []))]
    for r in labelled:
        rate = _rate(r)
        lines.append(
            f"| {r['system']} | {r['n']} | {float(r['setup_s']):.2f} | {rate:,.0f} | "
            f"{float(r['mb']) / float(r['seconds']):.2f} | {float(r['peak_mb']):.0f} | {ours_rate / rate:.2f}× |"
        )
    lines += ["", *_targets(by_system), ""]
    if before is not None:
        lines += [*_before_after(by_system, before[0]), ""]
    lines += _components(parts, before[1] if before else None, pure[1] if pure else None)
    lines.append("")
    return "\n".join(lines)


def _targets(by_system: dict[str, dict[str, Any]]) -> list[str]:
    """One line per target of issue 10: the measured ratio and whether it is met."""
    full, names = _rate(by_system["tickerwire"]), _rate(by_system["tickerwire_names"])
    out = ["| target | wanted | measured | met |", "|---|---:|---:|---|"]
    for system, wanted in TARGETS.items():
        ratio = full / _rate(by_system[system])
        out.append(f"| full pipeline ÷ {system} | ≥ {wanted}× | {ratio:.2f}× | {'yes' if ratio >= wanted else 'no'} |")
    ratio = names / _rate(by_system["flashtext"])
    met = "yes" if ratio >= NAMES_TARGET else "no"
    out.append(f"| names only ÷ flashtext | ≥ {NAMES_TARGET}× | {ratio:.2f}× | {met} |")
    return out


def _before_after(by_system: dict[str, dict[str, Any]], old_rows: list[dict[str, Any]]) -> list[str]:
    old = {r["system"]: r for r in old_rows}
    ruler, flash = _rate(by_system["spacy_entityruler"]), _rate(by_system["flashtext"])
    lines = [
        "Before (`--before`) and after, same run, same baselines:",
        "",
        "| measure | before | after | after ÷ before |",
        "|---|---:|---:|---:|",
    ]
    for label, system in (("full pipeline", "tickerwire"), ("names only", "tickerwire_names")):
        b, a = _rate(old[system]), _rate(by_system[system])
        lines.append(f"| {label}, articles/s | {b:,.0f} | {a:,.0f} | {a / b:.2f}× |")
        lines.append(f"| {label} ÷ spaCy EntityRuler | {b / ruler:.2f}× | {a / ruler:.2f}× | |")
        lines.append(f"| {label} ÷ flashtext | {b / flash:.2f}× | {a / flash:.2f}× | |")
        sb, sa = float(old[system]["setup_s"]), float(by_system[system]["setup_s"])
        lines.append(f"| {label}, setup s | {sb:.2f} | {sa:.2f} | {sa / sb:.2f}× |")
    return lines


def _components(parts: dict[str, float], old: dict[str, float] | None, pure: dict[str, float] | None) -> list[str]:
    """CPU per article by component: after, and before (``--before``) and this tree's pure-Python modules when run."""
    columns = [("before ms", old), ("pure Python ms", pure), ("after ms", parts)]
    shown = [(title, values) for title, values in columns if values is not None]
    ratios = [(title, values) for title, values in (("before ÷ after", old), ("pure ÷ compiled", pure)) if values]
    head = ["component", *(t for t, _ in shown), *(t for t, _ in ratios)]
    lines = ["CPU per article by component (ms, full pipeline):", "", "| " + " | ".join(head) + " |",
             "|---|" + "---:|" * (len(head) - 1)]
    totals = {title: sum(values.values()) for title, values in shown}
    for name in [*parts, "**total**"]:
        cells = [f"{(totals[t] if name == '**total**' else values.get(name, 0.0)):.3f}" for t, values in shown]
        after = totals["after ms"] if name == "**total**" else parts[name]
        for _, values in ratios:
            other = sum(values.values()) if name == "**total**" else values.get(name, 0.0)
            cells.append(f"{other / after if after else 0:.2f}×")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


if __name__ == "__main__":
    main()
