"""Drop the lines of page furniture that newspaper text carries along.

Photo captions, copyright lines, newsletter plugs, advertising markers and "Related" /
"More on this" boxes are not news and must not reach extraction (a related headline names
companies the article is not about). The filter works on whole lines and only drops a line when
the whole line is furniture, so a sentence that merely mentions a newsletter stays.
"""

from __future__ import annotations

import re

_MAX_FURNITURE_LINE = 200
_MAX_BOX_ITEMS = 6
_MAX_BOX_ITEM = 160

# Furniture recognised by how the line starts (the whole line is matched).
_FURNITURE_START = re.compile(
    r"""(?:
        (?:copyright\s*(?:©|\(c\)|\d{4})|©|\(c\)\s*\d{4}).*            # Copyright © 2025 ...
      | (?:photo|image|picture|video)s?(?:\ credit)?\s*:.*              # Photo: Reuters
      | \(?(?:photo|image|file\ photo)s?\ (?:by|courtesy\ of|via)\ .{1,60}
      | (?:圖片?|图片?)(?:來源|来源)?\s*[:：].*                         # 圖:路透社
      | [(（](?:圖|图)(?:片)?\s*[:：].*
      | (?:sign\ up|subscribe)(?:\ now|\ today|\ here)?\b.{0,80}
      | (?:advertisement|sponsored(?:\ content)?|share\ this\ article|click\ here\b.*)
      | (?:read\ more|also\ read|see\ also)\s*[:：>»].*
      | the\ post\ .{1,200}\ appeared\ first\ on\ .{1,80}
      | (?:訂閱|订阅).{0,20}(?:通訊|通讯|電子報|电子报|newsletter).*
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Furniture recognised by what the line contains anywhere.
_FURNITURE_ANYWHERE = re.compile(
    r"all rights reserved|版權所有|版权所有|不得轉載|不得转载"
    r"|(?:subscribe|sign up|signup)\b[^\n]*\bnewsletters?\b"
    r"|\bnewsletters?\b[^\n]*\b(?:subscribe|sign up|inbox)\b",
    re.IGNORECASE,
)
# A caption that ends with its credit: "Traders in Central. Photo: Example Agency".
_CAPTION_CREDIT = re.compile(r"[.!?\s](?:photo|image|picture)s?\s*:\s*[^.:]{1,60}$", re.IGNORECASE)
_BOX_HEADER = re.compile(
    r"^(?:related(?:\ (?:articles?|stories|news|topics|coverage))?|more\ on\ this(?:\ story)?"
    r"|recommended(?:\ (?:articles?|for\ you))?|you\ may\ also\ like|trending(?:\ now)?"
    r"|most\ popular|most\ read"
    r"|相關新聞|相关新闻|相關閱讀|相关阅读|延伸閱讀|延伸阅读|推薦閱讀|推荐阅读)"
    r"\s*[:：]?$",
    re.IGNORECASE | re.VERBOSE,
)
_SENTENCE_END = (".", "!", "?", "。", "！", "？", '"', "”", "」", ")", "）", ":")


def is_furniture(line: str) -> bool:
    """True when the whole (stripped) line is a caption, copyright line, plug or box header."""
    s = line.strip()
    if not s or len(s) > _MAX_FURNITURE_LINE:
        return False
    return _is_furniture_line(s) or bool(_BOX_HEADER.match(s))


def drop_furniture(text: str) -> str:
    """``text`` without furniture lines; after a "Related"/"More on this" header, the headline
    lines of its box (short lines without sentence punctuation) go too."""
    out: list[str] = []
    box_left = 0
    for line in text.split("\n"):
        s = line.strip()
        if box_left and s and _looks_like_box_item(s):
            box_left -= 1
            continue
        box_left = 0
        if s and len(s) <= _MAX_FURNITURE_LINE:
            if _BOX_HEADER.match(s):
                box_left = _MAX_BOX_ITEMS
                continue
            if _is_furniture_line(s):
                continue
        out.append(line)
    return "\n".join(out)


def _is_furniture_line(s: str) -> bool:
    return bool(
        _FURNITURE_START.fullmatch(s) or _FURNITURE_ANYWHERE.search(s) or _CAPTION_CREDIT.search(s)
    )


def _looks_like_box_item(line: str) -> bool:
    return len(line) <= _MAX_BOX_ITEM and not line.endswith(_SENTENCE_END)
