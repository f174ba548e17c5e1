"""Market indices known to tickerwire: ids, names in English and Chinese, and news abbreviations.

The packaged ``data/indices.json`` is written by ``scripts/build_refdata.py`` from the hand-written
``scripts/refdata/indices.yaml``. Ids follow DESIGN.md (``HSI``, ``HSCEI``, ``HSTECH`` …).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tickerwire.errors import RefdataError

_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_SPACES = re.compile(r"\s+")


def alias_key(text: str) -> str:
    """Key two names compare equal under: NFKC, case-folded, single spaces, no CJK gaps.

    >>> alias_key("  Ｔencent  Holdings ") == alias_key("tencent holdings")
    True
    """
    s = unicodedata.normalize("NFKC", text).casefold().strip()
    s = _CJK_GAP.sub("", s)
    return _SPACES.sub(" ", s)


@dataclass(frozen=True, slots=True)
class IndexInfo:
    """One market index. ``aliases`` holds every name news uses, in any language and script."""

    id: str
    name_en: str
    name_zh_hans: str
    name_zh_hant: str
    aliases: tuple[str, ...]
    market: str

    @property
    def names(self) -> tuple[str, ...]:
        """The id, the three official names and the aliases, without repeats."""
        return tuple(dict.fromkeys(
            (self.id, self.name_en, self.name_zh_hans, self.name_zh_hant, *self.aliases)))


def read_indices(path: Path) -> dict[str, IndexInfo]:
    """Read ``indices.json``; raise :class:`RefdataError` if it is missing or malformed."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        infos = [
            IndexInfo(id=row["id"], name_en=row["name_en"], name_zh_hans=row["name_zh_hans"],
                      name_zh_hant=row["name_zh_hant"], aliases=tuple(row["aliases"]),
                      market=row["market"])
            for row in rows
        ]
    except FileNotFoundError as exc:
        raise RefdataError(
            f"{path}: index list not found; reinstall tickerwire or rebuild it with "
            "`python scripts/build_refdata.py --shared ../shared/data`") from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RefdataError(f"{path}: index list is corrupt ({exc}); reinstall tickerwire") from exc
    return {info.id: info for info in infos}


def index_lookup(indices: Mapping[str, IndexInfo]) -> dict[str, IndexInfo]:
    """Map every normalised index name and id to its index (first index wins on a clash)."""
    table: dict[str, IndexInfo] = {}
    for info in indices.values():
        for name in info.names:
            table.setdefault(alias_key(name), info)
    return table
