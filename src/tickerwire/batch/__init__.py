"""Bulk work over many articles: the exchange tables shared with the store (``tables``), their
files (``files``), export and bulk load (``exchange``), and extraction on Spark (``extract``
per task, ``spark`` for the job). See ``docs/batch.md``.

Importing this package imports neither pyspark nor the extraction pipeline.
"""
