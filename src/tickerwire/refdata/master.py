"""The security master: issuers, their listings (A+H, ADR, B, SG …), aliases and indices.

Built by ``scripts/build_refdata.py`` from public listings data into ``data/issuers.jsonl``
(one issuer a line) and ``data/indices.json``; see ``data/SOURCES.md`` and ``docs/refdata.md``.

>>> master = load_master()                                           # doctest: +SKIP
>>> master.resolve("中芯國際").issuer.codes                           # doctest: +SKIP
('00981.HK', '688981.SH')
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import platformdirs

from tickerwire.codes import canonical, normalize_code
from tickerwire.errors import RefdataError
from tickerwire.refdata.cache import read_cache, write_cache
from tickerwire.refdata.indices import IndexInfo, alias_key, index_lookup, read_indices

__all__ = [
    "Alias",
    "IndexInfo",
    "Issuer",
    "Listing",
    "Resolution",
    "SecurityMaster",
    "default_cache_dir",
    "default_data_dir",
    "load_indices",
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

    cache_key: str | None = None
    """The hash of the data files it was loaded from (None when not loaded through the cache):
    what caches derived from the master (the gazetteer's automaton) are named by."""

    def __init__(self, issuers: Mapping[str, Issuer], indices: Mapping[str, IndexInfo]) -> None:
        self._setup(MappingProxyType(dict(issuers)), indices, _Lookups.build(issuers.values()))
        self._alias_lookups: _AliasLookups | None = _AliasLookups.build(issuers.values())

    def _setup(self, issuers: Mapping[str, Issuer], indices: Mapping[str, IndexInfo],
               lookups: _Lookups, alias_cache: tuple[Path, dict[str, object]] | None = None) -> None:
        self.issuers: Mapping[str, Issuer] = issuers
        self.indices: Mapping[str, IndexInfo] = MappingProxyType(dict(indices))
        self._lookups = lookups
        self._alias_lookups = None
        self._alias_cache = alias_cache
        self._index_names = index_lookup(self.indices)

    def _aliases(self) -> _AliasLookups:
        """The issuers by alias: read from their own cache file when first asked for (a code, the
        pipeline and most boards never ask), built from the issuers when it is missing or bad."""
        found = self._alias_lookups
        if found is None:
            found = _read_alias_cache(*self._alias_cache) if self._alias_cache else None
            if found is None:
                found = _AliasLookups.build(self.issuers.values())
                if self._alias_cache:
                    _write_alias_cache(*self._alias_cache, found)
            self._alias_lookups = found
        return found

    def preload(self) -> None:
        """Read now what is otherwise read on first use: the alias index (a server does this
        at start, before it freezes its start-up objects; each issuer is still built when first
        asked for)."""
        self._aliases()

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, data_dir: Path | None = None, *, cache_dir: Path | None = None,
             use_cache: bool = True) -> SecurityMaster:
        """Read the packaged files (or those in ``data_dir``).

        With ``use_cache`` the lookups and the issuers' rows are kept in a cache file under
        ``cache_dir`` (default :func:`default_cache_dir`) named by the hash of the issuer file;
        a later load reads that file and builds each :class:`Issuer` when it is first asked for.
        A cache that is missing, unreadable or from another version is rebuilt.

        Raises :class:`RefdataError` when a data file is missing, of an unknown format or corrupt.
        """
        folder = data_dir or default_data_dir()
        _check_manifest(folder / "manifest.json")
        indices = read_indices(folder / "indices.json")
        path = folder / "issuers.jsonl"
        raw = _read_bytes(path)
        if not use_cache:
            return cls(_parse_issuers(path, raw)[0], indices)
        digest = hashlib.sha256(raw).hexdigest()
        cache_file = (cache_dir or default_cache_dir()) / f"master-{digest[:24]}.pickle"
        cached = _read_cache(cache_file, digest)
        alias_cache = (cache_file.with_name(f"aliases-{digest[:24]}.pickle"), _header(digest))
        if cached is None:
            issuers, lines = _parse_issuers(path, raw)
            master = cls(issuers, indices)
            _write_cache(cache_file, digest, lines, master._lookups)
            _write_alias_cache(*alias_cache, master._aliases())
        else:
            row_lines, lookups = cached
            master = cls.__new__(cls)
            master._setup(_LazyIssuers(row_lines), indices, lookups, alias_cache)
        master.cache_key = hashlib.sha256(
            digest.encode() + _read_bytes(folder / "indices.json")).hexdigest()
        log.debug("security master: %d issuers, %d indices from %s (cache %s)",
                  len(master.issuers), len(indices), folder,
                  "hit" if cached is not None else "written")
        return master

    # ------------------------------------------------------------------ lookups

    def issuer_for_listing(self, code: str) -> Issuer | None:
        """The issuer with listing ``code``, written in any form :func:`normalize_code` reads."""
        canonical_code = self.canonical_code(code)
        issuer_id = self._lookups.by_listing.get(canonical_code) if canonical_code else None
        return self.issuers[issuer_id] if issuer_id else None

    def canonical_code(self, text: str) -> str | None:
        """``text`` as a canonical listing code, or None when it is not a code.

        Besides :func:`normalize_code` forms, accepts canonical codes of any market
        (``MQG.AU``) and a bare 1–4 digit number as a Hong Kong code (``700`` → ``00700.HK``).
        """
        s = text.strip()
        if not s:
            return None
        if s.upper() in self._lookups.by_listing:
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
        if code and code in self._lookups.by_listing:
            return Resolution("found", text, self.issuers[self._lookups.by_listing[code]])
        found = self._issuers(self._aliases().by_alias.get(alias_key(query), ()))
        if len(found) == 1:
            return Resolution("found", text, found[0])
        by_ticker = self._issuers(self._lookups.by_symbol.get(query.upper(), ()))
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

        lookups, aliases = self._lookups, self._aliases()
        code = self.canonical_code(query)
        if code and code in lookups.by_listing:
            offer(self.issuers[lookups.by_listing[code]], -1, 0)
        for alias in aliases.keys:
            if key in alias:
                grade = 0 if alias == key else 1 if alias.startswith(key) else 2
                for issuer in self._issuers(aliases.by_alias[alias]):
                    offer(issuer, grade, len(alias))
        upper = query.strip().upper()
        for listing_code, issuer_id in lookups.by_listing.items():
            if listing_code.startswith(upper):
                offer(self.issuers[issuer_id], 1, len(listing_code))
        ranked = sorted(best.items(), key=lambda item: item[1])
        return [self.issuers[issuer_id] for issuer_id, _ in ranked[:limit]]

    def _issuers(self, ids: Iterable[str]) -> tuple[Issuer, ...]:
        return tuple(self.issuers[issuer_id] for issuer_id in ids)

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
                            and li.board not in {"ETF", "L&I Product", "RMB counter"} for li in home)
            counts["hk_equities"] += hk_equity
            counts["hk_etfs"] += any(li.board == "ETF" for li in issuer.listings)
            counts["hk_li_products"] += any(li.board == "L&I Product" for li in issuer.listings)
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


def default_cache_dir() -> Path:
    """Where derived reference data is cached: ``$TICKERWIRE_CACHE_DIR``, else the user cache
    directory (``~/.cache/tickerwire`` on Linux)."""
    configured = os.environ.get("TICKERWIRE_CACHE_DIR")
    return Path(configured) if configured else Path(platformdirs.user_cache_dir("tickerwire"))


@dataclass(frozen=True, slots=True)
class _Lookups:
    """The master's indexes by code, to issuer ids: what a cache file keeps besides the issuers' rows."""

    by_listing: dict[str, str]
    by_symbol: dict[str, tuple[str, ...]]

    @classmethod
    def build(cls, issuers: Iterable[Issuer]) -> _Lookups:
        by_listing: dict[str, str] = {}
        by_symbol: dict[str, list[str]] = {}
        for issuer in issuers:
            for listing in issuer.listings:
                by_listing[listing.code] = issuer.id
                symbol = listing.code.rpartition(".")[0]
                if symbol[:1].isalpha() and issuer.id not in by_symbol.setdefault(symbol, []):
                    by_symbol[symbol].append(issuer.id)
        return cls(by_listing=by_listing, by_symbol={symbol: tuple(ids) for symbol, ids in by_symbol.items()})


@dataclass(frozen=True, slots=True)
class _AliasLookups:
    """The master's index by alias (43,000 names, two thirds of the time to read the cache), kept
    in a cache file of its own and read only by what looks a name up."""

    by_alias: dict[str, tuple[str, ...]]
    keys: list[str]  # by_alias's keys, sorted

    @classmethod
    def build(cls, issuers: Iterable[Issuer]) -> _AliasLookups:
        by_alias: dict[str, list[str]] = {}
        for issuer in issuers:
            # packaged names are already NFKC with single spaces, so casefold() is their key
            keys = {alias.text.casefold() for alias in issuer.aliases}
            keys.add(alias_key(issuer.name))
            for key in keys:
                by_alias.setdefault(key, []).append(issuer.id)
        return cls(by_alias={key: tuple(ids) for key, ids in by_alias.items()}, keys=sorted(by_alias))


class _LazyIssuers(Mapping[str, Issuer]):
    """Issuers by id, each built from its JSON line the first time it is asked for."""

    def __init__(self, lines: dict[str, str]) -> None:
        self._lines = lines
        self._built: dict[str, Issuer] = {}

    def __getitem__(self, issuer_id: str) -> Issuer:
        issuer = self._built.get(issuer_id)
        if issuer is None:
            issuer = self._built[issuer_id] = _issuer_from_row(json.loads(self._lines[issuer_id]))
        return issuer

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


_CACHE_LAYOUT = 2  # bump when _Lookups, _AliasLookups or a cached payload changes shape


def _header(digest: str) -> dict[str, object]:
    return {"layout": _CACHE_LAYOUT, "digest": digest, "format": FORMAT_VERSION}


def _read_cache(path: Path, digest: str) -> tuple[dict[str, str], _Lookups] | None:
    """The cached rows and lookups, or None when the file is missing, corrupt or stale."""
    payload = read_cache(path, _header(digest), what="master")
    if payload is None:
        return None
    try:
        return payload["lines"], _Lookups(*payload["lookups"])
    except (KeyError, TypeError) as exc:
        log.warning("%s: unreadable master cache (%s); rebuilding it", path, exc)
        return None


def _write_cache(path: Path, digest: str, lines: dict[str, str], lookups: _Lookups) -> None:
    """Write the cache atomically; a cache that cannot be written is logged and skipped."""
    payload = {**_header(digest), "lines": lines, "lookups": (lookups.by_listing, lookups.by_symbol)}
    write_cache(path, payload, what="master")


def _read_alias_cache(path: Path, header: dict[str, object]) -> _AliasLookups | None:
    """The cached alias index, or None when the file is missing, corrupt or stale."""
    payload = read_cache(path, header, what="master alias")
    if payload is None:
        return None
    by_alias, keys = payload.get("by_alias"), payload.get("keys")
    if isinstance(by_alias, dict) and isinstance(keys, list) and len(keys) == len(by_alias):
        return _AliasLookups(by_alias, keys)
    log.warning("%s: unreadable master alias cache (not an index of aliases); rebuilding it", path)
    return None


def _write_alias_cache(path: Path, header: dict[str, object], aliases: _AliasLookups) -> None:
    write_cache(path, {**header, "by_alias": aliases.by_alias, "keys": aliases.keys}, what="master alias")


@functools.lru_cache(maxsize=1)
def load_master() -> SecurityMaster:
    """The packaged security master, loaded once per process."""
    return SecurityMaster.load()


@functools.lru_cache(maxsize=1)
def load_indices() -> Mapping[str, IndexInfo]:
    """The packaged index table alone, read once per process: what names an index on a board,
    without loading the issuers (``load_master().indices`` holds the same)."""
    folder = default_data_dir()
    _check_manifest(folder / "manifest.json")
    return MappingProxyType(read_indices(folder / "indices.json"))


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


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise _missing(path) from exc
    except OSError as exc:
        raise RefdataError(f"{path}: unreadable ({exc}); reinstall tickerwire") from exc


def _parse_issuers(path: Path, raw: bytes) -> tuple[dict[str, Issuer], dict[str, str]]:
    """The issuers of ``issuers.jsonl`` and each one's JSON line, both by issuer id."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RefdataError(f"{path}: unreadable ({exc}); reinstall tickerwire") from exc
    issuers: dict[str, Issuer] = {}
    lines: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            issuer = _issuer_from_row(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise RefdataError(
                f"{path}, line {number}: corrupt issuer record ({exc}); reinstall tickerwire "
                "or rebuild it with scripts/build_refdata.py") from exc
        issuers[issuer.id] = issuer
        lines[issuer.id] = line
    if not issuers:
        raise RefdataError(f"{path}: no issuers in the file; rebuild it with "
                           "scripts/build_refdata.py")
    return issuers, lines


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
