"""Word patterns the fact and event components share (English, simplified, traditional)."""

from __future__ import annotations

import regex

UP_EN = (
    r"ros[e]|rises?|rising|risen|gain(?:s|ed|ing)?|up|higher|surg(?:e|es|ed|ing)|soar(?:s|ed|ing)?|jump(?:s|ed|ing)?"
    r"|climb(?:s|ed|ing)?|advanc(?:e|es|ed|ing)|add(?:s|ed|ing)?|rall(?:y|ies|ied|ying)|increas(?:e|es|ed|ing)"
    r"|spik(?:e|es|ed|ing)|leap(?:s|t|ed)?|popp(?:ed|ing)|rebound(?:s|ed|ing)?|firm(?:s|ed)|edg(?:e|es|ed|ing) up"
    r"|tick(?:s|ed) up|climb|strengthen(?:s|ed)?|outperform(?:s|ed)?|higher"
)
DOWN_EN = (
    r"fell|falls?|falling|fallen|down|lower|dropp(?:ed|ing)|drops?|declin(?:e|es|ed|ing)|sl(?:id|ides|iding|ide)"
    r"|slipp(?:ed|ing)|slips?|slump(?:s|ed|ing)?|plung(?:e|es|ed|ing)|plummet(?:s|ed|ing)?|tumbl(?:e|es|ed|ing)"
    r"|sank|sinks?|sinking|los(?:e|es|t|ing)|shed(?:s|ding)?|retreat(?:s|ed|ing)?|eas(?:e|es|ed|ing)"
    r"|weaken(?:s|ed|ing)?|dipp(?:ed|ing)|dips?|decreas(?:e|es|ed|ing)|skid(?:s|ded)?|tank(?:s|ed)?"
    r"|crash(?:es|ed)?|sell-off|underperform(?:s|ed)?"
)
UP_ZH = r"(?<=[价價])高|狂飆|狂飙|飆|飙|仍高|高出|上涨|上漲|涨幅|漲幅|升幅|走高|高开|高開|飙升|飆升|急升|抽升|大涨|大漲|领涨|領漲|领升|領升|攀升|反弹|反彈|收涨|收漲|收升|倒升|扬升|揚升|涨|漲|升|扬|揚|增"
DOWN_ZH = r"(?<=[价價])低|急瀉|急泻|插水|下跌|跌幅|走低|低开|低開|收跌|急跌|大跌|暴跌|跳水|下挫|挫|回落|下滑|瀉|泻|插|跌|降|减|減"

DIRECTION = regex.compile(
    rf"(?<![A-Za-z])(?P<up>{UP_EN})(?![A-Za-z])|(?<![A-Za-z])(?P<down>{DOWN_EN})(?![A-Za-z])"
    rf"|(?P<up_zh>{UP_ZH})|(?P<down_zh>{DOWN_ZH})",
    regex.IGNORECASE,
)

# A percentage after these is a financial metric or a share of something, not a price move.
METRIC = regex.compile(
    r"(?<![A-Za-z])(?:revenues?|sales|profits?|income|earnings|margins?|EPS|utili[sz]ation|deliveries|shipments"
    r"|volumes?|year[- ]over[- ]year|year[- ]on[- ]year|YoY|y/y|quarter[- ]on[- ]quarter"
    r"|quarter[- ]over[- ]quarter|QoQ|q/q|from a year earlier|from the previous quarter|rates?|yields?|stake"
    r"|inflation|GDP|CPI|PMI|exports|imports|orders|capacity|expenses|costs?|dividends?|payout|occupancy|wages"
    r"|weightings?|turnover)"
    r"(?![A-Za-z])|收入|营收|營收|纯利|純利|净利|淨利|盈利|利润|利潤|毛利|利用率|同比|按年|按季|环比|環比|营业额|營業額|销量|銷量"
    r"|出口|进口|進口|股息|派息|利率|增速|占比|佔比|比重|权重|權重|交付量|交付|产量|產量|订单|訂單|业务价值|業務價值"
    r"|成交额|成交額|成交金额|成交金額|成交量|去年同期|上年同期",
    regex.IGNORECASE,
)
# "a 0.9% gain in the first half", "a 3% drop in early trade": the noun is still the price's move.
_MOVE_IN_TIME = (
    r"(?:the\s+)?(?:first|second|third|fourth|final|past|last|latest|previous|same|whole)\s+(?:half|quarter|session|week"
    r"|month|year|hour|minutes?|days?)|(?:early|morning|afternoon|late|midday|intraday|overnight|Monday|Tuesday"
    r"|Wednesday|Thursday|Friday)\s+(?:trade|trading|deals|session)|(?:the\s+)?(?:session|week|month|year|day)\b"
    r"|trading\b|(?:Hong Kong|Shanghai|Shenzhen|New York)\b"
)
# "a 2.2% rise in the benchmark Hang Seng Index": the move of the name right after the noun.
MOVE_NOUN_IN = regex.compile(
    r"\s*(?:(?P<up>rise|increase|jump|gain|surge|advance|climb|rally)|(?P<down>drop|decline|fall|slump|loss|slide))"
    r"\s+in\s+(?:the\s+)?(?:(?:city's|Hong Kong's|China's|mainland|broader|onshore|wider|benchmark|main|key)\s+)*"
    r"(?:(?:index|gauge)\s*[,，]?\s*the\s+)?",
    regex.IGNORECASE,
)
# "100 per cent tariff", "a 41.2% rise in net profit", "a 5% stake": the percentage describes a noun.
NOT_A_MOVE_AFTER = regex.compile(
    r"^\s*(?:tariffs?|stakes?|interest|discount|premium|tax|levy|levies|duty|duties|owned|holding|ownership"
    rf"|(?:rise|increase|jump|drop|decline|fall|gain|growth|surge|slump|cut|reduction) in\b(?!\s+(?:{_MOVE_IN_TIME}))"
    r"|(?:from|over|on|versus|compared with) (?:the |a )?(?:(?:previous|prior)(?! (?:day|close|session|trading))|first|second"
    r"|third|fourth|same|last|year|quarter|period|month)"
    r"|(?:higher|lower|above|below)(?:\s+than)?\s+(?:the\s+|its\s+)?(?:Hong\s+Kong|H[- ]share|A[- ]share|mainland"
    r"|Shanghai|Shenzhen|onshore|offshore|US)\b"
    r"|的(?:关税|關稅|股权|股權|折让|折讓|溢价|溢價))",
    regex.IGNORECASE,
)
SHARE_OF = regex.compile(r"^\s*(?:of\b|的(?:收入|营收|營收|份额|份額|股份|比例))", regex.IGNORECASE)

CLOSE_WORDS = regex.compile(
    r"(?<![A-Za-z])clos(?:e|ed|ing)(?![A-Za-z])|收报|收報|收市|收盘|收盤|收于|收於|收", regex.IGNORECASE
)

STOCK_REFERENCE = regex.compile(
    r"(?<![A-Za-z])(?:shares|stocks?|its stock|the stock|share price|stock price|counter)(?![A-Za-z])"
    r"|股价|股價|该股|該股|其股",
    regex.IGNORECASE,
)
OWN_STOCK = regex.compile(
    r"(?<![A-Za-z])(?:its|their) (?:share price|shares|stock|stock price)|the (?:company's|group's|firm's) shares"
    r"|該股|该股|其股價|其股价",
    regex.IGNORECASE,
)
CLASS_REFERENCE = regex.compile(
    r"\s*(?:其|该股|該股)?(?:A股|H股|港股|A[- ]shares?|H[- ]shares?|(?:its|the) (?:A|H)[- ]shares?)", regex.IGNORECASE
)
INDEX_REFERENCE = regex.compile(
    r"(?<![A-Za-z])(?:index|benchmark|gauge)(?![A-Za-z])|指数|指數|大市|恒指|国指|國指", regex.IGNORECASE
)
CONSTITUENT_AFTER = regex.compile(
    r"^\s*(?:成分股|成份股|constituents?|ETFs?|etf|期货|期貨|futures|tracker)", regex.IGNORECASE
)
SECTOR_BETWEEN = regex.compile(
    r"(?<![A-Za-z])(?:stocks|sector|sectors|names|peers|counters|industry|plays)(?![A-Za-z])|板块|板塊|概念股|类股|類股",
    regex.IGNORECASE,
)
BOTH = regex.compile(
    r"(?<![A-Za-z])(?:both|each|all|respectively)(?![A-Za-z])|均|都|齐|齊|同告|分别|分別", regex.IGNORECASE
)
AH_BOTH = regex.compile(
    r"A[- ]shares? and H[- ]shares?|A-share and H-share|A and H shares|A\+H|A、H股|A股和H股|A股及H股", regex.IGNORECASE
)
BROKER_CONTEXT = regex.compile(
    r"^\W{0,3}(?:'s\s+)?(?:analysts?|strategists?|economists?|research|upgrad|downgrad|initiat\w* coverage|reiterat"
    r"|(?:rais|lift|cut|trimm|lower|maintain|keep)\w*\s+(?:its\s+|the\s+|a\s+)?(?:\w+\s+)?(?:target|rating|price target"
    r"|forecasts?|estimates?|view)|holds? an? \w+ view|(?:is|was|remains?) (?:bullish|bearish|positive|negative|cautious))",
    regex.IGNORECASE,
)
# A broker's view right after its name: "摩通預期…", "Morgan Stanley expects …", "Citi analysts said in a note".
BROKER_VIEW = regex.compile(
    r"\s*(?:analysts?\s+)?(?:雖然|虽然|則|则|亦|也|更)?\s*(?:預期|预期|相信|認為|认为|估算|估計|估计|預計|预计|看好|看淡|首選|首选"
    r"|維持|维持|給予|给予|expects?\b|sees\b|believes\b|forecasts?\b|estimates?\b"
    r"|said in a (?:client |research )?(?:note|report)|wrote in a (?:client |research )?(?:note|report))",
    regex.IGNORECASE,
)
ACCORDING_TO = regex.compile(r"(?:according to|per|据|據|根据|根據)\s*$", regex.IGNORECASE)
