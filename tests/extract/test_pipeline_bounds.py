"""The pipeline's per-article bounds: text length, time, span offsets; each recorded, none silent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tickerwire.extract import build_pipeline
from tickerwire.extract.pipeline import Doc, Pipeline
from tickerwire.extract.sentences import MAX_SENTENCE, split_sentences
from tickerwire.model import Article, Fact


class Marks:
    """Records that it ran; adds one fact at a fixed (possibly wrong) span."""

    def __init__(self, name: str, start: int = 0, end: int = 4) -> None:
        self.name, self.start, self.end = name, start, end
        self.reads = ("text",)
        self.adds = ("facts",)
        self.ran = False

    def __call__(self, doc: Doc) -> None:
        self.ran = True
        text = doc.text[self.start : self.end]
        doc.facts.append(Fact("price_move", None, pct=1.0, text=text, start=self.start,
                              end=self.end))


def ticking(step: float) -> Iterator[float]:
    now = 0.0
    while True:
        yield now
        now += step


ARTICLE = Article(text="SMIC rose 5.2% in Hong Kong.", format="text", origin="t")


def test_time_limit_stops_the_remaining_components_and_says_so() -> None:
    first, second, third = Marks("first"), Marks("second"), Marks("third")
    clock = ticking(15.0)  # every reading of the clock is 15 s after the one before
    pipeline = Pipeline([first, second, third], time_limit=20.0, clock=lambda: next(clock), wall=None)
    extraction = pipeline(ARTICLE)
    assert (first.ran, second.ran, third.ran) == (True, True, False)
    [error] = extraction.errors
    assert error.startswith("time_limit: stopped after second (30.0 s, limit 20 s)")
    assert error.endswith("not run: third")
    assert len(extraction.facts) == 2  # what ran is kept


class Counted:
    """A clock that advances ``step`` seconds at every reading and counts its readings."""

    def __init__(self, step: float) -> None:
        self.step, self.now, self.reads = step, 0.0, 0

    def __call__(self) -> float:
        self.reads += 1
        self.now += self.step
        return self.now


@pytest.mark.parametrize(
    ("wall_step", "cpu_step", "ran", "cpu_reads"),
    [
        (1.0, 1.0, (True, True, True), 1),  # the wall clock is under the limit: the CPU clock is read once
        (15.0, 1.0, (True, True, True), 3),  # a busy machine: the wall clock passes, the CPU time does not
        (15.0, 25.0, (True, True, False), 2),  # both pass: stopped on the CPU time
    ],
)
def test_the_cpu_clock_is_read_once_the_wall_clock_passes_the_limit(
    wall_step: float, cpu_step: float, ran: tuple[bool, bool, bool], cpu_reads: int
) -> None:
    components = [Marks("first"), Marks("second"), Marks("third")]
    cpu, wall = Counted(cpu_step), Counted(wall_step)
    extraction = Pipeline(components, time_limit=20.0, clock=cpu, wall=wall)(ARTICLE)
    assert tuple(c.ran for c in components) == ran
    assert cpu.reads == cpu_reads
    assert bool(extraction.errors) == (not ran[2])


def test_text_limit_extracts_the_start_and_records_the_rest() -> None:
    article = Article(text="SMIC rose 5%. " * 100, format="text", origin="t")
    extraction = Pipeline(build_pipeline().components, max_chars=140)(article)
    assert extraction.errors == (
        "text_limit: only the first 140 of 1,400 characters were extracted; split the document "
        "to extract the rest",
    )
    assert extraction.facts and all(f.end <= 140 for f in extraction.facts)


@pytest.mark.parametrize(("start", "end"), [(10, 5), (-1, 3), (20, 10_000)])
def test_spans_outside_the_text_are_dropped_and_recorded(start: int, end: int) -> None:
    extraction = Pipeline([Marks("good"), Marks("bad", start, end)])(ARTICLE)
    assert [(f.start, f.end) for f in extraction.facts] == [(0, 4)]
    [error] = extraction.errors
    assert error.startswith(f"offsets: dropped a fact at {start}..{end}")


@pytest.mark.parametrize(
    "text",
    [
        "SMIC rose 5% and Hua Hong gained 3% " * 200,  # one line, no full stop
        "中芯国际涨5%华虹半导体升3%" * 300,  # Chinese without punctuation
        "x" * 5000,  # nothing to break at
    ],
    ids=["english", "chinese", "unbroken"],
)
def test_overlong_sentences_are_cut_to_a_bounded_length(text: str) -> None:
    spans = split_sentences(text)
    assert all(end - start <= MAX_SENTENCE for start, end in spans)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")


def test_exotic_digits_and_huge_numbers_are_not_quantities() -> None:
    article = Article(
        text="SMIC rose \U00010d42\U00010d43% while Tencent jumped " + "9" * 400 + "% on Friday.",
        format="text",
        origin="t",
        lang="en",
    )
    extraction = build_pipeline()(article)
    assert extraction.errors == ()
    assert not [f for f in extraction.facts if f.pct is not None and abs(f.pct) > 1e15]
