"""Daily prices: reading bar files (``readers``), fetching them (``fetch``, optional extra) and
checking the numbers news reports against them (``verdicts``). The store keeps the bars and the
verdicts (``store/prices.py``); ``docs/prices.md`` describes the whole feature."""
