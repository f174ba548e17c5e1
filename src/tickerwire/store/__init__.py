"""The store: the only code in tickerwire that speaks SQL.

``Store`` opens (and migrates) one SQLite file; its writer methods are idempotent and atomic per
article, and every read can be asked ``as_of`` a past instant. See ``docs/store.md``.
"""

from tickerwire.store.database import Store
from tickerwire.store.live import (
    AlertRow,
    DeliveryRow,
    FeedState,
    NewAlert,
    PendingDelivery,
    RevisionRow,
    StoredRule,
)
from tickerwire.store.rows import (
    ArticleSummary,
    EventRow,
    ExtractionRows,
    FactRow,
    IngestOutcome,
    IngestStatus,
    LoadedArticle,
    MentionRow,
    PreparedArticle,
    QuarantineRow,
    RowContext,
    SearchText,
    StoredArticle,
    StoredExtraction,
    StoryJoin,
    StoryMemberRow,
    StoryRow,
)
from tickerwire.store.schema import MIGRATIONS, Migration
from tickerwire.store.writer import prepare_article

__all__ = [
    "MIGRATIONS",
    "AlertRow",
    "ArticleSummary",
    "DeliveryRow",
    "EventRow",
    "ExtractionRows",
    "FactRow",
    "FeedState",
    "IngestOutcome",
    "IngestStatus",
    "LoadedArticle",
    "MentionRow",
    "Migration",
    "NewAlert",
    "PendingDelivery",
    "PreparedArticle",
    "QuarantineRow",
    "RevisionRow",
    "RowContext",
    "SearchText",
    "Store",
    "StoredArticle",
    "StoredExtraction",
    "StoredRule",
    "StoryJoin",
    "StoryMemberRow",
    "StoryRow",
    "prepare_article",
]
