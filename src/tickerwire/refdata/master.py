"""The security master: issuers, their listings (A+H, ADR, B, SG …), aliases and indices.

Built by ``scripts/build_refdata.py`` from public listings data into ``data/issuers.jsonl``
(one issuer a line) and ``data/indices.json``; see ``data/SOURCES.md`` and ``docs/refdata.md``.

>>> master = load_master()                                           # doctest: +SKIP
>>> master.resolve("中芯國際").issuer.codes                           # doctest: +SKIP
('00981.HK', '688981.SH')
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from tickerwire.codes import canonical, normalize_code
from tickerwire.errors import RefdataError
from tickerwire.refdata.indices import IndexInfo, alias_key, index_lookup, read_indices

__all__ = [
    "Alias",
    "IndexInfo",
    "Issuer",
    "Listing",
    "Resolution",
    "SecurityMaster",
    "default_data_dir",
    "load_master",
]

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
LISTING_KINDS = ("H", "HK", "A", "B", "ADR", "US", "SG", "other")
ALIAS_LANGS = ("en", "zh-hans", "zh-hant")
# distinct: the first word of an English name when it is no ordinary English word and no other
# issuer's name starts with it ("Sunwoda" for Sunwoda Electronic); the build derives these.
ALIAS_KINDS = ("official", "short", "common", "distinct", "former")

ResolutionStatus = Literal["found", "unknown", "ambiguous"]


@dataclass(frozen=True, slots=True)
class Listing:
    """One line of an issuer on one exchange. ``code`` is canonical (``00981.HK``, ``BABA.US``).

    ``kind``: ``H`` (HK line of a PRC company with an A share, or an H share), ``HK``, ``A``,
    ``B``, ``ADR``, ``US``, ``SG`` or ``other``. ``listed_on`` is an ISO date when known.
    ``active`` is False for a recently delisted line that news may still name.
    """

    code: str
    exchange: str
    kind: str
    currency: str | None
    board: str | None
    name: str | None
    listed_on: str | None
    active: bool = True


@dataclass(frozen=True, slots=True)
class Alias:
    """A name of an issuer. ``lang`` is ``en``, ``zh-hans`` or ``zh-hant``; ``kind`` is
    ``official``, ``short`` (exchange short name), ``common`` (curated news usage) or ``former``;
    ``listing`` is the one listing the name implies (an A-share 简称 → its A line), else None."""

    text: str
    lang: str
    kind: str
    listing: str | None


@dataclass(frozen=True, slots=True)
class Issuer:
    """A company with all its listings. ``id`` is its primary listing code (HK, else A, else
    first). ``curated`` marks issuers whose aliases were checked by hand; ``role`` marks brokers and
    exchange operators, whose names in news usually frame numbers about other companies."""

    id: str
    name: str
    name_en: str | None
    name_zh_hans: str | None
    name_zh_hant: str | None
    listings: tuple[Listing, ...]
    aliases: tuple[Alias, ...]
    former_names: tuple[str, ...]
    industry: str | None
    curated: bool
    role: str | None = None  # "broker" (research, sponsorships) or "exchange" (a listing venue)

    @property
    def codes(self) -> tuple[str, ...]:
        """Every listing code, primary first."""
        return tuple(listing.code for listing in self.listings)

    def listing(self, code: str) -> Listing | None:
        """The listing with canonical ``code``, if this issuer has it."""
        return next((li for li in self.listings if li.code == code), None)


@dataclass(frozen=True, slots=True)
class Resolution:
    """The answer to :meth:`SecurityMaster.resolve`."""

    status: ResolutionStatus
    query: str
    issuer: Issuer | None
    candidates: tuple[Issuer, ...] = ()


def default_data_dir() -> Path:
    """The folder holding the packaged reference data."""
    return Path(__file__).resolve().with_name("data")


class SecurityMaster:
    """Issuers and indices with lookups by code, name and alias. Build once, share freely."""

    def __init__(self, issuers: Mapping[str, Issuer], indices: Mapping[str, IndexInfo]) -> None:
        self.issuers: Mapping[str, Issuer] = MappingProxyType(dict(issuers))
        self.indices: Mapping[str, IndexInfo] = MappingProxyType(dict(indices))
        by_listing: dict[str, Issuer] = {}
        by_alias: dict[str, list[Issuer]] = {}
        by_symbol: dict[str, list[Issuer]] = {}
        for issuer in self.issuers.values():
            for listing in issuer.listings:
                by_listing[listing.code] = issuer
                symbol = listing.code.rpartition(".")[0]
                if symbol[:1].isalpha() and issuer not in by_symbol.setdefault(symbol, []):
                    by_symbol[symbol].append(issuer)
            # packaged names are already NFKC with single spaces, so casefold() is their key
            keys = {alias.text.casefold() for alias in issuer.aliases}
            keys.add(alias_key(issuer.name))
            for key in keys:
                found = by_alias.get(key)
                if found is None:
                    by_alias[key] = [issuer]
                else:
                    found.append(issuer)
        self._by_listing = by_listing
        self._by_alias = {key: tuple(found) for key, found in by_alias.items()}
        self._alias_keys = sorted(self._by_alias)
        self._by_symbol = {symbol: tuple(found) for symbol, found in by_symbol.items()}
        self._index_names = index_lookup(self.indices)

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, data_dir: Path | None = None) -> SecurityMaster:
        """Read the packaged files (or those in ``data_dir``).

        Raises :class:`RefdataError` when a file is missing, of an unknown format or corrupt.
        """
        folder = data_dir or default_data_dir()
        _check_manifest(folder / "manifest.json")
        issuers = _read_issuers(folder / "issuers.jsonl")
        indices = read_indices(folder / "indices.json")
        log.debug("security master: %d issuers, %d indices from %s",
                  len(issuers), len(indices), folder)
        return cls(issuers, indices)

    # ------------------------------------------------------------------ lookups

    def issuer_for_listing(self, code: str) -> Issuer | None:
        """The issuer with listing ``code``, written in any form :func:`normalize_code` reads."""
        canonical_code = self.canonical_code(code)
        return self._by_listing.get(canonical_code) if canonical_code else None

    def canonical_code(self, text: str) -> str | None:
        """``text`` as a canonical listing code, or None when it is not a code.

        Besides :func:`normalize_code` forms, accepts canonical codes of any market
        (``MQG.AU``) and a bare 1–4 digit number as a Hong Kong code (``700`` → ``00700.HK``).
        """
        s = text.strip()
        if not s:
            return None
        if s.upper() in self._by_listing:
            return s.upper()
        code = normalize_code(s)
        if code is None and re.fullmatch(r"\d{1,4}", s):
            code = canonical(s, "HK")
        return code

    def resolve(self, text: str) -> Resolution:
        """Resolve a code in any form or a name/alias in any language and case.

        An exact code wins; then an exact alias; then a bare ticker without its market
        (``AAPL`` → ``AAPL.US``, ``C6L`` → ``C6L.SG``) when only one issuer lists under it. When
        several issuers share the alias the answer is ``ambiguous`` with the candidates, unless
        exactly one of them is curated.
        """
        query = text.strip()
        if not query:
            return Resolution("unknown", text, None)
        code = self.canonical_code(query)
        if code and code in self._by_listing:
            return Resolution("found", text, self._by_listing[code])
        found = self._by_alias.get(alias_key(query), ())
        if len(found) == 1:
            return Resolution("found", text, found[0])
        by_ticker = self._by_symbol.get(query.upper(), ())
        if len(by_ticker) == 1:
            return Resolution("found", text, by_ticker[0], found)
        found = found + tuple(issuer for issuer in by_ticker if issuer not in found)
        if not found:
            return Resolution("unknown", text, None)
        curated = [issuer for issuer in found if issuer.curated]
        if len(curated) == 1:
            return Resolution("found", text, curated[0], found)
        ranked = tuple(sorted(found, key=_rank_key))
        return Resolution("ambiguous", text, None, ranked)

    def search(self, query: str, limit: int = 20) -> list[Issuer]:
        """Issuers whose code, name or alias matches ``query``: exact, then prefix, then
        substring matches; curated issuers first within each group."""
        key = alias_key(query)
        if not key or limit <= 0:
            return []
        best: dict[str, tuple[int, int, int, str]] = {}

        def offer(issuer: Issuer, grade: int, length: int) -> None:
            rank = (grade, 0 if issuer.curated else 1, length, issuer.id)
            if issuer.id not in best or rank < best[issuer.id]:
                best[issuer.id] = rank

        code = self.canonical_code(query)
        if code and code in self._by_listing:
            offer(self._by_listing[code], -1, 0)
        for alias in self._alias_keys:
            if key in alias:
                grade = 0 if alias == key else 1 if alias.startswith(key) else 2
                for issuer in self._by_alias[alias]:
                    offer(issuer, grade, len(alias))
        upper = query.strip().upper()
        for listing_code, issuer in self._by_listing.items():
            if listing_code.startswith(upper):
                offer(issuer, 1, len(listing_code))
        ranked = sorted(best.items(), key=lambda item: item[1])
        return [self.issuers[issuer_id] for issuer_id, _ in ranked[:limit]]

    def iter_aliases(self) -> Iterator[tuple[Alias, Issuer]]:
        """Every alias with its issuer, issuers in id order."""
        for issuer in self.issuers.values():
            for alias in issuer.aliases:
                yield alias, issuer

    def resolve_index(self, text: str) -> IndexInfo | None:
        """The index named ``text`` (id, English/Chinese name or abbreviation), if any."""
        return self._index_names.get(alias_key(text))

    # ------------------------------------------------------------------ statistics

    def coverage(self) -> dict[str, int]:
        """Counts for docs and tests: issuers, listings by kind, A+H pairs, aliases by language."""
        counts: Counter[str] = Counter()
        for issuer in self.issuers.values():
            counts["issuers"] += 1
            counts["curated_issuers"] += issuer.curated
            kinds = {li.kind for li in issuer.listings}
            counts["listings"] += len(issuer.listings)
            for li in issuer.listings:
                counts[f"listings_{li.kind}"] += 1
                counts["delisted_listings"] += not li.active
            home = [li for li in issuer.listings if li.kind in {"H", "HK", "A"}]
            hk_equity = any(li.code.endswith(".HK") and li.kind in {"H", "HK"} and li.active
                            and li.board not in {"ETF", "RMB counter"} for li in home)
            counts["hk_equities"] += hk_equity
            counts["hk_etfs"] += any(li.board == "ETF" for li in issuer.listings)
            counts["a_shares"] += sum(li.kind == "A" for li in issuer.listings)
            counts["b_shares"] += sum(li.kind == "B" for li in issuer.listings)
            counts["ah_pairs"] += "A" in kinds and "H" in kinds
            if home:
                counts["adrs"] += sum(li.kind in {"ADR", "US"} for li in issuer.listings)
                counts["sg_twins"] += "SG" in kinds
            else:
                counts["foreign_issuers"] += 1
            for alias in issuer.aliases:
                counts["aliases"] += 1
                counts[f"aliases_{alias.lang.replace('-', '_')}"] += 1
        counts["indices"] = len(self.indices)
        return dict(sorted(counts.items()))


@functools.lru_cache(maxsize=1)
def load_master() -> SecurityMaster:
    """The packaged security master, loaded once per process."""
    return SecurityMaster.load()


# ---------------------------------------------------------------------- file reading


def _rank_key(issuer: Issuer) -> tuple[int, int, str]:
    home = any(li.kind in {"H", "HK", "A"} for li in issuer.listings)
    return (0 if issuer.curated else 1, 0 if home else 1, issuer.id)


def _missing(path: Path) -> RefdataError:
    return RefdataError(
        f"{path}: packaged reference data not found; reinstall tickerwire, or rebuild it with "
        "`python scripts/build_refdata.py --shared ../shared/data`")


def _check_manifest(path: Path) -> None:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise _missing(path) from exc
    except (OSError, ValueError) as exc:
        raise RefdataError(f"{path}: unreadable manifest ({exc}); reinstall tickerwire") from exc
    version = manifest.get("format") if isinstance(manifest, dict) else None
    if version != FORMAT_VERSION:
        raise RefdataError(
            f"{path}: reference data format {version!r}, this tickerwire reads format "
            f"{FORMAT_VERSION}; rebuild it with scripts/build_refdata.py")


def _read_issuers(path: Path) -> dict[str, Issuer]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise _missing(path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise RefdataError(f"{path}: unreadable ({exc}); reinstall tickerwire") from exc
    issuers: dict[str, Issuer] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            issuer = _issuer_from_row(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise RefdataError(
                f"{path}, line {number}: corrupt issuer record ({exc}); reinstall tickerwire "
                "or rebuild it with scripts/build_refdata.py") from exc
        issuers[issuer.id] = issuer
    if not issuers:
        raise RefdataError(f"{path}: no issuers in the file; rebuild it with "
                           "scripts/build_refdata.py")
    return issuers


def _issuer_from_row(row: dict[str, Any]) -> Issuer:
    return Issuer(
        id=row["id"],
        name=row["name"],
        name_en=row["en"],
        name_zh_hans=row["hans"],
        name_zh_hant=row["hant"],
        listings=tuple(Listing(*fields) for fields in row["listings"]),
        aliases=tuple(Alias(*fields) for fields in row["aliases"]),
        former_names=tuple(row["former"]),
        industry=row["industry"],
        curated=bool(row["curated"]),
        role=row.get("role"),
    )
