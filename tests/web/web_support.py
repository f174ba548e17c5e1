"""Types shared by the browser tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class LiveServer:
    url: str
    ids: dict[str, str]


@dataclass
class PageProbe:
    """A page plus everything that went wrong on it: console errors, page errors, dialogs."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return self.console_errors + self.page_errors + [f"dialog: {d}" for d in self.dialogs]
