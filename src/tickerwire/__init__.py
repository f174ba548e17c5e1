"""tickerwire: market news about Hong Kong and mainland-China listed companies, as data."""

__version__ = "0.1.0"
__all__ = ["PIPELINE_VERSION", "__version__"]


def __getattr__(name: str) -> str:
    # The pipeline version lives with the model; read it only when asked, so that importing any
    # tickerwire module (the command line's help, say) does not load the model.
    if name == "PIPELINE_VERSION":
        from tickerwire.model import PIPELINE_VERSION

        return PIPELINE_VERSION
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
