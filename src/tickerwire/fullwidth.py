"""Full-width ASCII → half-width, one character for one, so every offset stays valid."""

from __future__ import annotations

import re

_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_HAS_FULLWIDTH = re.compile("[\uff01-\uff5e\u3000]")


def to_halfwidth(text: str) -> str:
    """Map full-width ASCII (U+FF01–U+FF5E) and the ideographic space to half-width.

    One character maps to one character, so ``len`` and every offset are unchanged.
    """
    if not _HAS_FULLWIDTH.search(text):
        return text
    return text.translate(_TABLE)
