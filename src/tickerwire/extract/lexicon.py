"""Word patterns the fact and event components share (English, simplified, traditional).

The words themselves are rule data (``refdata/data/rules/*.yaml``, one list per concept); this
module only puts them into the shapes the components match with, compiled once at import.
"""

from __future__ import annotations

import regex

from tickerwire.refdata.rules import load_rules


class LazyPattern:
    """A ``regex`` pattern compiled on its first use: for a module-level pattern that few
    articles reach, whose compiling every process paid at import. ``match``, ``fullmatch`` and
    ``search`` are the compiled pattern's."""

    __slots__ = ("_compiled", "flags", "source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags
        self._compiled: regex.Pattern[str] | None = None

    @property
    def compiled(self) -> regex.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = regex.compile(self.source, self.flags)
        return compiled

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        return self.compiled.match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        return self.compiled.fullmatch(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        return self.compiled.search(string, pos, endpos)


_RULES = load_rules()
_words = _RULES.alternation
_I = regex.IGNORECASE

UP_EN = _words("move_up", "en")
DOWN_EN = _words("move_down", "en")
UP_ZH = _words("move_up", "zh")
DOWN_ZH = _words("move_down", "zh")

DIRECTION = regex.compile(
    rf"(?<![A-Za-z])(?P<up>{UP_EN})(?![A-Za-z])|(?<![A-Za-z])(?P<down>{DOWN_EN})(?![A-Za-z])"
    rf"|(?P<up_zh>{UP_ZH})|(?P<down_zh>{DOWN_ZH})",
    _I,
)

# A percentage after these is a financial metric or a share of something, not a price move.
METRIC = regex.compile(_RULES.whole_words("metric"), _I)
# "a 2.2% rise in the benchmark Hang Seng Index": the move of the name right after the noun.
MOVE_NOUN_IN = regex.compile(
    rf"\s*(?:(?P<up>{_words('move_noun_up', 'en')})|(?P<down>{_words('move_noun_down', 'en')}))"
    rf"\s+in\s+(?:the\s+)?(?:(?:{_words('index_qualifier')})\s+)*"
    r"(?:(?:index|gauge)\s*[,，]?\s*the\s+)?",
    _I,
)
# "100 per cent tariff", "a 41.2% rise in net profit", "a 5% stake": the percentage describes a noun;
# "a 0.9% gain in the first half" is still the price's move.
NOT_A_MOVE_AFTER = regex.compile(
    rf"^\s*(?:{_words('percent_of_noun', 'en')}"
    rf"|(?:{_words('change_noun')}) in\b(?!\s+(?:{_words('move_in_time')}))"
    rf"|(?:from|over|on|versus|compared with) (?:the |a )?(?:{_words('earlier_period')})"
    rf"|(?:higher|lower|above|below)(?:\s+than)?\s+(?:the\s+|its\s+)?(?:{_words('listing_place')})\b"
    rf"|的(?:{_words('percent_of_noun', 'zh')}))",
    _I,
)
SHARE_OF = regex.compile(rf"^\s*(?:of\b|的(?:{_words('share_of')}))", _I)

CLOSE_WORDS = regex.compile(_RULES.whole_words("close_words"), _I)

STOCK_REFERENCE = regex.compile(_RULES.whole_words("stock_reference"), _I)
OWN_STOCK = regex.compile(_words("own_stock"), _I)
CLASS_REFERENCE = regex.compile(rf"\s*(?:其|该股|該股)?(?:{_words('share_class')})", _I)
INDEX_REFERENCE = regex.compile(_RULES.whole_words("index_reference"), _I)
CONSTITUENT_AFTER = regex.compile(rf"^\s*(?:{_words('index_product')})", _I)
SECTOR_BETWEEN = regex.compile(_RULES.whole_words("sector_noun"), _I)
BOTH = regex.compile(_RULES.whole_words("both"), _I)
AH_BOTH = regex.compile(_words("both_share_classes"), _I)
BROKER_CONTEXT = regex.compile(rf"^\W{{0,3}}(?:'s\s+)?(?:{_words('broker_context')})", _I)
# A broker's view right after its name: "摩通預期…", "Morgan Stanley expects …", "Citi analysts said in a note".
BROKER_VIEW = regex.compile(
    rf"\s*(?:analysts?\s+)?(?:{_words('broker_view_adverb')})?\s*(?:{_words('broker_view')})", _I
)
ACCORDING_TO = regex.compile(rf"(?:{_words('according_to')})\s*$", _I)
