"""Short news items written for the live tests (English, 简体, 繁體), by name."""

TENCENT_SLUMP = """Tencent shares slump after gaming curbs

HONG KONG, October 24, 2025 - Shares of Tencent Holdings fell 6.2% to HK$598.50 on Friday after \
regulators proposed new limits on online game spending, a heavy blow to the company. The Hang Seng \
Index dropped 1.8%.
"""

ALIBABA_GAIN_ZH = """阿里巴巴周五收涨

2025年10月24日，阿里巴巴(09988.HK)周五收涨3.1%，报162.4港元，恒生指数涨0.5%。
"""

BYD_SLIDE = """BYD slides as price war deepens

HONG KONG, October 24, 2025 - BYD fell 2.1% as analysts warned of a worsening price war, weak \
margins and disappointing sales.
"""

MIXUE_FILES = """Mixue files for Hong Kong listing

HONG KONG, October 20, 2025 - Mixue Group has filed a listing application with the Hong Kong \
stock exchange, seeking to raise about US$500 million.
"""

MIXUE_LISTS = """Mixue debuts in Hong Kong

HONG KONG, October 27, 2025 - Mixue Group listed on the Main Board of the Hong Kong stock \
exchange on Monday after raising HK$3.4 billion in its IPO.
"""

BYD_US_LISTING_ONLY = """BYD ADRs edge up in New York

NEW YORK, October 24, 2025 - BYDDY rose 1.2% in over-the-counter trading on Friday.
"""

HSBC_HANT = """滙豐控股股價回落

2025年10月24日，滙豐控股(00005.HK)周五收跌1.2%，報99.5港元。
"""
