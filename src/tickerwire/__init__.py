"""tickerwire: market news about Hong Kong and mainland-China listed companies, as data."""

from tickerwire.model import PIPELINE_VERSION

__version__ = "0.1.0"
__all__ = ["PIPELINE_VERSION", "__version__"]
