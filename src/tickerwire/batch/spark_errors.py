"""The exceptions a Spark session or job raises (JVM start-up, a failed stage), which
``batch extract`` turns into a ``BatchError``. Imported only once pyspark is known to be there."""

from __future__ import annotations

from py4j.protocol import Py4JError
from pyspark.errors import PySparkException

SPARK_ERRORS: tuple[type[Exception], ...] = (Py4JError, PySparkException)
