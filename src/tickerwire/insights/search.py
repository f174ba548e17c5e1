"""``search_articles``: free-text search that knows Chinese scripts and securities.

The store folds 简/繁, full-width and case (``store/folding.py``). Here a query learns which
securities it names: the longest runs of its terms that the security master resolves (SMIC,
00981.HK, 中芯, 騰訊, "Ping An") become clauses that a mention of any of that issuer's
listings (A+H, ADR …) also satisfies, in any language. A bare number names a Hong Kong code only
when it is the whole query (``981``), so a year in a longer query stays a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from tickerwire.insights.issuers import (
    IssuerHeader,
    issuer_for_code,
    issuer_header,
    resolve_issuer,
    security_master,
)
from tickerwire.insights.reader import StoreReader
from tickerwire.insights.records import Record
from tickerwire.store.rows import ArticleSummary
from tickerwire.store.search import (
    FacetCounts,
    SearchClause,
    SearchQuery,
    check_query_text,
    parse_query,
)

if TYPE_CHECKING:
    from tickerwire.refdata.master import Issuer

LANG_NAMES = {"en": "English", "zh": "Chinese"}
FACET_SIZE = 12
_LONGEST_NAME = 6  # terms; company names are shorter
_BARE_NUMBER = re.compile(r"\d{1,5}")


@dataclass(frozen=True, slots=True)
class FacetValue(Record):
    """One value of a facet: what to filter on, how to show it, and how many hits have it."""

    value: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchFacets(Record):
    """Counts of every match (not just this page) by day, language, source and listing."""

    day: tuple[FacetValue, ...]
    lang: tuple[FacetValue, ...]
    source: tuple[FacetValue, ...]
    listing: tuple[FacetValue, ...]


# A list counts its matches, and its facets count them by day, language … up to this many (the
# newest): past it ``total`` is that bound and ``total_exact`` false, so a list of a store of a
# million articles reads about a hundred hits, not the store (a word in one article of fifty
# is found in some five thousand revisions walked newest first).
COUNT_LIMIT = 100


@dataclass(frozen=True, slots=True)
class SearchPage(Record):
    query: str
    total: int  # matches, up to COUNT_LIMIT
    limit: int
    offset: int
    results: tuple[ArticleSummary, ...]
    securities: tuple[IssuerHeader, ...] = ()  # the securities the query names
    facets: SearchFacets | None = None  # of the newest COUNT_LIMIT matches
    total_exact: bool = True  # false: more than COUNT_LIMIT match


def search_articles(
    store: StoreReader,
    query: str = "",
    *,
    since: date | None = None,
    until: date | None = None,
    lang: str | None = None,
    source: str | None = None,
    security: str | None = None,
    event_type: str | None = None,
    sentiment: str | None = None,
    limit: int = 20,
    offset: int = 0,
    as_of: datetime | None = None,
    with_facets: bool = False,
) -> SearchPage:
    """Search, newest first; each hit says why it matched.

    ``query`` words must all occur (folded), except that a run of words naming a security is
    also met by a mention of any of its listings. ``security`` (code or name) is a filter that
    covers all its listings. An empty ``query`` lists every article; a query that holds a
    control character or nothing to search for is an ``InvalidInputError``. ``total`` counts up
    to ``COUNT_LIMIT`` matches and the facets the newest that many (``total_exact``: no more).
    """
    parsed, named = security_query(query)
    codes = list(resolve_issuer(security).codes) if security else None
    results, counted, counts = store.list_page(
        parsed, since=since, until=until, lang=lang, source=source, listing_codes=codes,
        event_type=event_type, sentiment=sentiment, limit=limit, offset=offset, as_of=as_of,
        at_most=COUNT_LIMIT + 1, among=COUNT_LIMIT if with_facets else 0, facet_limit=FACET_SIZE,
    )
    facets = _facets(counts) if with_facets else None
    return SearchPage(query, min(counted, COUNT_LIMIT), limit, offset, tuple(results), named,
                      facets, total_exact=counted <= COUNT_LIMIT)


def security_query(text: str) -> tuple[SearchQuery | None, tuple[IssuerHeader, ...]]:
    """``text`` as clauses, runs of terms that name a security joined into one clause each;
    with the securities named."""
    plain = parse_query(text)
    if plain is None:
        return None, ()
    terms = list(plain.terms)
    clauses: list[SearchClause] = []
    named: dict[str, IssuerHeader] = {}
    at = 0
    while at < len(terms):
        for end in range(min(len(terms), at + _LONGEST_NAME), at, -1):
            issuer = _issuer_named(terms[at:end], whole=(at == 0 and end == len(terms)))
            if issuer is not None:
                header = named.setdefault(issuer.id, issuer_header(issuer))
                clauses.append(SearchClause(tuple(terms[at:end]), header.codes, short_name(issuer)))
                at = end
                break
        else:
            clauses.append(SearchClause((terms[at],)))
            at += 1
    return SearchQuery(text, tuple(clauses)), tuple(named.values())


def security_named(text: str) -> IssuerHeader | None:
    """The security ``text`` names exactly (a code in any form, a ticker, or a company name
    in English/简/繁), or None: what the dashboard's search box jumps to."""
    cleaned = " ".join(check_query_text(text).split())
    if not cleaned:
        return None
    issuer = _issuer_named([cleaned], whole=True)
    return None if issuer is None else issuer_header(issuer)


def _issuer_named(terms: list[str], *, whole: bool) -> Issuer | None:
    if not whole and len(terms) == 1 and _BARE_NUMBER.fullmatch(terms[0]):
        return None
    resolution = security_master().resolve(" ".join(terms))
    return resolution.issuer if resolution.status == "found" else None


def short_name(issuer: Issuer) -> str:
    """A short English name for labels: the shortest current English alias without a
    share-class suffix ("-W"), mixed case winning a tie ("Tencent" over "TENCENT"); else the
    issuer's name."""
    names = [alias.text for alias in issuer.aliases
             if alias.lang == "en" and alias.kind != "former" and "-" not in alias.text]
    return min(names, key=lambda name: (len(name), name.isupper(), name)) if names else issuer.name


def _facets(counts: FacetCounts) -> SearchFacets:
    return SearchFacets(
        day=tuple(FacetValue(day, day, n) for day, n in counts.day),
        lang=tuple(FacetValue(v, LANG_NAMES.get(v, v), n) for v, n in counts.lang if v),
        source=tuple(FacetValue(v, v, n) for v, n in counts.source if v),
        listing=tuple(FacetValue(code, _listing_label(code), n) for code, n in counts.listing),
    )


def _listing_label(code: str) -> str:
    """``00981.HK SMIC``: the code and its issuer's short name (the code alone if unknown)."""
    header = issuer_for_code(code)
    issuer = security_master().issuers.get(header.id) if header else None
    return f"{code} {short_name(issuer)}" if issuer else code


__all__ = [
    "FacetValue",
    "SearchFacets",
    "SearchPage",
    "search_articles",
    "security_named",
    "security_query",
    "short_name",
]
