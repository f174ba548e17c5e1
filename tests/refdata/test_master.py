"""The packaged security master: code forms, names in three scripts, cross listings, ambiguity."""

from __future__ import annotations

import pytest

from tickerwire.refdata.master import ALIAS_KINDS, ALIAS_LANGS, Issuer, SecurityMaster, load_master


@pytest.fixture(scope="module")
def master() -> SecurityMaster:
    return load_master()


CODE_FORMS = [
    ("0981.HK", "00981.HK"),
    ("981 HK", "00981.HK"),
    ("HK:981", "00981.HK"),
    ("SEHK:981", "00981.HK"),
    ("00981", "00981.HK"),
    ("(981)", "00981.HK"),
    ("981", "00981.HK"),
    ("00981.HK", "00981.HK"),
    ("688981.SH", "00981.HK"),
    ("688981", "00981.HK"),
    ("603986.CN", "03986.HK"),
    ("603986.SS", "03986.HK"),
    ("SH603986", "03986.HK"),
    ("sh603986", "03986.HK"),
    ("NYSE: BABA", "09988.HK"),
    ("$BABA", "09988.HK"),
    ("BABA.US", "09988.HK"),
    ("0700.HK", "00700.HK"),
    ("700", "00700.HK"),
    ("80700.HK", "00700.HK"),  # RMB counter
    ("000001.SZ", "000001.SZ"),
    ("SZ000001", "000001.SZ"),
    ("300750.SZ", "03750.HK"),
    ("2330.TW", "2330.TW"),
    ("TSM.US", "2330.TW"),
    ("HSBA.L", "00005.HK"),
    ("HSBA.UK", "00005.HK"),
    ("MQG.AU", "MQG.AU"),
    ("NASDAQ:NVDA", "NVDA.US"),
    ("005930.KS", "005930.KS"),
    ("H78.SG", "H78.SG"),
]


@pytest.mark.parametrize(("text", "issuer_id"), CODE_FORMS)
def test_every_code_form_resolves(master: SecurityMaster, text: str, issuer_id: str) -> None:
    resolution = master.resolve(text)
    assert resolution.status == "found", text
    assert resolution.issuer is not None
    assert resolution.issuer.id == issuer_id


@pytest.mark.parametrize(("text", "issuer_id"), CODE_FORMS)
def test_issuer_for_listing_reads_any_code_form(
    master: SecurityMaster, text: str, issuer_id: str
) -> None:
    issuer = master.issuer_for_listing(text)
    assert issuer is not None and issuer.id == issuer_id


@pytest.mark.parametrize("text", ["99999.HK", "999999.SH", "ZZZZZ.US", "hello", ""])
def test_unknown_codes_and_words(master: SecurityMaster, text: str) -> None:
    assert master.issuer_for_listing(text) is None
    resolution = master.resolve(text)
    assert resolution.status == "unknown"
    assert resolution.issuer is None and resolution.candidates == ()


NAMES = [
    # English, any case
    ("SMIC", "00981.HK"),
    ("smic", "00981.HK"),
    ("Semiconductor Manufacturing International", "00981.HK"),
    ("Hua Hong", "01347.HK"),
    ("Huahong Semiconductor", "01347.HK"),
    ("Hua Hong Semiconductor", "01347.HK"),
    ("GigaDevice", "03986.HK"),
    ("Zhaoyi Innovation", "03986.HK"),
    ("Tencent", "00700.HK"),
    ("TENCENT", "00700.HK"),
    ("Meituan", "03690.HK"),
    ("Alibaba", "09988.HK"),
    ("Alibaba-W", "09988.HK"),
    ("ALIBABA-W", "09988.HK"),
    ("BABA-W", "09988.HK"),
    ("XIAOMI-W", "01810.HK"),
    ("Xiaomi", "01810.HK"),
    ("Ping An", "02318.HK"),
    ("Ping An Insurance", "02318.HK"),
    ("Ping An Bank", "000001.SZ"),
    ("Li Auto", "02015.HK"),
    ("CK Hutchison", "00001.HK"),
    ("AIA", "01299.HK"),
    ("HSBC", "00005.HK"),
    ("HKEX", "00388.HK"),
    ("Hong Kong Exchanges", "00388.HK"),
    ("CATL", "03750.HK"),
    ("BYD", "01211.HK"),
    ("Kuaishou", "01024.HK"),
    ("NetEase", "09999.HK"),
    ("JD.com", "09618.HK"),
    ("Baidu", "09888.HK"),
    ("Lenovo", "00992.HK"),
    ("Kweichow Moutai", "600519.SH"),
    ("Goldman Sachs", "GS.US"),
    ("Nvidia", "NVDA.US"),
    ("TSMC", "2330.TW"),
    ("Standard Chartered", "02888.HK"),
    ("Jardine Matheson", "J36.SG"),
    # simplified Chinese
    ("中芯", "00981.HK"),
    ("中芯国际", "00981.HK"),
    ("华虹", "01347.HK"),
    ("华虹半导体", "01347.HK"),
    ("兆易创新", "03986.HK"),
    ("腾讯", "00700.HK"),
    ("美团", "03690.HK"),
    ("阿里巴巴", "09988.HK"),
    ("阿里", "09988.HK"),
    ("小米", "01810.HK"),
    ("中国平安", "02318.HK"),
    ("平安银行", "000001.SZ"),
    ("理想汽车", "02015.HK"),
    ("友邦", "01299.HK"),
    ("汇丰", "00005.HK"),
    ("港交所", "00388.HK"),
    ("宁德时代", "03750.HK"),
    ("比亚迪", "01211.HK"),
    ("快手", "01024.HK"),
    ("网易", "09999.HK"),
    ("京东", "09618.HK"),
    ("百度", "09888.HK"),
    ("联想集团", "00992.HK"),
    ("贵州茅台", "600519.SH"),
    ("高盛", "GS.US"),
    # traditional Chinese
    ("中芯國際", "00981.HK"),
    ("華虹", "01347.HK"),
    ("華虹半導體", "01347.HK"),
    ("兆易創新", "03986.HK"),
    ("騰訊", "00700.HK"),
    ("騰訊控股", "00700.HK"),
    ("美團", "03690.HK"),
    ("中國平安", "02318.HK"),
    ("滙豐", "00005.HK"),
    ("匯豐控股", "00005.HK"),
    ("京東", "09618.HK"),
    ("網易", "09999.HK"),
    ("聯想集團", "00992.HK"),
    ("阿里巴巴－Ｗ", "09988.HK"),  # full-width as HKEX writes it
]


@pytest.mark.parametrize(("text", "issuer_id"), NAMES)
def test_names_in_three_scripts(master: SecurityMaster, text: str, issuer_id: str) -> None:
    resolution = master.resolve(text)
    assert resolution.status == "found", (text, [c.id for c in resolution.candidates])
    assert resolution.issuer is not None and resolution.issuer.id == issuer_id


def test_smic_is_one_issuer_with_a_and_h_lines(master: SecurityMaster) -> None:
    smic = master.issuers["00981.HK"]
    kinds = {listing.code: listing.kind for listing in smic.listings}
    assert kinds["00981.HK"] == "H"
    assert kinds["688981.SH"] == "A"
    assert smic.codes[0] == "00981.HK"
    assert smic.curated
    assert smic.name_zh_hans == "中芯国际" and smic.name_zh_hant == "中芯國際"
    assert master.issuer_for_listing("688981.SH") is smic


def test_gigadevice_a_plus_h(master: SecurityMaster) -> None:
    giga = master.issuer_for_listing("603986.SH")
    assert giga is not None and {"03986.HK", "603986.SH"} <= set(giga.codes)
    a_line = giga.listing("603986.SH")
    assert a_line is not None and a_line.exchange == "SSE" and a_line.currency == "CNY"
    assert a_line.listed_on == "2016-08-18"


def test_alibaba_hk_plus_adr(master: SecurityMaster) -> None:
    baba = master.issuers["09988.HK"]
    adr = baba.listing("BABA.US")
    assert adr is not None and adr.kind == "ADR" and adr.exchange == "NYSE"
    assert baba.listing("09988.HK") is not None


def test_hsbc_has_hk_london_and_new_york(master: SecurityMaster) -> None:
    assert {"00005.HK", "HSBA.UK", "HSBC.US"} <= set(master.issuers["00005.HK"].codes)


def test_ping_an_bank_is_not_ping_an_insurance(master: SecurityMaster) -> None:
    bank = master.resolve("平安银行").issuer
    insurer = master.resolve("中国平安").issuer
    assert bank is not None and insurer is not None and bank.id != insurer.id


def test_alias_listing_hints(master: SecurityMaster) -> None:
    def hint(issuer_id: str, text: str) -> str | None:
        found = [a for a in master.issuers[issuer_id].aliases if a.text == text]
        assert found, text
        return found[0].listing

    assert hint("09988.HK", "Alibaba-W") == "09988.HK"
    assert hint("09988.HK", "阿里巴巴-W") == "09988.HK"
    assert hint("02202.HK", "万科A") == "000002.SZ"  # an A-share 简称 → its A line
    assert hint("00981.HK", "中芯国际") is None  # A and H share the name
    assert hint("01810.HK", "小米集團-W") == "01810.HK"  # HKEX traditional short name


def test_alias_languages_and_kinds(master: SecurityMaster) -> None:
    langs = set(ALIAS_LANGS)
    kinds = set(ALIAS_KINDS)
    for alias, issuer in master.iter_aliases():
        assert alias.lang in langs, (issuer.id, alias)
        assert alias.kind in kinds, (issuer.id, alias)
        assert alias.listing is None or alias.listing in issuer.codes, (issuer.id, alias)
    smic = {a.text: a for a in master.issuers["00981.HK"].aliases}
    assert smic["中芯國際"].lang == "zh-hant"
    assert smic["中芯国际"].lang == "zh-hans"
    assert smic["SMIC"].lang == "en"


def test_former_names(master: SecurityMaster) -> None:
    beone = master.issuers["06160.HK"]
    assert "BeiGene" in beone.former_names
    assert master.resolve("BeiGene").issuer is beone
    former = [a for a in beone.aliases if a.text == "BeiGene"]
    assert former and former[0].kind == "former"


def test_ambiguous_alias_lists_candidates(master: SecurityMaster) -> None:
    # 中国联通 is both the Hong Kong-incorporated China Unicom (HK) and the Shanghai-listed parent.
    resolution = master.resolve("中国联通")
    assert resolution.status == "ambiguous"
    assert resolution.issuer is None
    ids = {c.id for c in resolution.candidates}
    assert {"00762.HK", "600050.SH"} <= ids


def test_curated_issuer_wins_a_shared_alias(master: SecurityMaster) -> None:
    holders = [i for a, i in master.iter_aliases() if a.text.casefold() == "hua hong"]
    resolution = master.resolve("Hua Hong")
    assert resolution.status == "found"
    assert resolution.issuer is not None and resolution.issuer.curated
    assert len({i.id for i in holders}) >= 1


def test_search_prefix_and_substring(master: SecurityMaster) -> None:
    hits = master.search("中芯")
    assert hits and hits[0].id == "00981.HK"
    assert any(h.id == "00700.HK" for h in master.search("tencent"))
    assert master.search("0098", limit=5)
    assert len(master.search("银行", limit=7)) == 7
    assert master.search("") == []
    assert master.search("zzzzqqq") == []


def test_search_ranks_curated_exact_first(master: SecurityMaster) -> None:
    hits = master.search("Meituan")
    assert hits[0].id == "03690.HK"


def test_issuer_types(master: SecurityMaster) -> None:
    issuer = master.issuers["00700.HK"]
    assert isinstance(issuer, Issuer)
    assert isinstance(issuer.codes, tuple)
    with pytest.raises(AttributeError):
        issuer.name = "x"  # type: ignore[misc]


def test_recently_delisted_issuer_is_kept_inactive(master: SecurityMaster) -> None:
    resolution = master.resolve("恒生銀行")
    assert resolution.status == "found"
    bank = resolution.issuer
    assert bank is not None and bank.id == "00011.HK"
    line = bank.listing("00011.HK")
    assert line is not None and line.active is False
    assert master.issuers["00700.HK"].listings[0].active is True


def test_brokers_and_exchanges_are_marked(master: SecurityMaster) -> None:
    assert master.resolve("Goldman Sachs").issuer.role == "broker"  # type: ignore[union-attr]
    assert master.resolve("CICC").issuer.role == "broker"  # type: ignore[union-attr]
    assert master.resolve("HKEX").issuer.role == "exchange"  # type: ignore[union-attr]
    assert master.resolve("Tencent").issuer.role is None  # type: ignore[union-attr]
