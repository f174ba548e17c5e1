#!/usr/bin/env python
"""Build the packaged security master from public listings data and the curated inputs.

Usage::

    python scripts/build_refdata.py --shared ../shared/data [--out src/tickerwire/refdata/data]

Reads the HKEX, SSE, SZSE, Tushare, FinanceDatabase, A+H pair and name-index files described in
``../shared/data/**/SOURCES.md`` plus the hand-curated files in ``scripts/refdata/`` and writes
``issuers.jsonl``, ``indices.json`` and ``manifest.json``. Output is sorted, so a rebuild from the
same inputs is byte-identical. Needs the ``build`` extra (pandas, openpyxl, xlrd) and opencc.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from refdata.names import (  # noqa: E402
    HK_SUFFIX,
    KIND_RANK,
    S2HK,
    S2T,
    SHARE_CLASS,
    T2S,
    Draft,
    a_board,
    a_short_forms,
    clean_text,
    hk_short_forms,
    is_blank,
    iso_date,
    title_en,
)

from tickerwire.codes import a_share_exchange  # noqa: E402
from tickerwire.refdata.indices import alias_key  # noqa: E402

CURATED = ROOT / "scripts" / "refdata"
DEFAULT_OUT = ROOT / "src" / "tickerwire" / "refdata" / "data"
FORMAT_VERSION = 1
log = logging.getLogger("build_refdata")

# ----------------------------------------------------------------------------- readers


class Builder:
    """Holds the drafts and the code → issuer index while sources are merged in."""

    def __init__(self, shared: Path) -> None:
        self.shared = shared
        self.drafts: dict[str, Draft] = {}
        self.by_code: dict[str, str] = {}
        self.sources: dict[str, str] = {}

    def draft_for(self, code: str) -> Draft | None:
        iid = self.by_code.get(code)
        return self.drafts[iid] if iid else None

    def new_draft(self, iid: str) -> Draft:
        draft = self.drafts.setdefault(iid, Draft(iid))
        self.by_code[iid] = iid
        return draft

    def link(self, draft: Draft, code: str) -> None:
        self.by_code[code] = draft.id

    def absorb(self, keep: Draft, gone: Draft) -> None:
        """Merge ``gone`` into ``keep`` (a trading-only HK line into its foreign issuer, an
        A-share company into its new H-share line)."""
        keep.listings.update(gone.listings)
        for attr in ("name_en", "name_zh_hans", "name_zh_hant", "industry", "short_en"):
            if getattr(keep, attr) is None:
                setattr(keep, attr, getattr(gone, attr))
        keep.former.extend(gone.former)
        for alias in gone.aliases.values():
            keep.add_alias(alias["text"], alias["lang"], alias["kind"], alias["listing"])
        for code in gone.listings:
            self.by_code[code] = keep.id
        del self.drafts[gone.id]

    # --- Hong Kong ---------------------------------------------------------------------

    def read_hk(self) -> None:
        en_path = self.shared / "hk" / "hkex_ListOfSecurities_en_2026-03-23.xlsx"
        zh_path = self.shared / "hk" / "hkex_ListOfSecurities_c_2025-11-04.csv"
        en = pd.read_excel(en_path, dtype=str)
        zh = pd.read_csv(zh_path, skiprows=2, dtype=str)
        trad = {r["股份代號"]: (r["股份名稱"], r["國際證券號碼 (ISIN)"]) for _, r in zh.iterrows()}
        pairs = self.ah_pairs()
        keep_cats = {"Equity", "Real Estate Investment Trusts"}
        by_isin: dict[str, Draft] = {}
        for _, r in en.sort_values("Stock Code").iterrows():
            cat, sub = r["Category"], str(r["Sub-Category"])
            # ETFs and leveraged/inverse products: news quotes them by code ("07552.HK … up 9.2%").
            is_product = cat == "Exchange Traded Products"
            if cat not in keep_cats and not is_product:
                continue
            code5 = r["Stock Code"]
            code = f"{code5}.HK"
            isin = str(r["ISIN"])
            if code5 in pairs or isin.startswith("CNE"):
                kind = "H"
            elif sub in {"Trading Only Securities", "Depositary Receipts"}:
                kind = "other"
            else:
                kind = "HK"
            board = {"Equity Securities (Main Board)": "Main Board",
                     "Equity Securities (GEM)": "GEM", "Exchange Traded Funds": "ETF",
                     "Leveraged and Inverse": "L&I Product",
                     "Investment Companies": "Investment Company",
                     "Trading Only Securities": "Trading Only",
                     "Depositary Receipts": "Depositary Receipt"}.get(sub, "REIT")
            cur = {"RMB": "CNY"}.get(r["Trading Currency"], r["Trading Currency"])
            en_name = clean_text(r["Name of Securities"]) or code5
            owner = by_isin.get(isin)
            if owner is not None:
                # another counter of the same security: RMB (8xxxx), USD (09xxx ETF), parallel
                if cur == "CNY" and code5.startswith("8"):
                    board = "RMB counter"
                owner.add_listing(code, "HKEX", owner.listings[owner.id]["kind"], currency=cur,
                                  board=board, name=en_name)
                owner.add_alias(en_name, "en", "short", code)
                self.link(owner, code)
                continue
            draft = self.new_draft(code)
            by_isin[isin] = draft
            draft.add_listing(code, "HKEX", kind, currency=cur, board=board, name=en_name)
            for form in hk_short_forms(en_name):
                draft.add_alias(form, "en", "short", code)
            draft.short_en = title_en(HK_SUFFIX.sub("", en_name))
            zh_name, zh_isin = trad.get(code5, (None, None))
            if zh_name and zh_isin == isin:
                zh_clean = clean_text(zh_name) or ""
                for form in hk_short_forms(zh_clean):
                    draft.add_zh(form, "short", code, source="zh-hant")
                draft.name_zh_hant = HK_SUFFIX.sub("", zh_clean)
        self.sources["hkex_en"] = en_path.name
        self.sources["hkex_zh_hant"] = zh_path.name

    def read_hk_delisted(self) -> None:
        """HK equities in the Nov 2025 list but gone by 2026 (Hang Seng Bank …): news still
        names them, so they stay, with their listings marked inactive."""
        en_path = self.shared / "hk" / "hkex_ListOfSecurities_en_2026-03-23.xlsx"
        zh_path = self.shared / "hk" / "hkex_ListOfSecurities_c_2025-11-04.csv"
        en = pd.read_excel(en_path, dtype=str)
        zh = pd.read_csv(zh_path, skiprows=2, dtype=str)
        codes, isins = set(en["Stock Code"]), set(en["ISIN"])
        live_names = {d.name_zh_hant for d in self.drafts.values()}
        by_isin: dict[str, Draft] = {}
        for _, r in zh.sort_values("股份代號").iterrows():
            code5, isin = r["股份代號"], r["國際證券號碼 (ISIN)"]
            if (r["分類"] not in {"股本", "房地產投資信託基金"} or code5 in codes or isin in isins
                    or r["次分類"] == "非上市可交易證券"):
                continue
            name = clean_text(r["股份名稱"]) or code5
            bare = HK_SUFFIX.sub("", name)
            if bare in live_names:
                continue  # a temporary counter of a listed company
            code = f"{code5}.HK"
            board = "GEM" if "創業板" in str(r["次分類"]) else "Main Board"
            owner = by_isin.get(isin)
            if owner is not None:
                owner.add_listing(code, "HKEX", owner.listings[owner.id]["kind"], currency="CNY",
                                  board="RMB counter", name=None, active=False)
                self.link(owner, code)
                continue
            draft = self.new_draft(code)
            by_isin[isin] = draft
            draft.add_listing(code, "HKEX", "H" if str(isin).startswith("CNE") else "HK",
                              currency="HKD", board=board, name=None, active=False)
            for form in hk_short_forms(name):
                draft.add_zh(form, "short", code, source="zh-hant")
            draft.name_zh_hant = bare

    def ah_pairs(self) -> dict[str, str]:
        path = self.shared / "cross_listing" / "ah_pairs_2026-04-16.csv"
        df = pd.read_csv(path, dtype=str)
        self.sources["ah_pairs"] = path.name
        return {r["hk_code"]: r["a_code"] for _, r in df.iterrows() if r["status"] == "active"}

    # --- mainland ------------------------------------------------------------------------

    def read_a_shares(self) -> None:
        pairs = {a: hk for hk, a in self.ah_pairs().items()}
        ts_path = self.shared / "a_share" / "tushare_stock_basic_2026-03-04.csv"
        ts = pd.read_csv(ts_path, dtype=str)
        for _, r in ts.iterrows():
            if r["status"] != "L":
                continue
            self._add_a(r["symbol"], r["ts_code"], clean_text(r["name"]) or r["symbol"],
                        iso_date(r["list_date"]), clean_text(r["industry"]), pairs)
        self.sources["tushare"] = ts_path.name
        known = set(ts["symbol"])
        for row in self.dsa_rows():
            if row[6] in {"CN", "BSE"} and row[1] not in known:
                code = f"{row[1]}.{a_share_exchange(row[1])}"
                self._add_a(row[1], code, clean_text(row[2]) or row[1], None, None, pairs)

    def _add_a(self, symbol: str, code: str, name: str, listed_on: str | None,
               industry: str | None, pairs: dict[str, str]) -> None:
        hk = pairs.get(symbol)
        draft = self.draft_for(f"{hk}.HK") if hk else None
        if draft is None:
            draft = self.new_draft(code)
        self.link(draft, code)
        exch = {"SH": "SSE", "SZ": "SZSE", "BJ": "BSE"}[code[-2:]]
        draft.add_listing(code, exch, "A", currency="CNY", board=a_board(symbol), name=name,
                          listed_on=listed_on)
        for form in a_short_forms(name):
            draft.add_zh(form, "short", code, source="zh-hans")
        draft.name_zh_hans = draft.name_zh_hans or a_short_forms(name)[-1]
        draft.industry = draft.industry or industry

    def read_exchange_lists(self) -> None:
        sz_path = self.shared / "a_share" / "szse_a_share_list_2026-01-30.xlsx"
        sz = pd.read_excel(sz_path, dtype=str)
        for _, r in sz.iterrows():
            code = f"{r['A股代码']}.SZ"
            draft = self.draft_for(code)
            if draft is None:
                continue
            draft.add_zh(r["公司全称"], "official", None, source="zh-hans")
            draft.add_en(r["英文名称"], "official", None)
            draft.name_en = draft.name_en or title_en(clean_text(r["英文名称"]) or "") or None
            if not is_blank(r["B股代码"]):
                self._add_b(draft, f"{r['B股代码']}.SZ", clean_text(r["B股 简 称"]),
                            iso_date(r["B股上市日期"]), "HKD")
        sh_path = self.shared / "a_share" / "sse_main_board_list_2026-01-30.xls"
        sh = pd.read_excel(sh_path, dtype=str)
        for _, r in sh.iterrows():
            draft = self.draft_for(f"{r['A股代码']}.SH")
            if draft is None:
                continue
            draft.add_zh(r["扩位证券简称"], "short", f"{r['A股代码']}.SH", source="zh-hans")
            draft.add_en(r["公司英文全称"], "official", None)
            draft.name_en = draft.name_en or title_en(clean_text(r["公司英文全称"]) or "") or None
            if not is_blank(r["B股代码"]):
                self._add_b(draft, f"{r['B股代码']}.SH", None, None, "USD")
        self.sources["szse"] = sz_path.name
        self.sources["sse"] = sh_path.name

    def _add_b(self, draft: Draft, code: str, name: str | None, listed_on: str | None,
               currency: str) -> None:
        exch = "SSE" if code.endswith(".SH") else "SZSE"
        draft.add_listing(code, exch, "B", currency=currency, board="B share", name=name,
                          listed_on=listed_on)
        self.link(draft, code)
        if name:
            draft.add_zh(name, "short", code, source="zh-hans")

    def dsa_rows(self) -> list[list[Any]]:
        path = self.shared / "multi_market" / "dsa_stocks.index_2026-06-19.json"
        self.sources["dsa_index"] = path.name
        rows: list[list[Any]] = json.loads(path.read_text(encoding="utf-8"))
        return rows

    def read_dsa_hk(self) -> None:
        """Simplified HK names, and HK listings newer than the HKEX list."""
        zh_path = self.shared / "hk" / "hkex_ListOfSecurities_c_2025-11-04.csv"
        older = set(pd.read_csv(zh_path, skiprows=2, dtype=str)["股份代號"])
        a_only = {d.name_zh_hans: d for d in self.drafts.values()
                  if d.name_zh_hans and not any(c.endswith(".HK") for c in d.listings)}
        for row in self.dsa_rows():
            if row[6] != "HK":
                continue
            code = row[0]
            name = clean_text(row[2]) or ""
            draft = self.draft_for(code)
            if draft is None:
                if row[1] in older:
                    continue  # delisted between the two HKEX snapshots
                draft = self.new_draft(code)
                a_draft = a_only.pop(HK_SUFFIX.sub("", name), None)
                # A listing newer than the A+H pair file: an A-share company's new H line
                draft.add_listing(code, "HKEX", "H" if a_draft else "HK", currency="HKD",
                                  board=None, name=None)
                if a_draft is not None:
                    self.absorb(draft, a_draft)
            listing = code if code in draft.listings else None
            for form in hk_short_forms(name):
                draft.add_zh(form, "short", listing, source="zh-hans")
            if not draft.name_zh_hans:
                draft.name_zh_hans = HK_SUFFIX.sub("", name)

    def read_financedatabase(self) -> None:
        for fname, suffix in (("HKG.csv", "HK"), ("SHH.csv", "SH"), ("SHZ.csv", "SZ")):
            path = self.shared / "financedatabase" / fname
            df = pd.read_csv(path, dtype=str)
            for _, r in df.iterrows():
                if str(r["delisted"]).lower() == "true" or is_blank(r["name"]):
                    continue
                num = str(r["symbol"]).split(".")[0]
                if not num.isdigit():
                    continue
                code = f"{int(num):05d}.HK" if suffix == "HK" else f"{num}.{suffix}"
                draft = self.draft_for(code)
                if draft is None:
                    continue
                name = SHARE_CLASS.sub("", clean_text(r["name"]) or "")
                draft.add_en(name, "official", None)
                if not draft.curated and (suffix == "HK" or code == draft.id or
                                          draft.name_en is None):
                    draft.name_en = name
                if not is_blank(r["industry"]) and (suffix == "HK" or draft.industry is None):
                    draft.industry = str(r["industry"])
            self.sources[f"financedatabase_{suffix}"] = fname

    def read_former_names(self) -> None:
        """Former A-share 简称 from the 2023 adata snapshot and the newer name index."""
        path = self.shared / "a_share" / "adata_code_2023-10-18.csv"
        old = pd.read_csv(path, dtype=str)
        self.sources["adata"] = path.name
        newer = {r[1]: clean_text(r[2]) for r in self.dsa_rows() if r[6] in {"CN", "BSE"}}
        candidates: list[tuple[str, str | None]] = [
            (r["stock_code"], clean_text(r["short_name"])) for _, r in old.iterrows()]
        for draft in self.drafts.values():
            for code, row in draft.listings.items():
                if row["kind"] == "A" and newer.get(code[:6]) and row["name"]:
                    candidates.append((code[:6], row["name"]))
                    if a_short_forms(newer[code[:6]] or "")[-1] != a_short_forms(row["name"])[-1]:
                        row["name"] = newer[code[:6]]
                        for form in a_short_forms(row["name"] or ""):
                            draft.add_zh(form, "short", code, source="zh-hans")
        for symbol, name in candidates:
            exch = a_share_exchange(symbol)
            draft = self.draft_for(f"{symbol}.{exch}") if exch else None
            if draft is None or not name:
                continue
            code = f"{symbol}.{exch}"
            current = draft.listings[code]["name"] or ""
            bare = a_short_forms(name)[-1]
            if bare == a_short_forms(current)[-1] or bare in draft.former:
                continue
            draft.former.append(bare)
            draft.add_zh(bare, "former", code, source="zh-hans")


# ----------------------------------------------------------------------------- curated


def read_curated(builder: Builder) -> None:
    """ADR and other cross listings, foreign issuers, then curated aliases (in that order)."""
    for path in (CURATED / "adrs.csv", CURATED / "other_listings.csv"):
        df = pd.read_csv(path, dtype=str, comment="#")
        for _, r in df.iterrows():
            draft = builder.draft_for(r["issuer"])
            if draft is None:
                raise SystemExit(f"{path.name}: issuer {r['issuer']} is not in the listings data")
            other = builder.draft_for(r["code"])
            if other is not None and other is not draft:
                builder.absorb(draft, other)
            draft.add_listing(r["code"], r["exchange"], r["kind"], currency=r["currency"],
                              board=None, name=clean_text(r["name"]))
            builder.link(draft, r["code"])
            if not is_blank(r.get("former_code")):
                draft.add_alias(r["former_code"], "en", "former", r["code"])
    foreign = yaml.safe_load((CURATED / "foreign_issuers.yaml").read_text(encoding="utf-8"))
    for entry in foreign:
        listings = entry["listings"]
        first = listings[0]["code"]
        draft = builder.draft_for(first) or builder.new_draft(first)
        for row in listings:
            other = builder.draft_for(row["code"])
            if other is not None and other is not draft:
                builder.absorb(draft, other)
            draft.add_listing(row["code"], row["exchange"], row.get("kind", "other"),
                              currency=row.get("currency"), board=row.get("board"),
                              name=row.get("name"))
            builder.link(draft, row["code"])
        draft.industry = entry.get("industry") or draft.industry
        apply_curated(draft, entry)
    aliases = yaml.safe_load((CURATED / "aliases.yaml").read_text(encoding="utf-8"))
    for code, entry in sorted(aliases.items()):
        draft = builder.draft_for(code)
        if draft is None:
            raise SystemExit(f"aliases.yaml: {code} is not a known listing")
        apply_curated(draft, entry or {})
    roles = yaml.safe_load((CURATED / "roles.yaml").read_text(encoding="utf-8"))
    for role, codes in sorted(roles.items()):
        for code in codes:
            draft = builder.draft_for(code)
            if draft is None:
                raise SystemExit(f"roles.yaml: {code} ({role}) is not a known listing")
            draft.role = role
    builder.sources["curated"] = "scripts/refdata/"


CURATED_KEYS = {"name", "en", "zh", "zh_name", "former", "industry", "listings"}


def apply_curated(draft: Draft, entry: dict[str, Any]) -> None:
    unknown = set(entry) - CURATED_KEYS
    if unknown:
        raise SystemExit(f"curated entry for {draft.id}: unknown keys {sorted(unknown)} "
                         "(quote names that contain commas)")
    draft.curated = True
    if entry.get("name"):
        draft.name_en = entry["name"]
        draft.add_en(entry["name"], "official", None)
    for text in entry.get("en", []):
        listing = None
        if isinstance(text, dict):
            text, listing = next(iter(text.items()))
        draft.add_alias(str(text), "en", "common", listing)
    for text in entry.get("zh", []):
        listing = None
        if isinstance(text, dict):
            text, listing = next(iter(text.items()))
        text = clean_text(text) or ""
        source = "zh-hans" if T2S.convert(text) == text else "zh-hant"
        draft.add_zh(text, "common", listing, source=source)
        if entry.get("zh_name") is None and draft.name_zh_hans is None:
            draft.name_zh_hans = T2S.convert(text)
            draft.name_zh_hant = draft.name_zh_hant or S2HK.convert(draft.name_zh_hans)
    if entry.get("zh_name"):
        draft.name_zh_hans = T2S.convert(entry["zh_name"])
        draft.name_zh_hant = S2HK.convert(draft.name_zh_hans)
    for text in entry.get("former", []):
        draft.former.append(text)
        if str(text).isascii():
            draft.add_alias(text, "en", "former", None)
        else:
            draft.add_zh(text, "former", None, source="zh-hans")
        variants = {text, S2T.convert(text), S2HK.convert(text)}
        for alias in draft.aliases.values():  # a curated former name stays "former"
            if alias["text"] in variants:
                alias["kind"] = "former"


# ----------------------------------------------------------------------------- output


def choose_id(draft: Draft) -> str:
    codes = list(draft.listings)
    for pred in (lambda c: c.endswith(".HK") and draft.listings[c]["kind"] != "other"
                 and draft.listings[c]["active"]
                 and draft.listings[c]["board"] != "RMB counter",
                 lambda c: draft.listings[c]["kind"] == "A"):
        found = [c for c in codes if pred(c)]
        if found:
            return sorted(found)[0]
    return codes[0]


def finish(draft: Draft) -> dict[str, Any]:
    if draft.name_zh_hans and not draft.name_zh_hant:
        draft.name_zh_hant = S2HK.convert(draft.name_zh_hans)
    if draft.name_zh_hant and not draft.name_zh_hans:
        draft.name_zh_hans = T2S.convert(draft.name_zh_hant)
    draft.name_en = draft.name_en or draft.short_en
    name = draft.name_en or draft.name_zh_hans or draft.name_zh_hant or draft.id
    kind_order = {"H": 0, "HK": 1, "A": 2, "B": 3, "ADR": 4, "US": 5, "SG": 6, "other": 7}
    listings = sorted(draft.listings.values(),
                      key=lambda r: (kind_order.get(r["kind"], 9), r["board"] == "RMB counter",
                                     r["code"]))
    for alias in draft.aliases.values():
        if alias_key(alias["text"]) != alias["text"].casefold():
            raise SystemExit(f"{draft.id}: alias {alias['text']!r} is not normalised")
    aliases = sorted(draft.aliases.values(),
                     key=lambda a: (a["lang"], KIND_RANK[a["kind"]], a["text"]))
    return {
        "id": choose_id(draft),
        "name": name,
        "en": draft.name_en,
        "hans": draft.name_zh_hans,
        "hant": draft.name_zh_hant,
        "industry": draft.industry,
        "curated": draft.curated,
        "role": draft.role,
        "former": sorted(set(draft.former)),
        "listings": [[r["code"], r["exchange"], r["kind"], r["currency"], r["board"], r["name"],
                      r["listed_on"], *([] if r["active"] else [False])] for r in listings],
        "aliases": [[a["text"], a["lang"], a["kind"], a["listing"]] for a in aliases],
    }


def write_outputs(builder: Builder, out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    rows = sorted((finish(d) for d in builder.drafts.values()), key=lambda r: r["id"])
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows]
    (out / "issuers.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    indices = yaml.safe_load((CURATED / "indices.yaml").read_text(encoding="utf-8"))
    index_rows = []
    owner: dict[str, str] = {}
    for iid, entry in sorted(indices.items()):
        aliases = list(dict.fromkeys(expand_index_aliases(entry)))
        for alias in aliases:
            if owner.setdefault(alias.casefold(), iid) != iid:
                raise SystemExit(f"indices.yaml: {alias!r} names both {owner[alias.casefold()]} "
                                 f"and {iid}")
        index_rows.append({"id": iid, "name_en": entry["en"],
                           "name_zh_hans": T2S.convert(entry["zh"]),
                           "name_zh_hant": S2HK.convert(T2S.convert(entry["zh"])),
                           "market": entry["market"], "aliases": aliases})
    (out / "indices.json").write_text(
        json.dumps(index_rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts = {"issuers": len(rows), "indices": len(index_rows),
              "aliases": sum(len(r["aliases"]) for r in rows)}
    manifest = {"format": FORMAT_VERSION, "counts": counts,
                "sources": dict(sorted(builder.sources.items()))}
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return counts


def expand_index_aliases(entry: dict[str, Any]) -> Iterable[str]:
    yield entry["en"]
    yield from entry.get("aliases_en", [])
    for text in [entry["zh"], *entry.get("aliases_zh", [])]:
        yield T2S.convert(text)
        yield S2T.convert(T2S.convert(text))
        yield S2HK.convert(T2S.convert(text))
        yield text


def build(shared: Path, out: Path) -> dict[str, int]:
    builder = Builder(shared)
    builder.read_hk()
    builder.read_a_shares()
    builder.read_hk_delisted()
    builder.read_dsa_hk()
    builder.read_exchange_lists()
    builder.read_financedatabase()
    builder.read_former_names()
    read_curated(builder)
    add_distinct_names(builder)
    return write_outputs(builder, out)


def add_distinct_names(builder: Builder) -> None:
    """Give each issuer the first word of its English name as an alias when that word is rare in
    English (wordfreq Zipf < 2) and starts no other issuer's name: "Sunwoda", "Hygon", "UBTech"."""
    from wordfreq import zipf_frequency

    owners: dict[str, set[str]] = {}
    taken: set[str] = set()
    for draft in builder.drafts.values():
        for alias in draft.aliases.values():
            if alias["lang"] != "en":
                continue
            taken.add(alias["text"].casefold())
            words = alias["text"].split()
            if len(words) >= 2 and words[0].isalpha() and len(words[0]) >= 5:
                owners.setdefault(words[0].casefold(), set()).add(draft.id)
    for word, ids in sorted(owners.items()):
        if len(ids) != 1 or word in taken or zipf_frequency(word, "en") >= 2.0:
            continue
        draft = builder.drafts[next(iter(ids))]
        if not draft.curated:
            draft.add_alias(word.title() if word.isalpha() else word, "en", "distinct", None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True,
                        help="folder with the listings data (e.g. ../shared/data)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not (args.shared / "hk").is_dir():
        parser.error(f"{args.shared} does not look like the shared data folder (no hk/)")
    counts = build(args.shared, args.out)
    log.info("wrote %s: %s", args.out, counts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
