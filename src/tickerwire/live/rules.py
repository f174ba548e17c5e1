"""Alert rules and delivery channels as data: the YAML file ``tickerwire watch --alerts`` reads,
and the JSON the API accepts, validated by the same pydantic models.

A rule names its ``kind`` (one of ``RULE_KINDS``) and that kind's parameters; ``deliver`` lists
channel names (all configured channels when omitted). The alerts file::

    channels:
      console: {type: console}
      log: {type: jsonl, path: alerts.jsonl}
      desk: {type: webhook, url: "https://desk.example/hooks/news", secret_env: DESK_SECRET}
    rules:
      - {id: tencent, kind: watchlist, securities: ["700 HK"]}
      - {id: big-moves, kind: move, min_pct: 5, deliver: [desk]}

See ``docs/live.md`` for every kind and its parameters.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from tickerwire.errors import InvalidInputError
from tickerwire.taxonomy import EVENT_TYPE_NAMES

RuleId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
                              description="Letters, digits, '-', '_' or '.', up to 64.")]
ChannelName = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
Securities = Annotated[
    list[str],
    Field(default_factory=list, max_length=500,
          description="Codes in any form (700 HK, 0700.HK, 600519.SH) or names (Tencent, 腾讯); "
                      "each matches every listing of its issuer. Empty: any security."),
]
EventType = Literal[EVENT_TYPE_NAMES]  # type: ignore[valid-type]
IpoStage = Literal["filed", "hearing", "priced", "listed", "lapsed", "withdrawn"]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: RuleId
    name: str | None = Field(default=None, max_length=200, description="Shown with each alert.")
    deliver: list[ChannelName] | None = Field(
        default=None, description="Channel names; omitted: every configured channel.")
    enabled: bool = True


class WatchlistRule(_Rule):
    """An article mentions any listing of a watched issuer."""

    kind: Literal["watchlist"]
    securities: Annotated[list[str], Field(min_length=1, max_length=500)]


class MoveRule(_Rule):
    """A reported price move of at least ``min_pct`` percent (of a watched security or index)."""

    kind: Literal["move"]
    min_pct: float = Field(gt=0, le=1000)
    direction: Literal["up", "down", "any"] = "any"
    securities: Securities
    indices: list[str] = Field(default_factory=list, description="Index ids or names (HSI, 恒指).")
    horizons: list[str] = Field(default_factory=list,
                                description="Only these horizons (close, intraday …); empty: any.")


class EventRule(_Rule):
    """An event of one of ``types`` (about a watched security, when ``securities`` is given)."""

    kind: Literal["event"]
    types: Annotated[list[EventType], Field(min_length=1)]
    securities: Securities


class SentimentRule(_Rule):
    """A company's tone (or the article's, without ``securities``) below or above a bound."""

    kind: Literal["sentiment"]
    below: float | None = Field(default=None, ge=-1, le=1)
    above: float | None = Field(default=None, ge=-1, le=1)
    securities: Securities


class IpoStageRule(_Rule):
    """A company reaches an IPO stage it had not reached before (``stages``: only these)."""

    kind: Literal["ipo_stage"]
    stages: list[IpoStage] = Field(default_factory=list)
    securities: Securities


class ContradictedClaimRule(_Rule):
    """A number in the article is contradicted by prices (needs claim verification)."""

    kind: Literal["contradicted_claim"]
    securities: Securities


class FirstReportRule(_Rule):
    """The article is the first report of its story (needs story clustering)."""

    kind: Literal["first_report"]
    securities: Securities


AlertRule = Annotated[
    WatchlistRule | MoveRule | EventRule | SentimentRule | IpoStageRule | ContradictedClaimRule
    | FirstReportRule,
    Field(discriminator="kind"),
]
RULE_KINDS = ("watchlist", "move", "event", "sentiment", "ipo_stage", "contradicted_claim",
              "first_report")
_RULE = TypeAdapter(AlertRule)


class ConsoleChannel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    type: Literal["console"]


class JsonlChannel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    type: Literal["jsonl"]
    path: Path


class WebhookChannel(BaseModel):
    """POST each alert as JSON; ``secret`` (or the variable ``secret_env`` names) signs it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    type: Literal["webhook"]
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]
    secret: str | None = None
    secret_env: str | None = None
    retries: int = Field(default=4, ge=0, le=10)
    backoff_seconds: float = Field(default=1.0, ge=0, le=300)
    timeout_seconds: float = Field(default=10.0, gt=0, le=300)

    def signing_key(self) -> str | None:
        if self.secret is not None:
            return self.secret
        if self.secret_env is None:
            return None
        value = os.environ.get(self.secret_env)
        if not value:
            raise InvalidInputError(
                f"webhook {self.url}: the environment variable {self.secret_env} that holds its "
                "secret is not set; export it or remove secret_env")
        return value


Channel = Annotated[ConsoleChannel | JsonlChannel | WebhookChannel, Field(discriminator="type")]


def _console_only() -> dict[str, ConsoleChannel | JsonlChannel | WebhookChannel]:
    return {"console": ConsoleChannel(type="console")}


class AlertsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    channels: dict[ChannelName, Channel] = Field(default_factory=_console_only)
    rules: list[AlertRule] = Field(default_factory=list)

    def model_post_init(self, _context: Any) -> None:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"two rules have the id {rule.id!r}; rule ids must be unique")
            seen.add(rule.id)
            unknown = [name for name in rule.deliver or () if name not in self.channels]
            if unknown:
                raise ValueError(f"rule {rule.id!r} delivers to {', '.join(unknown)}, which "
                                 f"is not among the channels ({', '.join(self.channels)})")


def parse_rule(data: Any, *, where: str = "rule") -> AlertRule:
    """A rule from a mapping; ``InvalidInputError`` says which field is wrong and why."""
    try:
        return _RULE.validate_python(data)
    except ValidationError as exc:
        raise InvalidInputError(f"{where}: {describe(exc)}") from exc


def load_alerts(path: Path) -> AlertsConfig:
    """The channels and rules of an alerts YAML file."""
    data = read_yaml(path)
    try:
        return AlertsConfig.model_validate(data or {})
    except ValidationError as exc:
        raise InvalidInputError(f"{path}: {describe(exc)}") from exc


def read_yaml(path: Path) -> Any:
    """A YAML file's content; ``InvalidInputError`` for a missing or malformed file."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot be read ({exc.strerror}); check the path") from exc
    except yaml.YAMLError as exc:
        raise InvalidInputError(f"{path}: not valid YAML ({exc}); fix the file") from exc


def describe(exc: ValidationError) -> str:
    """Pydantic's errors as one line: ``rules.0.min_pct: Input should be greater than 0; …``."""
    parts = []
    for error in exc.errors()[:5]:
        loc = ".".join(str(part) for part in error["loc"]) or "value"
        parts.append(f"{loc}: {error['msg']}")
    return "; ".join(parts)
