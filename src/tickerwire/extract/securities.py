"""Securities: codes in every written form plus dictionary names → mentions with a listing.

The listing a mention refers to is chosen from, in order: a code written next to the name, the
alias itself ("Alibaba-W" is the Hong Kong line), listing words in the sentence ("A-shares",
"H shares", 科创板, "ADR", HK$ vs ¥ prices), then the market the article is about.
"""

from __future__ import annotations

import re
from collections.abc import Set
from functools import lru_cache
from typing import Final

import regex

from tickerwire.codes import normalize_code
from tickerwire.extract import lexicon as lx
from tickerwire.extract import records
from tickerwire.extract.gazetteer import Entry, Span
from tickerwire.extract.pipeline import Doc
from tickerwire.extract.prefilter import LiteralHits, LiteralPrefilter, PatternSource, required_literals
from tickerwire.extract.sentences import sentence_of
from tickerwire.model import Mention
from tickerwire.refdata.master import Issuer, SecurityMaster
from tickerwire.refdata.rules import load_rules

_PARENS = regex.compile(r"\(([^()\n]{1,48})\)")
_PAREN_TOKEN = regex.compile(
    r"^\s*(?:(?:stock\s+)?code[:\s]*|股票代码[:：\s]*|股份代號[:：\s]*)?"
    r"((?:[A-Za-z]{1,6}\s?[:.]\s?)?[A-Za-z0-9]{1,6}(?:\.[A-Za-z]{1,3}|\s(?:HK|US|SH|SZ))?)\s*$"
)
_PHONE_AFTER = regex.compile(r"[\s-]?\d{3,4}[\s-]?\d{3,4}")
_PAREN_PART = regex.compile(r"[^,，;；/、]+")
_HK_DIGITS = regex.compile(r"[0-9]{3,5}")
_A_DIGITS = regex.compile(r"[0-9]{6}")
_BARE_TICKER = regex.compile(r"[A-Z]{1,5}")
# On ``re``, about twice as fast as ``regex`` here; a test checks both read the pattern alike.
FREE_CODE = re.compile(
    r"(?=[0-9A-Z$])(?<![\w.])(?:\d{4,6}\.(?:HK|SH|SZ|SS|CN|BJ)|[A-Z]{1,5}\.(?:US|SG|UK|JP|TW|KS)|\d{4}\.(?:JP|TW)"
    r"|(?:SH|SZ|BJ)\d{6}|(?:NYSE|NASDAQ|Nasdaq|HKEX|SEHK|HK|SGX)\s?:\s?[A-Z0-9]{1,5}|\$[A-Z]{2,5}"
    r"|\d{1,5}\sHK)(?![\w])"
)
CODE_REACH = 20
"""A code lies within this many characters of each of its anchors (the longest, "NASDAQ : ABCDE", is 14)."""


def free_codes(text: str) -> list[re.Match[str]]:
    """``FREE_CODE.finditer(text)``, scanning only the stretches around the code anchors.

    ``FREE_CODE`` tries nearly every digit and capital letter of an article (its branches begin
    with them), but each of its matches holds an anchor: a dot and two capitals (".HK", ".US"), a
    colon after an exchange's last letter ("HKEX: 388"), "$" and a capital ("$BABA"), "SH", "SZ"
    or "BJ" and a digit ("SH600519") or "HK" after a digit and a space ("700 HK"); an article holds
    a few. The stretches reach ``CODE_REACH``
    either side of every anchor, overlapping ones merged, so each match of the whole text lies in
    one with a character to spare after it (its look-ahead reads the same text; look-behinds see
    before a stretch), and a stretch never begins inside one (that match's anchor would have
    stretched it further back). A match found in a stretch holds an anchor too, so it is one of
    the whole text's: the same matches, in order. ``tests/extract/test_securities.py`` compares
    the two on sample articles and on text made of codes, look-alikes and random characters."""
    found: list[re.Match[str]] = []
    for start, end in _code_stretches(text):
        found.extend(FREE_CODE.finditer(text, start, end))
    return found


def _code_stretches(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` that ``free_codes`` scans, in order, not touching one another."""
    size = len(text)
    stretches: list[tuple[int, int]] = []
    for anchor in sorted(_code_anchors(text)):
        start, end = max(anchor - CODE_REACH, 0), min(anchor + CODE_REACH, size)
        if stretches and start <= stretches[-1][1]:
            stretches[-1] = (stretches[-1][0], end)
        else:
            stretches.append((start, end))
    return stretches


def _code_anchors(text: str) -> list[int]:
    """Where the anchors of ``FREE_CODE``'s matches stand in ``text`` (unordered)."""
    size = len(text)
    found: list[int] = []
    at = text.find(".")
    while at >= 0:
        if at + 2 < size and _capital(text[at + 1]) and _capital(text[at + 2]):
            found.append(at)  # 0700.HK, BABA.US
        at = text.find(".", at + 1)
    at = text.find(":")
    while at >= 0:
        before = at - 2 if at >= 2 and text[at - 1].isspace() else at - 1
        if before >= 0 and text[before] in "EQqXK":
            found.append(at)  # HKEX: 388 (an exchange's name ends with one of these letters)
        at = text.find(":", at + 1)
    at = text.find("$")
    while at >= 0:
        if at + 1 < size and _capital(text[at + 1]):
            found.append(at)  # $BABA
        at = text.find("$", at + 1)
    for prefix in ("SH", "SZ", "BJ"):
        at = text.find(prefix)
        while at >= 0:
            if at + 2 < size and text[at + 2].isdecimal():
                found.append(at)  # SH600519 (\d is a decimal digit)
            at = text.find(prefix, at + 1)
    at = text.find("HK")
    while at >= 0:
        if at > 1 and text[at - 1].isspace() and text[at - 2].isdecimal():
            found.append(at)  # 700 HK (\s is what isspace() says, \d what isdecimal() says)
        at = text.find("HK", at + 1)
    return found


def _capital(ch: str) -> bool:
    return "A" <= ch <= "Z"


_RULES = load_rules()
_words = _RULES.alternation
# Words that point a move at one listing of a dual-listed company (case-sensitive: "A shares").
# The A and H words begin with literals, which ``re`` skips to in C (two to three times faster
# than ``regex`` here); the US words begin with \bADR, which ``regex`` scans faster. A test checks
# that both modules read each list alike.
_LISTING_CUES: tuple[tuple[str, re.Pattern[str] | regex.Pattern[str]], ...] = (
    ("A", re.compile(_words("listing_cue_a"))),
    ("H", re.compile(_words("listing_cue_h"))),
    ("US", regex.compile(_words("listing_cue_us"))),
)
# An alias that names one share class ("Alibaba-W", "百度集團-SW", "比亚迪股份") names that listing.
_SHARE_CLASS = regex.compile(r"-[A-Z]{1,3}$|股份$|H股$|A股$")
VENUE_LOOKBACK = 12
"""Look-back from an exchange's name for a preposition ("on", "with", 在) that makes it a venue, not a company."""
SPONSOR_WINDOW = 90
"""Text after a firm's name read for "sponsor" / 保荐 (then it is a broker)."""
BROKER_CONTEXT_WINDOW = 40
"""Text after a firm's name read for research words ("analysts", "raised its target")."""
ACCORDING_TO_LOOKBACK = 14
"""Look-back from a firm's name for "according to" / 據 (then it is a source)."""
SENTENCE_FALLBACK_WINDOW = 150
"""Text either side of a mention read as its sentence when the sentence splitter found none."""
TITLE_LIMIT = 200
"""The first characters read as the title when an article has no line break."""


def listing_group(code: str) -> str:
    """A (mainland), H (Hong Kong), US, or the market suffix for other listings."""
    market = code.rsplit(".", 1)[-1]
    return "A" if market in {"SH", "SZ", "BJ"} else "H" if market == "HK" else market


def listing_in(codes: tuple[str, ...], group: str) -> str | None:
    return next((c for c in codes if listing_group(c) == group), None)


def cued_group(text: str, groups: Set[str]) -> str | None:
    """The first listing group among ``groups`` that ``text`` names ("A-shares", 港股, "ADRs" …)."""
    for group, cues in _LISTING_CUES:
        if group in groups and cues.search(text):
            return group
    return None


class SecurityLinker:
    """Turns codes and dictionary spans into ``Mention``s; indices into ``IndexMention``s."""

    name = "securities"
    reads = ("text", "spans", "sentences", "market", "article.text")
    adds = ("mentions", "indices", "unlinked_codes")

    def __init__(self, master: SecurityMaster) -> None:
        self.master = master
        self._listings: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}
        self._issuers: dict[str, Issuer | None] = {}  # at most one entry per issuer id the gazetteer or a code names

    def _issuer(self, issuer_id: str) -> Issuer | None:
        """``master.issuers.get(issuer_id)``, kept: the master's lazy mapping costs two Python calls a look-up."""
        if issuer_id in self._issuers:
            return self._issuers[issuer_id]
        issuer = self._issuers[issuer_id] = self.master.issuers.get(issuer_id)
        return issuer

    def _listings_of(self, issuer: Issuer) -> tuple[tuple[str, ...], frozenset[str]]:
        """An issuer's listing codes (primary first) and their listing groups, worked out once per issuer."""
        found = self._listings.get(issuer.id)
        if found is None:
            codes = issuer.codes
            found = self._listings[issuer.id] = (codes, frozenset(listing_group(c) for c in codes))
        return found

    def __call__(self, doc: Doc) -> None:
        cues: dict[tuple[int, str], bool] = {}  # (sentence start, listing group) → whether the sentence cues it
        code_mentions = self._codes(doc)
        taken = [(m.start, m.end) for m in code_mentions]
        mentions = list(code_mentions)
        for span in doc.spans:
            if any(s < span.end and span.start < e for s, e in taken):
                continue
            index_entry = next((e for e in span.entries if e.index), None)
            issuer_entries = [e for e in span.entries if e.issuer]
            if index_entry and not issuer_entries:
                doc.indices.append(
                    records.index_mention(index_entry.index or "", doc.article.text[span.start : span.end], span.start, span.end)
                )
                continue
            mention = self._name_mention(doc, span, code_mentions, cues)
            if mention:
                mentions.append(mention)
        issuers = {m.issuer: self._issuer(m.issuer) for m in mentions}
        roles = {issuer_id: issuer.role for issuer_id, issuer in issuers.items() if issuer is not None}
        role_words = _ROLE_WORDS.scan(doc.text) if mentions else _NO_ROLE_WORDS
        doc.mentions = sorted((_with_role(doc, m, roles.get(m.issuer), role_words) for m in mentions), key=_by_start)

    # -- codes ---------------------------------------------------------------------------------
    def _codes(self, doc: Doc) -> list[Mention]:
        out: list[Mention] = []
        text = doc.text
        for m in _PARENS.finditer(text):
            if _PHONE_AFTER.match(text, m.end()):
                continue  # "(852) 2522 1122": a dialling code, not a stock code
            offset = m.start(1)
            for part in _PAREN_PART.finditer(m.group(1)):
                tok = _PAREN_TOKEN.match(part.group(0))
                if not tok:
                    continue
                raw = tok.group(1)
                code = _paren_code(raw)
                if code:
                    start = offset + part.start() + tok.start(1)
                    self._add_code(doc, code, start, start + len(raw), out)
        for m in free_codes(text):
            if any(o.start <= m.start() < o.end for o in out):
                continue
            code = _code(m.group(0))
            if code:
                self._add_code(doc, code, m.start(), m.end(), out)
        return out

    def _add_code(self, doc: Doc, code: str, start: int, end: int, out: list[Mention]) -> None:
        issuer = self.master.issuer_for_listing(code)
        if issuer is None:
            doc.unlinked_codes.append((code, start, end))  # still a subject for the facts it states
            return
        out.append(
            records.mention(
                issuer=issuer.id,
                name=issuer.name,
                listing=code,
                listings=self._listings_of(issuer)[0],
                text=doc.article.text[start:end],
                start=start,
                end=end,
                confidence=0.99,
                via="code",
            )
        )

    # -- names ---------------------------------------------------------------------------------
    def _name_mention(
        self, doc: Doc, span: Span, codes: list[Mention], cues: dict[tuple[int, str], bool]
    ) -> Mention | None:
        entries = [e for e in span.entries if e.issuer]
        near_code = next((c for c in codes if 0 <= c.start - span.end <= 3), None)
        chosen = next((e for e in entries if e.issuer == near_code.issuer), None) if near_code else _best_entry(entries)
        if chosen is None or chosen.issuer is None:
            return None
        issuer = self._issuer(chosen.issuer)
        if issuer is None:
            return None
        if near_code:
            listing, confidence = near_code.listing, 0.98
        else:
            hint = chosen.listing if chosen.listing and _SHARE_CLASS.search(chosen.alias) else None
            listing = hint or self._listing_from_context(doc, issuer, span, cues)
            confidence = 0.95 if chosen.curated else 0.9 if chosen.kind == "official" else 0.75
            if len(entries) > 1:
                confidence -= 0.2
        return records.mention(
            issuer=issuer.id,
            name=issuer.name,
            listing=listing,
            listings=self._listings_of(issuer)[0],
            text=doc.article.text[span.start : span.end],
            start=span.start,
            end=span.end,
            confidence=confidence,
            via="name",
        )

    def _listing_from_context(
        self, doc: Doc, issuer: Issuer, span: Span, cues: dict[tuple[int, str], bool]
    ) -> str:
        codes, groups = self._listings_of(issuer)
        if len(groups) == 1:
            return codes[0] if issuer.id not in codes else issuer.id
        start, end = sentence_of(doc.sentences, span.start)
        if end <= start:  # no sentence found: the window around the name, never shared
            group = cued_group(_sentence_around(doc, span.start), groups)
        else:  # cued_group of the sentence, each group's cues searched once per sentence
            group = None
            for candidate, pattern in _LISTING_CUES:
                if candidate in groups:
                    key = (start, candidate)
                    found = cues.get(key)
                    if found is None:
                        found = cues[key] = pattern.search(doc.text[start:end]) is not None
                    if found:
                        group = candidate
                        break
        if group is None:
            group = "A" if doc.market == "CN" and "A" in groups else "H" if "H" in groups else None
        return (listing_in(codes, group) if group else None) or issuer.id


# Exchange operators named as the venue ("debut on HKEX", 向港交所递表) are not what the news is about.
_VENUE_BEFORE = regex.compile(
    rf"(?:(?<![A-Za-z])(?:{_words('venue_preposition', 'en')})\s+(?:the\s+)?|{_words('venue_preposition', 'zh')})$",
    regex.IGNORECASE,
)


_SPONSOR_WORD = regex.compile(f"(?i){_words('sponsor_words')}")
_SPONSOR_AFTER = regex.compile(
    r"(?:\s*(?:,|，|、|and|及|和)\s*[A-Z\p{Han}][\w&.'\- ]{0,30}?)*\s*(?:are|were|is|was|acted as|act as|as|为|為|担任|擔任)\s*"
    rf"(?:the\s+)?(?:joint\s+|sole\s+|lead\s+|联席|聯席)?(?:{_words('sponsor_role')})",
    regex.IGNORECASE,
)


# A broker named in a sentence about ratings or target prices is the one giving them.
_RESEARCH_WORDS = regex.compile(_words("research_words"), regex.IGNORECASE)

# The literals of the sponsor words and of "according to" (every match of either holds one), found
# in one pass over the article: most names have neither near them, and most articles none at all.
# Not in the shared scan of the later components: finding names alone (gazetteer and securities)
# would then scan for every rule's words.
_ROLE_WORDS = LiteralPrefilter([_SPONSOR_WORD, lx.ACCORDING_TO])
_SPONSOR, _ACCORDING_TO = 0, 1
_NO_ROLE_WORDS = LiteralHits([], [], [], frozenset())


# The leading literals of the words of lx.BROKER_CONTEXT ("analyst", "rais", "is" …): a match of it
# begins with one after at most three non-word characters, or after "'s" and spaces.
_BROKER_CONTEXT_WORDS: Final = required_literals(PatternSource(_words("broker_context"), regex.IGNORECASE))


_BROKER_CONTEXT_FIRST: Final = frozenset(word[0] for word in _BROKER_CONTEXT_WORDS or ())
_BROKER_CONTEXT_LONGEST: Final = max(map(len, _BROKER_CONTEXT_WORDS or ("",)))
_CJK_PUNCTUATION: Final = "（）【】「」《》，、。：；！？\u3000"
"""Non-word characters (``\\W``) of Chinese text."""


def _may_be_broker_context(text: str, pos: int) -> bool:
    """False when ``lx.BROKER_CONTEXT`` cannot match ``text[pos : pos + BROKER_CONTEXT_WINDOW]``
    (most names): the first word character there, within reach, begins none of its words (and
    is not the s of "'s" before one), or is a Chinese ideograph. Where a character beyond ASCII
    could fold to a letter of one, the pattern decides."""
    if _BROKER_CONTEXT_WORDS is None:
        return True
    window = text[pos : pos + BROKER_CONTEXT_WINDOW]
    for k in range(min(5, len(window))):
        ch = window[k]
        if ch < "\x80":
            if not (ch.isalnum() or ch == "_"):
                continue  # a non-word character: \W{0,3}, or the ' of "'s", takes it
        elif ch in _CJK_PUNCTUATION:
            continue
        else:  # an ideograph is a word character no broker word begins with; another may fold to a letter
            return not "\u4e00" <= ch <= "\u9fff"
        if k <= 3 and _begins_broker_word(window, k):  # the first word character
            return True
        if ch in "sS" and k >= 1 and window[k - 1] == "'":
            after = k + 1
            while after < len(window) and window[after].isspace():
                after += 1
            return after > k + 1 and _begins_broker_word(window, after)
        return False
    return False  # no word character within reach


def _begins_broker_word(window: str, at: int) -> bool:
    """Whether one of the broker words (lower-case ASCII) may begin at ``window[at]``: each of its
    letters stands there in either case, or a character beyond ASCII (which might fold to it) does."""
    words = _BROKER_CONTEXT_WORDS or ()
    if at >= len(window):
        return False
    first = window[at]
    if first < "\x80" and first.lower() not in _BROKER_CONTEXT_FIRST:
        return False  # a digit, or a letter no word begins with
    piece = window[at : at + _BROKER_CONTEXT_LONGEST]
    if piece.isascii():
        return piece.lower().startswith(words)
    for word in words:  # rare: letters beyond ASCII among the next few
        if at + len(word) > len(window):
            continue
        for i in range(len(word)):
            ch = window[at + i]
            if ch < "\x80" and ch.lower() != word[i]:
                break
        else:
            return True
    return False


def _by_start(m: Mention) -> int:
    return m.start


def _with_role(doc: Doc, m: Mention, business: str | None, role_words: LiteralHits) -> Mention:
    """Mark the exchange a company lists on (venue) and the firm behind a note or a deal (broker);
    ``business`` is what the master says the issuer is (roles.yaml); ``role_words``: where the
    literals of the sponsor words and of "according to" are in the article (a window without one
    cannot match either pattern, so it is not searched)."""
    text = doc.text
    if business == "exchange" and _VENUE_BEFORE.search(text, max(0, m.start - VENUE_LOOKBACK), m.start):
        return records.replaced(m, role="venue")
    if business == "broker":
        start, end = sentence_of(doc.sentences, m.start)
        if _RESEARCH_WORDS.search(text, start, end) or lx.BROKER_VIEW.match(text, m.end):
            return records.replaced(m, role="broker")
    if _SPONSOR in role_words.possible(m.end, m.end + SPONSOR_WINDOW):
        window = text[m.end : m.end + SPONSOR_WINDOW]
        if _SPONSOR_WORD.search(window) and _SPONSOR_AFTER.match(window):
            return records.replaced(m, role="broker")  # "CICC, Morgan Stanley and UBS are joint sponsors"
    if _may_be_broker_context(text, m.end) and lx.BROKER_CONTEXT.match(text[m.end : m.end + BROKER_CONTEXT_WINDOW]):
        return records.replaced(m, role="broker")
    lookback = max(0, m.start - ACCORDING_TO_LOOKBACK)
    if _ACCORDING_TO in role_words.possible(lookback, m.start) and lx.ACCORDING_TO.search(text, lookback, m.start):
        return records.replaced(m, role="broker")
    return m


def _best_entry(entries: list[Entry]) -> Entry | None:
    if not entries:
        return None
    curated = [e for e in entries if e.curated]
    if len(curated) == 1:
        return curated[0]
    if len(entries) == 1:
        return entries[0]
    common = [e for e in (curated or entries) if e.kind in {"common", "short"}]
    return common[0] if len(common) == 1 else None


def _paren_code(raw: str) -> str | None:
    raw = raw.strip()
    if _HK_DIGITS.fullmatch(raw):
        if len(raw) == 4 and 1900 <= int(raw) <= 2100:
            return None
        return _code(raw, "HK")
    if _A_DIGITS.fullmatch(raw):
        return _code(raw)
    if _BARE_TICKER.fullmatch(raw):
        return None  # "(AI)", "(EV)": too ambiguous without a market
    return _code(raw)


@lru_cache(maxsize=4096)
def _code(raw: str, default_market: str | None = None) -> str | None:
    """``normalize_code`` of a code written in an article, remembered: articles repeat a few codes,
    and reading one takes some ten regular-expression calls."""
    return normalize_code(raw, default_market=default_market)


def _sentence_around(doc: Doc, pos: int) -> str:
    start, end = sentence_of(doc.sentences, pos)
    return doc.text[start:end] if end > start else doc.text[max(0, pos - SENTENCE_FALLBACK_WINDOW) : pos + SENTENCE_FALLBACK_WINDOW]


class RelevanceScorer:
    """Per issuer: headline / major / passing, and the publisher's Related Stocks cross-check."""

    name = "relevance"
    reads = ("text", "mentions", "article.related_stocks")
    adds = ("relevance",)

    def __init__(self, master: SecurityMaster) -> None:
        self.master = master

    def __call__(self, doc: Doc) -> None:
        title_end = doc.text.find("\n")
        title_end = title_end if title_end > 0 else min(len(doc.text), TITLE_LIMIT)
        counts: dict[str, int] = {}
        in_title: set[str] = set()
        for m in doc.mentions:
            counts[m.issuer] = counts.get(m.issuer, 0) + 1
            if m.start < title_end:
                in_title.add(m.issuer)
        claimed: set[str] = set()
        for code in doc.article.related_stocks:
            issuer = self.master.issuer_for_listing(code)
            claimed.add(issuer.id if issuer else code)
        rows = []
        for issuer_id in sorted(set(counts) | claimed):
            n = counts.get(issuer_id, 0)
            level = "headline" if issuer_id in in_title else "major" if n >= 3 else "passing" if n else "none"
            rows.append(records.relevance(issuer_id, level, n, issuer_id in claimed, n > 0))
        doc.relevance = rows
