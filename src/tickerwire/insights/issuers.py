"""Issuers and indices as insights show them, looked up in the security master.

``resolve_issuer`` turns what a user typed (any code form, an English or Chinese name) into one
issuer, or raises a typed error that carries the candidates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tickerwire.errors import InvalidInputError, NotFoundError
from tickerwire.insights.records import Record

if TYPE_CHECKING:
    from tickerwire.refdata.indices import IndexInfo as RefdataIndex
    from tickerwire.refdata.master import Issuer, Listing, SecurityMaster


@dataclass(frozen=True, slots=True)
class ListingInfo(Record):
    code: str
    exchange: str
    kind: str
    currency: str | None = None
    board: str | None = None


@dataclass(frozen=True, slots=True)
class IssuerHeader(Record):
    """Who an insight is about: ids, names in English/简体/繁體, every listing."""

    id: str
    name: str
    name_en: str | None
    name_zh_hans: str | None
    name_zh_hant: str | None
    industry: str | None
    listings: tuple[ListingInfo, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The issuer id and every listing code (subjects facts and events may carry)."""
        return tuple(dict.fromkeys((self.id, *(listing.code for listing in self.listings))))

    def listing(self, code: str) -> ListingInfo | None:
        return next((item for item in self.listings if item.code == code), None)


@dataclass(frozen=True, slots=True)
class IndexInfo(Record):
    id: str
    name_en: str
    name_zh: str | None


class AmbiguousSecurityError(InvalidInputError):
    """A name that matches several issuers; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: Sequence[IssuerHeader]) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


class UnknownSecurityError(NotFoundError):
    """A code or name the security master does not know; ``candidates`` are near matches."""

    def __init__(self, message: str, candidates: Sequence[IssuerHeader]) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


def security_master() -> SecurityMaster:
    from tickerwire.refdata.master import load_master

    return load_master()


def issuer_header(issuer: Issuer) -> IssuerHeader:
    return IssuerHeader(
        id=issuer.id,
        name=issuer.name,
        name_en=issuer.name_en,
        name_zh_hans=issuer.name_zh_hans,
        name_zh_hant=issuer.name_zh_hant,
        industry=issuer.industry,
        listings=tuple(_listing_info(listing) for listing in issuer.listings),
    )


def _listing_info(listing: Listing) -> ListingInfo:
    return ListingInfo(
        listing.code, listing.exchange, listing.kind, listing.currency, listing.board
    )


def resolve_issuer(query: str) -> IssuerHeader:
    """The one issuer ``query`` names (code in any form, or name in English/简/繁)."""
    text = query.strip()
    if not text:
        raise InvalidInputError("no security given: pass a code (e.g. 0981.HK) or a name (SMIC)")
    master = security_master()
    resolution = master.resolve(text)
    if resolution.issuer is not None:
        return issuer_header(resolution.issuer)
    if resolution.status == "ambiguous":
        candidates = [issuer_header(issuer) for issuer in resolution.candidates]
        names = "; ".join(f"{c.name} ({', '.join(c.codes)})" for c in candidates[:5])
        raise AmbiguousSecurityError(
            f"{query!r} matches several issuers ({names}): ask again with one of their codes",
            candidates,
        )
    near = [issuer_header(issuer) for issuer in master.search(text, limit=5)]
    hint = f" (did you mean {', '.join(c.name for c in near)}?)" if near else ""
    raise UnknownSecurityError(
        f"{query!r} is not a known security{hint}: try a listing code such as 0981.HK", near
    )


def issuer_for_code(code: str) -> IssuerHeader | None:
    """The issuer a listing code (or issuer id) belongs to, when the master knows it."""
    issuer = security_master().issuer_for_listing(code)
    return None if issuer is None else issuer_header(issuer)


def _indices() -> Mapping[str, RefdataIndex]:
    from tickerwire.refdata.master import load_indices  # the index table, not the issuers

    return load_indices()


def index_info(index_id: str) -> IndexInfo:
    """Names of an index id; an id the master does not know keeps the id as its name."""
    info = _indices().get(index_id)
    if info is None:
        return IndexInfo(index_id, index_id, None)
    return IndexInfo(index_id, info.name_en or index_id, info.name_zh_hans or info.name_zh_hant)


def is_index(subject: str) -> bool:
    return subject in _indices()
