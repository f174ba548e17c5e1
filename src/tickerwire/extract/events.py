"""Events: the DESIGN taxonomy, tagged per sentence with its evidence span and subjects.

Move events come from the facts (a stock move → ``price_move``, an index move → ``index_move``);
the others from keyword patterns in English, simplified and traditional Chinese that report the
news itself (an upgrade, a filing, a policy step), not words that merely appear near it.
"""

from __future__ import annotations

import re as regex  # stdlib re: these patterns need nothing more, and it is faster here

import ahocorasick

from tickerwire.extract import lexicon as lx
from tickerwire.extract.pipeline import Doc
from tickerwire.extract.sentences import sentence_of
from tickerwire.model import Event

_I = regex.IGNORECASE
EVENT_PATTERNS: tuple[tuple[str, regex.Pattern[str]], ...] = (
    (
        "listing_application",
        regex.compile(
            r"(?:re)?fil(?:ed|es|ing) (?:a |an |its |for (?:a |an )?)?(?:[\w-]+ ){0,3}(?:listing application|application"
            r"|prospectus|(?:IPO|listing|flotation)\b)|appl(?:y|ies|ied) (?:to list|for (?:a |an )?(?:[\w-]+ ){0,2}listing)"
            r"|submitted (?:a |an |its )?(?:updated |new |fresh )?(?:listing )?application|draft prospectus|listing hearing|passed (?:the |its )?(?:listing )?hearing"
            r"|A1 filing|递表|遞表|递交(?:了)?(?:上市)?申请|遞交(?:了)?(?:上市)?申請|提交(?:上市)?申请|提交(?:上市)?申請"
            r"|通过(?:上市)?聆讯|通過(?:上市)?聆訊|申请(?:在港)?上市|申請(?:在港)?上市",
            _I,
        ),
    ),
    (
        "ipo",
        regex.compile(
            r"(?<![A-Za-z])IPOs?(?![A-Za-z])|initial public offering|(?:trading|market|stock market|listing) debut"
            r"|made (?:its|their) debut|debut(?:ed|s)? (?:on|in|at)|on (?:its |their )?(?:\w+ ){0,2}debut|first day of trading|secondary listing|dual listing|offer price"
            r"|priced (?:its|the) (?:shares|offering)|(?<![最半])新股(?![东東])|招股|上市首日|首日挂牌|首日掛牌|挂牌上市|掛牌上市|暗盘|暗盤"
            r"|二次上市|双重上市|雙重上市|首次公开发行|首次公開發行",
            _I,
        ),
    ),
    (
        "fund_flow",
        regex.compile(
            r"southbound|northbound|south-bound|north-bound|Stock Connect (?:flows?|inflows?|buying)|net (?:inflows?|outflows?)"
            r"|mainland (?:investors|buying|funds)|南向资金|南向資金|北向资金|北向資金|南下资金|南下資金|北水|港股通.{0,6}净|港股通.{0,6}淨"
            r"|(?:南向|北向|南下|北上)(?:资金|資金)?(?:净|淨)(?:流入|流出|买入|買入|卖出|賣出)",
            _I,
        ),
    ),
    (
        "target_price",
        regex.compile(
            r"target price|price target|(?:HK\$|US\$|RMB|¥)\s?[\d.,]+ (?:price )?target|目标价|目標價|目標股價|目标股价",
            _I,
        ),
    ),
    (
        "analyst_rating",
        regex.compile(
            r"(?:up|down)grad(?:e|es|ed|ing) (?:[\w.&'-]+ ){0,5}?(?:to|from) (?:an? )?[\"“‘']?(?:buy|sell|hold|neutral|overweight"
            r"|underweight|outperform|underperform|equal-weight|market-perform|accumulate|reduce|add)\b"
            r"|(?:rating|ratings) (?:up|down)grade|analyst (?:up|down)grades|(?:up|down)graded analyst ratings?"
            r"|(?:cut|cuts|lowered|lowers|lifted|lifts|raised|raises) (?:its |their |the )?rating"
            r"|analysts? (?:said|wrote|noted) in a (?:client |research )?(?:note|report)|目標股價|目标股价|(?:up|down)grad(?:e|es|ed) (?:the stock|the shares|its rating)"
            r"|(?:buy|sell|hold|neutral|overweight|underweight|outperform"
            r"|underperform) rating|rat(?:es|ed|ing) (?:it|the stock|the shares) (?:as )?(?:a )?(?:buy|sell|overweight|neutral)"
            r"|initiat(?:e|es|ed) coverage|reiterat(?:e|es|ed) (?:its |a )?(?:buy|overweight|outperform)"
            r"|rais(?:ed|es|ing) (?:its |the )?(?:profit|earnings|revenue) (?:forecast|estimate)s?"
            r"|(?:cut|cuts|lowered|lowers) (?:its |the )?(?:profit|earnings) (?:forecast|estimate)s?"
            r"|optimistic view|target price|(?:a |an )?(?:HK\$|US\$|RMB|¥)\s?[\d.,]+"
            r" (?:price )?target"
            r"|调升.{0,4}评级|調升.{0,4}評級|评级|評級|买入评级|買入評級|上调.{0,6}(?:预测|目标|評級|评级)|上調.{0,6}(?:預測|目標|評級)|下调.{0,6}(?:预测|目标|评级)"
            r"|下調.{0,6}(?:預測|目標|評級)|目标价|目標價|大行",
            _I,
        ),
    ),
    (
        "earnings",
        regex.compile(
            r"(?:quarterly|annual|interim|half-year|first-half|full-year|Q[1-4]|third-quarter|second-quarter|first-quarter"
            r"|fourth-quarter) (?:results|earnings|profit|net profit|revenue)|(?:reported|posted|announced) (?:its |a )?"
            r"(?:net profit|profit|revenue|sales revenue|results|earnings|loss)|earnings (?:overview|report|beat|miss|call)"
            r"|(?:posted|reported|announced|unveiled) (?:its |their )?(?:(?:first|second|third|fourth)[- ]quarter|Q[1-4]"
            r"|quarterly|annual|interim|half-year|full-year|nine-month) (?:numbers|figures|results)"
            r"|net (?:profit|income) (?:rose|fell|increased|decreased|was|of|attributable)|Q[1-4] Earnings|results showed"
            r"|(?:swung|swings|turned|returned) to a (?:[\w-]+ )?(?:net )?(?:loss|profit)|revenue (?:rose|fell|increased|decreased|grew|was)"
            r"|(?:公布|發布|发布|披露|录得|錄得|公佈)(?:了)?.{0,8}(?:业绩|業績)|(?:季度|中期|全年|年度|三季|半年|季)(?:业绩|業績)"
            r"|财报|財報|季度.{0,4}(?:纯利|純利|净利|淨利|收入|营收|營收)|第\d季(?:纯利|純利|净利|淨利|收入)"
            r"|(?:纯利|純利|净利润|淨利潤)(?:达|達|为|為|同比|按年)",
            _I,
        ),
    ),
    (
        "guidance",
        regex.compile(
            r"guidance|outlook for|(?:Q[1-4]|fourth-quarter|third-quarter) (?:revenue|sales|deliveries)[^;\n]{0,30}?"
            r"\bto\b|profit warning|profit alert|warned that (?:its |the )?(?:[\w-]+ )?(?:profit|earnings|net)|盈利警告|盈警|盈喜"
            r"|(?:project(?:s|ed|ing)|forecast(?:s|ed|ing)?) (?:its )?(?:[\w-]+ )?(?:earnings|profit|net profit|revenue) to"
            r"|expect(?:s|ed)? (?:Q[1-4]|fourth-quarter|"
            r"third-quarter|full-year|revenue|sales|to deliver|to ship|to sell)|Q[1-4] revenue (?:was|is) (?:expected|guided)|指引|预计.{0,8}收入"
            r"|預計.{0,8}收入|料第\d季|全年营收增长|全年營收增長",
            _I,
        ),
    ),
    (
        "policy",
        regex.compile(
            r"People's Bank of China|(?-i:\b(?:PBOC|PBoC|NDRC|MIIT|NFRA|SFC|HKMA)\b)|(?-i:\bCSRC\b)(?! (?:registration|approval))"
            r"|China Securities Regulatory Commission|State Council|Politburo"
            r"|Ministry of (?:Industry|Finance|Commerce)|President Xi|Xi Jinping|central bank (?:cut|lowered|said|will)"
            r"|reserve requirement ratio|stimulus (?:package|measures)|regulators? (?:said|announced|issued|unveiled|cut|lowered|raised|eased|tightened|approved|ordered|fined|banned)"
            r"|National Financial Regulatory Administration|金融监管总局|國家金融監督管理總局|银保监|銀保監"
            r"|Hong Kong Monetary Authority|央行|人民银行|人民銀行|人行|证监会(?!注册|批复|同意)|證監會(?!註冊|批覆|同意)|国务院|國務院|政治局|发改委|發改委"
            r"|工信部|财政部|財政部|降准|降準|降息|政策(?:支持|出台|推出)|港交所(?:宣布|推出|改革)",
            _I,
        ),
    ),
    (
        "geopolitics",
        regex.compile(
            r"export controls?|sanctions?|tariffs?|trade war|Entity List|blacklist|chip curbs|restrictions on (?:chip|China)"
            r"|出口管制|制裁|关税|關稅|实体清单|實體清單|贸易战|貿易戰|中美(?:关系|關係)紧张|中美(?:关系|關係)緊張",
            _I,
        ),
    ),
    (
        "m_and_a",
        regex.compile(
            r"(?<![A-Za-z])(?:acquir(?:e|es|ed|ing) (?:a|an|the|its|all|majority|control|stakes?)\b|acquisitions? of"
            r"|merger|takeover|privati[sz](?:e|ation|ing|ed)|buyout|tender offer|take (?:[\w&.'-]+ ){0,4}private)(?![A-Za-z])|收购|收購|并购|併購|合并|合併|私有化|要约|要約",
            _I,
        ),
    ),
    (
        "index_inclusion",
        regex.compile(
            r"(?:added|included|admitted|inclusion|removed|deleted) (?:to|in|into|from) the [\w\s&-]{0,40}(?:Index|index|gauge)"
            r"|index (?:review|rebalancing|inclusion)|纳入.{0,12}指数|納入.{0,12}指數|剔出.{0,12}指[数數]|调入|調入"
            r"|获纳入|獲納入|成分股调整|成份股調整",
            _I,
        ),
    ),
    (
        "other",  # corporate actions the taxonomy has no type for: placements, buybacks, dividends
        regex.compile(
            r"(?<![A-Za-z])(?:placement|placing|top-up placing|share buyback|buy ?backs?|(?:bought|buys|buying) back"
            r"|(?:share |stock )repurchases?|repurchas(?:e|es|ed|ing) (?:of )?(?:its |their |own |up to )?(?:[\w$.,-]+ ){0,5}shares"
            r"|(?:interim|final|special) dividend|rights issue|distribution of)(?![A-Za-z])|配售|配股|回购|回購|派息|中期股息"
            r"|末期股息|特别股息|特別股息|供股",
            _I,
        ),
    ),
    (
        "product_launch",
        regex.compile(
            r"(?<!to )(?:launch(?:ed|es)?|rolled out|introduc(?:ed|es)|debut(?:ed|s)?) (?:a |an |its |the )?(?:first|new|latest"
            r"|next-generation)|unveil(?:ed|s|ing)? (?!plans?\b|a plan|guidelines|measures|polic|rules|details|steps)|推出新|发布新|發佈新"
            r"|發布新|新品发布|新品發佈|新車上市|新车上市",
            _I,
        ),
    ),
)
_SECTOR = regex.compile(
    r"(?<![A-Za-z])(?:chip|semiconductor|tech(?:nology)?|internet|property|developer|bank(?:ing)?|insurance|gold|coal"
    r"|oil|energy|pharmaceutical|pharma|biotech|healthcare|consumer|catering|auto(?:mobile)?|EV|carmaker|solar"
    r"|brokerage|securities|metal|steel|airline|casino|gaming|education|telecom|utility|utilities)"
    r" (?:stocks|shares|sector|names|counters|plays)(?![A-Za-z])"
    r"|(?<![A-Za-z])(?:chipmakers|chip makers|chip designers|carmakers|automakers|EV makers|developers|insurers|lenders"
    r"|miners|gold miners|brokerages|casino operators|airlines|tech giants|internet giants|solar makers)(?![A-Za-z])"
    r"|(?:半导体|半導體|晶片|芯片|科技|内房|內房|地产|地產|银行|銀行|保险|保險|黄金|黃金|煤炭|石油|医药|醫藥|生物科技|汽车|汽車"
    r"|券商|金属|金屬|钢铁|鋼鐵|航空|濠赌|濠賭|内银|內銀|资源|資源|消费|消費|餐饮|餐飲)(?:股|板块|板塊|类股|類股)",
    _I,
)
_SECTOR_MOVE = regex.compile(
    r"(?<![A-Za-z])(?:rose|rise|rallied|rally|surged|surge|jumped|gained|climbed|led (?:gains|declines|the market)|fell|fall"
    r"|dropped|slumped|slid|slide|plunged|plummeted|tumbled|declined|retreated|eased|shine|shone|outperformed|underperformed"
    r"|extended (?:gains|losses|their rally|their slide))(?![A-Za-z])"
    r"|急升|急跌|造好|向好|走强|走強|走弱|领涨|領漲|领跌|領跌|大涨|大漲|大跌|回落|下跌|上涨|上漲|涨势|漲勢|跌势|跌勢|急挫|抽升|普涨|普漲|普跌",
    _I,
)


# Literal cues (lower case) that every match of a pattern contains at least one of: one
# Aho-Corasick pass finds them, and a pattern only runs on the sentences that hold its cues.
EVENT_CUES: dict[str, tuple[str, ...]] = {
    "other": (
        "placement",
        "placing",
        "top-up",
        "buyback",
        "buy back",
        "bought back",
        "buys back",
        "buying back",
        "repurchas",
        "dividend",
        "rights issue",
        "distribution of",
        "配售",
        "配股",
        "回购",
        "回購",
        "派息",
        "股息",
        "供股",
    ),
    "listing_application": (
        "appl",
        "prospectus",
        "fil",
        "submitted",
        "hearing",
        "递表",
        "遞表",
        "递交",
        "遞交",
        "提交",
        "聆讯",
        "聆訊",
        "申请",
        "申請",
    ),
    "ipo": (
        "first day of trading",
        "ipo",
        "initial public",
        "debut",
        "secondary listing",
        "dual listing",
        "offer price",
        "priced",
        "新股",
        "招股",
        "首日",
        "挂牌",
        "掛牌",
        "暗盘",
        "暗盤",
        "二次上市",
        "双重上市",
        "雙重上市",
        "首次公开",
        "首次公開",
    ),
    "fund_flow": (
        "北上",
        "southbound",
        "northbound",
        "south-bound",
        "north-bound",
        "stock connect",
        "net inflow",
        "net outflow",
        "mainland investors",
        "mainland buying",
        "mainland funds",
        "南向",
        "北向",
        "南下",
        "北水",
        "港股通",
        "净流",
        "淨流",
    ),
    "target_price": ("target", "目标价", "目標價", "目標股價", "目标股价"),
    "analyst_rating": (
        "target",
        "upgrad",
        "downgrad",
        "rating",
        "rate",
        "initiat",
        "reiterat",
        "forecast",
        "estimate",
        "optimistic view",
        "analyst",
        "target price",
        "评级",
        "評級",
        "上调",
        "上調",
        "下调",
        "下調",
        "目标价",
        "目標價",
        "目標股價",
        "目标股价",
        "大行",
    ),
    "earnings": (
        "swung",
        "swings",
        "turned to",
        "returned to",
        "revenue",
        "公布",
        "公佈",
        "發布",
        "发布",
        "披露",
        "录得",
        "錄得",
        "unveiled",
        "results",
        "earnings",
        "profit",
        "revenue",
        "reported",
        "posted",
        "announced",
        "net income",
        "业绩",
        "業績",
        "财报",
        "財報",
        "纯利",
        "純利",
        "净利",
        "淨利",
        "收入",
        "营收",
        "營收",
    ),
    "guidance": (
        "project",
        "forecast",
        "warn",
        "profit alert",
        "盈利警告",
        "盈警",
        "盈喜",
        "guidance",
        "outlook for",
        "q1",
        "q2",
        "q3",
        "q4",
        "fourth-quarter",
        "third-quarter",
        "expect",
        "指引",
        "预计",
        "預計",
        "料第",
        "全年营收",
        "全年營收",
    ),
    "policy": (
        "regulator",
        "nfra",
        "金融监管",
        "金融監督",
        "银保监",
        "銀保監",
        "people's bank",
        "pboc",
        "csrc",
        "securities regulatory",
        "state council",
        "politburo",
        "ndrc",
        "ministry of",
        "miit",
        "president xi",
        "xi jinping",
        "central bank",
        "reserve requirement",
        "stimulus",
        "regulator",
        "sfc",
        "monetary authority",
        "hkma",
        "央行",
        "人民银行",
        "人民銀行",
        "人行",
        "证监会",
        "證監會",
        "国务院",
        "國務院",
        "政治局",
        "发改委",
        "發改委",
        "工信部",
        "财政部",
        "財政部",
        "降准",
        "降準",
        "降息",
        "政策",
        "港交所",
    ),
    "geopolitics": (
        "export control",
        "sanction",
        "tariff",
        "trade war",
        "entity list",
        "blacklist",
        "chip curbs",
        "restrictions on",
        "出口管制",
        "制裁",
        "关税",
        "關稅",
        "实体清单",
        "實體清單",
        "贸易战",
        "貿易戰",
        "中美",
    ),
    "m_and_a": (
        "acquir",
        "acquisition",
        "merger",
        "takeover",
        "privati",
        "buyout",
        "tender offer",
        "private",
        "收购",
        "收購",
        "并购",
        "併購",
        "合并",
        "合併",
        "私有化",
        "要约",
        "要約",
    ),
    "index_inclusion": (
        "added",
        "included",
        "admitted",
        "inclusion",
        "removed",
        "deleted",
        "index review",
        "rebalanc",
        "纳入",
        "納入",
        "剔出",
        "调入",
        "調入",
        "成分股",
        "成份股",
    ),
    "product_launch": (
        "debut",
        "launch",
        "unveil",
        "rolled out",
        "introduc",
        "推出新",
        "发布新",
        "發佈新",
        "發布新",
        "新品",
        "新車",
        "新车",
    ),
    "sector_move": (
        "insurer",
        "lender",
        "automaker",
        "miner",
        "chip maker",
        "makers",
        "chip",
        "semiconductor",
        "tech",
        "internet",
        "property",
        "developer",
        "bank",
        "insurance",
        "gold",
        "coal",
        "oil",
        "energy",
        "pharma",
        "biotech",
        "healthcare",
        "consumer",
        "catering",
        "auto",
        "ev ",
        "carmaker",
        "solar",
        "brokerage",
        "securities",
        "metal",
        "steel",
        "airline",
        "casino",
        "gaming",
        "education",
        "telecom",
        "utilit",
        "半导体",
        "半導體",
        "晶片",
        "芯片",
        "科技",
        "内房",
        "內房",
        "地产",
        "地產",
        "银行",
        "銀行",
        "保险",
        "保險",
        "黄金",
        "黃金",
        "煤炭",
        "石油",
        "医药",
        "醫藥",
        "生物科技",
        "汽车",
        "汽車",
        "券商",
        "金属",
        "金屬",
        "钢铁",
        "鋼鐵",
        "航空",
        "濠赌",
        "濠賭",
        "内银",
        "內銀",
        "资源",
        "資源",
        "消费",
        "消費",
        "餐饮",
        "餐飲",
    ),
}


def _cue_automaton() -> ahocorasick.Automaton:
    by_cue: dict[str, set[str]] = {}
    for etype, cues in EVENT_CUES.items():
        for cue in cues:
            by_cue.setdefault(cue, set()).add(etype)
    automaton = ahocorasick.Automaton()
    for cue, types in by_cue.items():
        automaton.add_word(cue, tuple(sorted(types)))
    automaton.make_automaton()
    return automaton


_WARNING = regex.compile(r"warn(?:s|ed|ing)?\b|profit alert|盈利警告|盈警", _I)
_PROJECTING = regex.compile(
    r"(?:project(?:s|ed|ing)|forecast(?:s|ed|ing)?) (?:its )?(?:[\w-]+ )?(?:earnings|profit|net profit|revenue) to", _I
)
_IPO_TRANCHE = regex.compile(
    r"international (?:placement|placing|offering|tranche)|over-?allotment|超額配售|超额配售|超額配股|超额配股", _I
)
_FUTURE = regex.compile(
    r"\b(?:will|is due to|are due to|ahead of|is expected to (?:report|announce|list|debut)|later this)\b"
    r"|將於|将于|將會|将会|即將|即将|將公布|将公布|將在|将在|明年|下周|下週|午後將|午后将",
    _I,
)


class EventTagger:
    """Tags events per sentence; evidence is the sentence, subjects its securities and indices."""

    name = "events"
    reads = ("text", "sentences", "mentions", "indices", "facts", "quantities", "article.text")
    adds = ("events",)

    def __init__(self) -> None:
        # one automaton for all cues, built once
        self.cues = _cue_automaton()
        self.patterns = dict(EVENT_PATTERNS)

    def __call__(self, doc: Doc) -> None:
        seen: set[tuple[str, int]] = set()
        spans = doc.sentences or [(0, len(doc.text))]
        text = doc.text
        candidates: set[tuple[str, tuple[int, int]]] = set()
        for end_idx, types in self.cues.iter(text.lower()):
            sentence = sentence_of(spans, end_idx)
            candidates.update((etype, sentence) for etype in types)
        for etype, (start, end) in sorted(candidates, key=lambda c: (c[1], c[0])):
            if (etype, start) in seen or end <= start:
                continue
            if etype == "sector_move":
                sector = _SECTOR.search(text, start, end)
                if not (sector and _SECTOR_MOVE.search(text, sector.end(), min(end, sector.end() + 40))):
                    continue
            elif not self.patterns[etype].search(text, start, end):
                continue
            if etype == "fund_flow" and not _has_amount(doc, start, end):
                continue  # a flow is news when the article states how much
            if etype == "earnings" and (_WARNING.search(text, start, end) or _PROJECTING.search(text, start, end)):
                continue  # a profit warning or a projection is guidance, not results
            if etype == "other" and _IPO_TRANCHE.search(text, start, end):
                continue  # an IPO's international placing or over-allotment is not a placement
            if etype in {"earnings", "ipo"} and _FUTURE.search(text, start, end):
                continue  # "will report results next week", 將於明年公布業績: not yet news
            self._add(doc, seen, etype, _subjects_in(doc, start, end), start, end)
        for m in doc.mentions:  # "摩通預期…", "Morgan Stanley expects …": a broker's view
            if m.role == "broker" and lx.BROKER_VIEW.match(text, m.end):
                s, e = sentence_of(spans, m.start)
                self._add(doc, seen, "analyst_rating", _subjects_in(doc, s, e), s, e)
        for fact in doc.facts:
            if fact.kind != "price_move" or fact.subject is None:
                continue
            is_index = "." not in fact.subject
            etype = "index_move" if is_index else "price_move"
            s, e = sentence_of(spans, fact.start)
            self._add(doc, seen, etype, (fact.subject,), s, e)

    @staticmethod
    def _add(doc: Doc, seen: set[tuple[str, int]], etype: str, subjects: tuple[str, ...], start: int, end: int) -> None:
        if (etype, start) in seen:
            return
        seen.add((etype, start))
        doc.events.append(Event(etype, subjects, doc.article.text[start:end], start, end))


_NOT_A_FLOW = frozenset({"turnover", "market_cap", "ipo_raise", "net_profit", "revenue", "target_price"})


def _has_amount(doc: Doc, start: int, end: int) -> bool:
    """A money amount in the span that is not another kind of figure (the market's turnover …)."""
    other = {f.end for f in doc.facts if f.kind in _NOT_A_FLOW and start <= f.end <= end}
    return any(q.unit == "money" and start <= q.start < end and q.end not in other for q in doc.quantities)


def _subjects_in(doc: Doc, start: int, end: int) -> tuple[str, ...]:
    codes = [m.listing for m in doc.mentions if start <= m.start < end and m.role != "venue"]
    codes += [i.index for i in doc.indices if start <= i.start < end]
    return tuple(dict.fromkeys(codes))
