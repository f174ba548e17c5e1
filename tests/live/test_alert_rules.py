"""Alert rules and channels as YAML and JSON: what is accepted, and the errors for the rest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tickerwire.errors import InvalidInputError
from tickerwire.live.rules import (
    RULE_KINDS,
    ConsoleChannel,
    JsonlChannel,
    WebhookChannel,
    load_alerts,
    parse_rule,
)

ALERTS_YAML = """\
channels:
  console: {type: console}
  log: {type: jsonl, path: alerts.jsonl}
  desk: {type: webhook, url: "http://127.0.0.1:9/hook", secret: s3cret, retries: 2}
rules:
  - {id: tencent, kind: watchlist, securities: ["700 HK", 腾讯]}
  - {id: big-moves, kind: move, min_pct: 5, direction: down, deliver: [desk]}
  - {id: ipo, kind: event, types: [ipo, listing_application]}
  - {id: gloom, kind: sentiment, below: -0.5, securities: [BYD]}
  - {id: stage, kind: ipo_stage, stages: [listed]}
  - {id: wrong, kind: contradicted_claim}
  - {id: lead, kind: first_report, securities: [SMIC]}
"""


def test_an_alerts_file_with_every_kind_and_channel(tmp_path: Path) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text(ALERTS_YAML, encoding="utf-8")
    config = load_alerts(path)
    assert [rule.kind for rule in config.rules] == list(RULE_KINDS)
    assert isinstance(config.channels["console"], ConsoleChannel)
    assert isinstance(config.channels["log"], JsonlChannel)
    desk = config.channels["desk"]
    assert isinstance(desk, WebhookChannel) and desk.retries == 2 and desk.signing_key() == "s3cret"
    assert config.rules[1].deliver == ["desk"]


def test_without_channels_alerts_go_to_the_console(tmp_path: Path) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text("rules: [{id: a, kind: watchlist, securities: [SMIC]}]\n", encoding="utf-8")
    assert list(load_alerts(path).channels) == ["console"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [{id: a, kind: nonsense}]", "does not match any of the expected tags"),
        ("rules: [{id: a, kind: move, min_pct: 0}]", "rules.0.move.min_pct: Input should be greater than 0"),
        ("rules: [{id: a, kind: move}]", "min_pct: Field required"),
        ("rules: [{id: a, kind: watchlist, securities: []}]", "securities"),
        ("rules: [{id: a, kind: event, types: [rumour]}]", "types.0"),
        ("rules: [{id: a, kind: sentiment, below: -3}]", "greater than or equal to -1"),
        ("rules: [{id: 'a b', kind: watchlist, securities: [SMIC]}]", "id: String should match pattern"),
        ("rules: [{id: a, kind: watchlist, securities: [SMIC], colour: red}]", "Extra inputs are not permitted"),
        ("rules: [{id: a, kind: watchlist, securities: [SMIC]}, {id: a, kind: watchlist, securities: [BYD]}]",
         "two rules have the id 'a'"),
        ("rules: [{id: a, kind: watchlist, securities: [SMIC], deliver: [pager]}]", "delivers to pager"),
        ("channels: {x: {type: webhook, url: 'ftp://nope'}}", "String should match pattern"),
        ("channels: {x: {type: carrier_pigeon}}", "does not match any of the expected tags"),
        ("rules: [{id: a, kind: watchlist\n", "not valid YAML"),
    ],
)
def test_bad_alerts_files_say_what_and_where(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"alerts\.yaml") as caught:
        load_alerts(path)
    assert message in str(caught.value)


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="cannot be read"):
        load_alerts(tmp_path / "absent.yaml")


def test_a_webhook_secret_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    channel = WebhookChannel(type="webhook", url="http://127.0.0.1:9/h", secret_env="DESK_SECRET")
    monkeypatch.delenv("DESK_SECRET", raising=False)
    with pytest.raises(InvalidInputError, match="DESK_SECRET"):
        channel.signing_key()
    monkeypatch.setenv("DESK_SECRET", "from-env")
    assert channel.signing_key() == "from-env"


@pytest.mark.parametrize(
    "data",
    [
        {"id": "x", "kind": "watchlist", "securities": ["中芯国际"]},
        {"id": "x", "kind": "move", "min_pct": 2.5, "indices": ["恒生指数"]},
        {"id": "x", "kind": "sentiment", "above": 0.6},
    ],
)
def test_parse_rule_accepts_api_json(data: dict[str, Any]) -> None:
    assert parse_rule(data).model_dump(exclude_defaults=True) == data


def test_parse_rule_names_the_rule_in_errors() -> None:
    with pytest.raises(InvalidInputError, match=r"^rule r7: .*min_pct"):
        parse_rule({"id": "x", "kind": "move", "min_pct": -1}, where="rule r7")
