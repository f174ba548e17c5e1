"""Components read only what they declare, and the pipeline refuses components that don't fit."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tickerwire.errors import PipelineError
from tickerwire.extract.components import default_components
from tickerwire.extract.pipeline import Doc, Pipeline
from tickerwire.model import Article, Fact

_FIELDS = {f.name for f in dataclasses.fields(Doc)}

ARTICLES = [
    "Tencent (00700.HK) closed up 3.1% at HK$650 on Monday, while the Hang Seng Index rose 1.2% to "
    "26,000 points. Goldman Sachs raised its target price from HK$620 to HK$700. Turnover was "
    "HK$231.5 billion. LVS.US fell 2%.",
    "南向资金净买入85.6亿港元，中芯国际（00981）收涨5%，报78.35港元；恒指收报26,160点。"
    "华虹半导体一度升8%，年初至今累升95%。",
]


class _Tracing(Doc):
    """A Doc that notes every field a component touches."""

    def __getattribute__(self, name: str) -> Any:
        if name in _FIELDS:
            object.__getattribute__(self, "seen").add(name)
        return object.__getattribute__(self, name)


@pytest.mark.parametrize("text", ARTICLES)
def test_every_component_touches_only_the_fields_it_declares(text: str) -> None:
    doc = Doc.from_article(Article(text=text))
    traced = _Tracing(**{f.name: getattr(doc, f.name) for f in dataclasses.fields(Doc)})
    for component in default_components():
        object.__setattr__(traced, "seen", set())
        component(traced)
        declared = {read.split(".", 1)[0] for read in component.reads} | set(component.adds)
        assert object.__getattribute__(traced, "seen") <= declared, component.name


@dataclasses.dataclass
class _Step:
    name: str
    reads: tuple[str, ...]
    adds: tuple[str, ...]

    def __call__(self, doc: Doc) -> None:
        doc.facts.append(Fact("price_move", None))


@pytest.mark.parametrize(
    ("steps", "words"),
    [
        ([_Step("facts", ("sentences",), ("facts",))], "'sentences' before any component adds it"),
        ([_Step("odd", ("text", "wordcount"), ("facts",))], "'wordcount', which is not a Doc field"),
        ([_Step("odd", ("article.title",), ("summary",))], "'summary', which is not a Doc field"),
    ],
)
def test_a_pipeline_whose_components_do_not_fit_is_refused(steps: list[_Step], words: str) -> None:
    with pytest.raises(PipelineError, match=words):
        Pipeline(steps)


def test_the_default_components_fit() -> None:
    Pipeline(default_components())  # raises PipelineError otherwise
