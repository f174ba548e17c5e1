"""Rules learned from wire-style market news: variant characters, index wraps, respective lists,
target-price changes, Chinese numerals. Each rule is checked on sentences written for this file,
in English and Chinese, with what must not be extracted next to it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tickerwire.model import Extraction
from tickerwire.taxonomy import AMOUNT_KINDS

Extract = Callable[..., Extraction]


def moves(ex: Extraction) -> set[tuple[str | None, float]]:
    return {(f.subject, f.pct) for f in ex.facts if f.kind == "price_move" and f.pct is not None}


def levels(ex: Extraction) -> set[tuple[str | None, float | None]]:
    return {(f.subject, f.value) for f in ex.facts if f.kind == "index_level"}


def amounts(ex: Extraction) -> set[tuple[str, str | None, float | None]]:
    return {(f.kind, f.subject, f.value) for f in ex.facts if f.kind in AMOUNT_KINDS}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 恆/恒 and 滙/匯 are the same character in Hong Kong and mainland print
        ("港股收市：恆指跌0.8% 科指跌1.4%", {("HSI", -0.8), ("HSTECH", -1.4)}),
        ("恆生指數半日升1.25%。", {("HSI", 1.25)}),
        ("滙豐控股升2.4%，恆基地產跌1.1%。", {("00005.HK", 2.4), ("00012.HK", -1.1)}),
        ("The Hang Seng National Enterprises Index slid 1.7% to 9,012.4 points.", {("HSCEI", -1.7)}),
    ],
)
def test_variant_characters_and_index_names(extract: Extract, text: str, expected: set[tuple[str, float]]) -> None:
    assert moves(extract(text)) == expected


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("The Hang Seng Biotech Index gained 3%.", "HSBIO"),
        ("恒生生物科技指數升3%。", "HSBIO"),
        ("The Hang Seng Corporate Sustainability Index was reviewed.", "HS_CORP_SUSTAINABILITY"),
        ("恆生可持續發展企業指數成份股調整。", "HS_CORP_SUSTAINABILITY"),
    ],
)
def test_more_hang_seng_indices(extract: Extract, text: str, index: str) -> None:
    assert index in {i.index for i in extract(text).indices}


def test_national_enterprises_level_is_not_the_hang_seng(extract: Extract) -> None:
    ex = extract(
        "The Hang Seng Index fell 2.1% to 24,100.5 points; the Hang Seng National Enterprises Index "
        "fell 2.3%, closing at 8,800.2 points."
    )
    assert levels(ex) == {("HSI", 24100.5), ("HSCEI", 8800.2)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Hong Kong slang for sharp moves: 瀉 / 插 (plunge), 飆 (soar)
        ("友邦(01299)急瀉4.2%，報70元。", {("01299.HK", -4.2)}),
        ("渣打(02888)插3.5%，中石油(00857)飆12.3%。", {("02888.HK", -3.5), ("00857.HK", 12.3)}),
        ("小米集团(01810)泻6%。", {("01810.HK", -6.0)}),
        # a list whose members carry bracketed codes, joined by 及 / 、
        ("新鴻基地產（016）及長實集團（1113）升逾2%。", {("00016.HK", 2.0), ("01113.HK", 2.0)}),
        ("恆隆地產（101）、九龍倉置業（1997）跌逾1%。", {("00101.HK", -1.0), ("01997.HK", -1.0)}),
        # "a 2% rise in <name>": the name after the noun moved
        (
            "Tencent gained 3%, beating a 1.4 per cent rise in the benchmark Hang Seng Index.",
            {("00700.HK", 3.0), ("HSI", 1.4)},
        ),
        ("Meituan fell 2%, versus a 0.8% decline in the Hang Seng Tech Index.", {("03690.HK", -2.0), ("HSTECH", -0.8)}),
        # "a 0.9% gain in the first half": a time phrase, the subject is the one before
        ("The CSI 300 Index eked out a 0.9% gain in the first half.", {("CSI300", 0.9)}),
        ("Li Auto logged a 4.5% drop in early trade.", {("02015.HK", -4.5)}),
    ],
)
def test_slang_lists_and_noun_moves(extract: Extract, text: str, expected: set[tuple[str, float]]) -> None:
    assert moves(extract(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tencent reported a 12% rise in net profit.",
        "Xiaomi posted a 30% increase in smartphone shipments.",
        "比亞迪插電混動車銷量增長25%。",
    ],
)
def test_growth_of_a_metric_is_still_not_a_move(extract: Extract, text: str) -> None:
    assert moves(extract(text)) == set()


def test_small_full_stop_is_a_decimal_point(extract: Extract) -> None:
    ex = extract("恒生指數報20641，升41點或升0﹒2%。東亞銀行(00023)現價跌1﹒11%，報9﹒80元。")
    assert moves(ex) == {("HSI", 0.2), ("00023.HK", -1.11)}
    assert levels(ex) == {("HSI", 20641.0)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("滙控(00005)半日升1.8%。", {("00005.HK", 1.8)}),
        ("新地及九龍倉均升逾2%。", {("00016.HK", 2.0), ("00004.HK", 2.0)}),
        (
            "Zhongji, Xinyisheng and Tianfu Communication all fell more than 4%.",
            {("300308.SZ", -4.0), ("300502.SZ", -4.0), ("300394.SZ", -4.0)},
        ),
        ("Snack chain Busy Ming jumped 12% on Friday.", {("01768.HK", 12.0)}),
    ],
)
def test_names_news_uses(extract: Extract, text: str, expected: set[tuple[str, float]]) -> None:
    assert moves(extract(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a conversion in brackets, with "about", is not a second amount; bare "profit" is the company's profit
        (
            "Lenovo's revenue rose 9% to 69.1 billion yuan (about US$9.6 billion), while its profit rose 12% to "
            "3.2 billion yuan.",
            {("revenue", "00992.HK", 69.1e9), ("net_profit", "00992.HK", 3.2e9)},
        ),
        ("吉利汽車收入增至1,502億元（約合208億美元）。", {("revenue", "00175.HK", 150.2e9)}),
        # an IPO's size named by the noun after it, or by "worth"
        ("The dividend is its first since its US$6.1 billion Hong Kong listing in 2019.", {("ipo_raise", None, 6.1e9)}),
        ("A mooted $3 billion-plus offering would be the year's largest.", {("ipo_raise", None, 3e9)}),
        ("So far this year, IPOs worth $18.5 billion have priced in Hong Kong.", {("ipo_raise", None, 18.5e9)}),
        # proceeds in the sentence after the offer price
        (
            "Midea set the offer price at the top of its range. It raised net proceeds of HK$30.1 billion.",
            {("ipo_raise", None, 30.1e9)},
        ),
        # an equity value at the opening price is the market value
        ("The opening price valued the company's Hong Kong shares at HK$120 billion.", {("market_cap", None, 120e9)}),
        # "more than doubled to" is not a comparison with another figure
        ("Turnover has more than doubled to an average of HK$230 billion a day.", {("turnover", "HK", 230e9)}),
    ],
)
def test_amount_kinds(extract: Extract, text: str, expected: set[tuple[str, str | None, float]]) -> None:
    got = amounts(extract(text))
    assert {(k, s, round(v or 0)) for k, s, v in got} == {(k, s, round(v)) for k, s, v in expected}


@pytest.mark.parametrize(
    "text",
    [
        "投資者每手帳面賺3120元。",
        "一手100股，不計手續費帳賺880元。",
        "寒武紀股價急跌，市值蒸發超600億元。",
        "郭台銘的個人財富增加了786億元。",
        "寒武紀第四季度營收預測的上限值為23.93億元。",
        "The sell-off wiped HK$80 billion off the market value of the developers.",
        "Pre-tax profit before tax was US$30 billion.",
    ],
)
def test_paper_gains_wealth_and_forecasts_are_not_company_figures(extract: Extract, text: str) -> None:
    assert amounts(extract(text)) == set()


@pytest.mark.parametrize(
    ("text", "new", "old"),
    [
        ("Goldman Sachs raised its target price on Pop Mart from HK$250 to HK$310.", 310.0, 250.0),
        ("Morgan Stanley cut its price target for Meituan to HK$120 from HK$135.", 120.0, 135.0),
        ("花旗將美團目標價由110港元升至128港元。", 128.0, 110.0),
        ("野村將比亞迪目標股價從160港元下調至145港元。", 145.0, 160.0),
        ("大行將騰訊目標價由680港元大削至560港元。", 560.0, 680.0),
        ("摩通把美團目標價由150港元削減至120港元。", 120.0, 150.0),
        ("UBS set a target price of HK$95 on Li Ning.", 95.0, None),
    ],
)
def test_target_price_change_keeps_the_old_value(extract: Extract, text: str, new: float, old: float | None) -> None:
    targets = [f for f in extract(text).facts if f.kind == "target_price"]
    assert [(f.value, f.previous) for f in targets] == [(new, old)]


def events(ex: Extraction) -> set[str]:
    return {e.type for e in ex.events}


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("Jefferies downgraded Geely to “Hold” from “Buy”.", {"analyst_rating"}, set()),
        ("Daiwa cut its rating on Kuaishou from Buy to Neutral.", {"analyst_rating"}, set()),
        ("Citi analysts said in a client note that Xpeng's margin missed estimates.", {"analyst_rating"}, set()),
        ("高盛將小米目標股價從60港元上調至68港元。", {"analyst_rating", "target_price"}, set()),
        # a projection of earnings is guidance, not results
        ("Zijin Mining rose 3% after projecting first-half profit to rise 50 per cent.", {"guidance"}, {"earnings"}),
        # an IPO's international tranche or over-allotment is not a placement
        ("The international placement was 12 times oversubscribed.", set(), {"other"}),
        ("公司授予聯席全球協調人超額配售權。", set(), {"other"}),
        ("Tencent will repurchase up to HK$10 billion of its shares.", {"other"}, set()),
        # 最新股东 and 半新股 are not new listings; "infrastructure" does not name a regulator
        ("截至3月底,公司最新股东户数为12.3万户。", set(), {"ipo"}),
        ("多隻半新股獲納入恒生綜合指數。", {"index_inclusion"}, {"ipo"}),
        ("CK Infrastructure and Power Assets will join the index.", set(), {"policy"}),
        # plans and guidelines are not products; "to launch" is not a launch yet
        ("The State Council unveiled guidelines for the digital economy.", {"policy"}, {"product_launch"}),
        ("Rivals gear up to launch new EV models next year.", set(), {"product_launch"}),
        ("Xiaomi launched its new YU7 SUV on Thursday.", {"product_launch"}, set()),
    ],
)
def test_event_rules(extract: Extract, text: str, present: set[str], absent: set[str]) -> None:
    got = events(extract(text))
    assert present <= got
    assert not (absent & got)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Hong Kong wrap that names only 港股 / 大市 quotes the Hang Seng Index
        ("港股半日市低收，全日跌180點，收市報25410點。", {("HSI", 25410.0)}),
        ("港股今日收盤以26102點作收。", {("HSI", 26102.0)}),
        # opening and closing levels with a date between
        ("恒生國企指數在6月2日開盤9120.5點，6月6日收盤9201.3點。", {("HSCEI", 9120.5), ("HSCEI", 9201.3)}),
    ],
)
def test_chinese_wrap_levels(extract: Extract, text: str, expected: set[tuple[str, float]]) -> None:
    assert levels(extract(text)) == expected


def test_stock_connect_is_not_the_market(extract: Extract) -> None:
    assert levels(extract("港股通今日成交3200點。")) == set()


@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("摩通預期太古地產明年股息增加5%。", True),
        ("大摩認為騰訊估值仍具吸引力。", True),
        ("Morgan Stanley expects Tencent to gain from AI spending.", True),
        ("Goldman Sachs shares rose 2% in New York.", False),
    ],
)
def test_a_brokers_view_is_a_rating_event(extract: Extract, text: str, rating: bool) -> None:
    assert ("analyst_rating" in events(extract(text))) is rating


@pytest.mark.parametrize(
    ("text", "flow"),
    [
        ("南向資金今日淨買入52億港元。", True),
        ("Southbound investors made net purchases of HK$6.1 billion.", True),
        # the amount is the market's turnover or a market value, not money flowing
        ("北水缺席下，大市成交1,408億元。", False),
        ("公司市值達3,165億元，最快下月納入港股通迎北水。", False),
    ],
)
def test_a_flow_event_needs_a_flow_amount(extract: Extract, text: str, flow: bool) -> None:
    assert ("fund_flow" in events(extract(text))) is flow


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the noun after "a" decides the sign, not an earlier verb
        (
            "AIA jumped as much as 5% to HK$70 before easing to HK$68.9, marking a 2.8% gain for the day.",
            {("01299.HK", 5.0), ("01299.HK", 2.8)},
        ),
        # "from the previous day" is the day's move, "from the previous quarter" a metric
        ("Kweichow Moutai closed at 1,480 yuan, up 1.2 percent from the previous day.", {("600519.SH", 1.2)}),
        # what an index holds is not a sector between the index and its move
        ("The CSI 300 Index of blue-chip stocks climbed 0.7 per cent.", {("CSI300", 0.7)}),
        # a list of indices with "and the"
        ("The Hang Seng Index and the National Index both fell 1.5%.", {("HSI", -1.5), ("HSCEI", -1.5)}),
        # 截至发稿: as of writing, the stock the article is about
        ("小鹏汽车-W(09868)盘中跌近5%。截至发稿，跌4.36%，报70.5港元。", {("09868.HK", -5.0), ("09868.HK", -4.36)}),
    ],
)
def test_more_move_rules(extract: Extract, text: str, expected: set[tuple[str, float]]) -> None:
    assert moves(extract(text)) == expected


def test_growth_from_the_previous_quarter_is_not_a_move(extract: Extract) -> None:
    assert moves(extract("Tencent's revenue rose 8% from the previous quarter.")) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a label line naming one security, then a line that starts with its verb
        ("HK:00700.HK:Tencent\nSlipped 2.3% to HK$610.00.\n", {("00700.HK", -2.3)}),
        ("HK:09988.HK:Alibaba\nClosed at HK$150.10, up 1.4%.\n", {("09988.HK", 1.4)}),
        ("騰訊控股(00700)\n跌2.3%，報610元。\n", {("00700.HK", -2.3)}),
        ("HK:07552.HK:XI2CSOPHSTECH\nEnded at HK$1.31, up 6.5%.\n", {("07552.HK", 6.5)}),
        # a full sentence on the line above is not a label
        ("Tencent (00700.HK) said it will buy back shares.\nRose 2% on the day.\n", set()),
        # a label with two companies does not say which one moved
        ("HK:00700.HK / 09988.HK\nFell 1.5%.\n", set()),
    ],
)
def test_label_line_names_the_subject_of_the_line_below(
    extract: Extract, text: str, expected: set[tuple[str, float]]
) -> None:
    assert moves(extract(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "the stock" is the company whose move was just reported, not the last name mentioned
        (
            "Cambricon shares jumped 8% in morning trade, overtaking Kweichow Moutai. "
            "The stock later closed up 2.5 percent.",
            {("688256.SH", 8.0), ("688256.SH", 2.5)},
        ),
        (
            "Zijin Mining's Hong Kong shares rose 4.2 percent after Zijin Gold's debut. "
            "The company's Shanghai-listed shares were up 2.9 percent.",
            {("02899.HK", 4.2), ("601899.SH", 2.9)},
        ),
        (
            "寒武紀股價急升8%，超越貴州茅台。該股收市升2.5%。",
            {("688256.SH", 8.0), ("688256.SH", 2.5)},
        ),
        # "This represents a 9% gain": the move just reported, restated against the offer price
        (
            "Chery Automobile shares closed at HK$33.6 on their first day. "
            "This represents a 9.1 percent gain on the offer price of HK$30.75.",
            {("09973.HK", 9.1)},
        ),
        (
            "Ping An (02318.HK) rose 3.2% to close at HK$51.1. That reversed this year's decline to a 1.4% gain.",
            {("02318.HK", 3.2), ("02318.HK", 1.4)},
        ),
    ],
)
def test_carried_subject_is_the_one_that_moved(extract: Extract, text: str, expected: set[tuple[str, float]]) -> None:
    assert moves(extract(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a premium or discount to the other listing is not a move
        (
            "Its Shenzhen-listed shares closed up 1.2 percent at 270 yuan, 6.8 percent lower than the Hong Kong price.",
            {(None, 1.2)},
        ),
        ("CATL's A shares rose 1.2% on Monday and trade 6.8% below the H-share price.", {("300750.SZ", 1.2)}),
        # a rate that moves from one level to another
        ("比亞迪上半年毛利率從18.8%降至18.0%，股價跌2%。", {("01211.HK", -2.0)}),
        ("BYD's gross margin fell from 18.8% to 18.0%, and its shares slid 2%.", {("01211.HK", -2.0)}),
        # a range written with a dash, not a negative figure
        ("中國中藥(00570)預計溢利淨額同比下降160%-170%。", set()),
        ("騰訊(00700)目標價較現價有10%-15%上行空間。", set()),
        # figures of the business, not of the share price
        ("小米(01810)跌3%，新車交付量按月跌五成。", {("01810.HK", -3.0)}),
        # … but a share price named after the business figure is the move
        ("小鵬汽車(09868)10月交付4.2萬輛，創新高，股價漲3.5%。", {("09868.HK", 3.5)}),
        ("友邦保險(01299)新業務價值升28%。", set()),
        ("科指成份股中，阿里巴巴(09988)比重回升至8%。", set()),
        ("港交所(00388)公布，10月平均每日成交金額較去年同期上升9%。", set()),
        ("HKEX (00388.HK) said average daily turnover rose 9% from a year earlier.", set()),
    ],
)
def test_figures_that_are_not_price_moves(extract: Extract, text: str, expected: set[tuple[str, float]]) -> None:
    assert moves(extract(text)) == expected


def test_code_only_members_of_a_list_keep_their_place(extract: Extract) -> None:
    ex = extract("恒隆地產（101）、領展（823）及新世界（017）升近2%。")
    assert moves(ex) == {("00101.HK", 2.0), ("00823.HK", 2.0), ("00017.HK", 2.0)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a 亿 figure with no currency right after a turnover or flow keyword is money
        ("海光信息(688041)收盤漲4.3%，全天成交額達到52.6億。", {("turnover", "688041.SH", 5_260_000_000.0)}),
        ("两市成交额1.9万亿，较上一交易日放量。", {("turnover", "CN", 1_900_000_000_000.0)}),
        # two keywords, two amounts, in the same order
        (
            "三一重工(600031)去年營收和淨利潤分別為780.5億元(人民幣,下同)和60.2億元。",
            {("revenue", "600031.SH", 78_050_000_000.0), ("net_profit", "600031.SH", 6_020_000_000.0)},
        ),
        (
            "Tencent (00700.HK) reported revenue and net profit of 190 billion yuan and 55 billion yuan.",
            {("revenue", "00700.HK", 190_000_000_000.0), ("net_profit", "00700.HK", 55_000_000_000.0)},
        ),
        # a loss on one item, a buy-back, a past record and a per-share price are not the company's figures
        ("滙豐控股(00005)因提早贖回證券錄得4億美元虧損。", set()),
        ("HSBC (00005.HK) rose 2% after it announced a US$2 billion share buy-back.", set()),
        ("HKEX (00388.HK) said the latest profit beat the previous record of HK$3.9 billion.", set()),
        ("Mixue (02097.HK) shares changed hands at HK$265 each in early trade.", set()),
        # a keyword after the amount, joined by "in": still its kind
        (
            "Xiaomi (01810.HK) said its EV deliveries accounted for RMB 21.3 billion in revenue.",
            {("revenue", "01810.HK", 21_300_000_000.0)},
        ),
        # per-stock flows listed respectively, the currency and keyword written once at the end
        (
            "北水淨流入。中芯國際和農業銀行(1288)分別獲得3.9億和1.2億元的淨買入。",
            {
                ("southbound_net_inflow", "00981.HK", 390_000_000.0),
                ("southbound_net_inflow", "01288.HK", 120_000_000.0),
            },
        ),
        (
            "南向资金中，腾讯、美团和小米分别获净买入11.6亿、4.3亿和2.1亿港元。",
            {
                ("southbound_net_inflow", "00700.HK", 1_160_000_000.0),
                ("southbound_net_inflow", "03690.HK", 430_000_000.0),
                ("southbound_net_inflow", "01810.HK", 210_000_000.0),
            },
        ),
        ("Meituan (03690.HK) gained after Nomura set a HK$91 target.", {("target_price", "03690.HK", 91.0)}),
    ],
)
def test_amount_kinds_on_wire_sentences(
    extract: Extract, text: str, expected: set[tuple[str, str | None, float | None]]
) -> None:
    assert amounts(extract(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Shanghai Composite Index rose 2.1 percent to reach 3,412.7.", {("SSE", 3412.7)}),
        # futures contracts are not the index
        ("恒生指數報20,810點，升60點。即月期指報20,790點，低水20點。", {("HSI", 20810.0)}),
        ("The Hang Seng Index closed at 25,120 points, while HSI futures ended at 25,080.", {("HSI", 25120.0)}),
        # a range the market is expected to trade in is no level
        ("恒生指數收報25,700點。市場預期恒指下周將於25,500至26,000點區間波動。", {("HSI", 25700.0)}),
    ],
)
def test_index_levels_on_wire_sentences(extract: Extract, text: str, expected: set[tuple[str, float]]) -> None:
    assert levels(extract(text)) == expected
