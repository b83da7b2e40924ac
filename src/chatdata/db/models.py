"""Imports every model so `Base.metadata` is complete (Alembic and tests use it)."""

from chatdata.audit.models import AuditEvent
from chatdata.auth.models import RefreshToken, Team, TeamMember, User
from chatdata.cache.models import CacheEntry
from chatdata.chat.models import Conversation, Message, Proposal
from chatdata.datasets.models import Dataset, DatasetColumn, DatasetShare, DatasetVersion
from chatdata.db.base import Base
from chatdata.reports.models import Report
from chatdata.tasks.models import AnalysisTask

__all__ = [
    "AnalysisTask",
    "AuditEvent",
    "Base",
    "CacheEntry",
    "Conversation",
    "Dataset",
    "DatasetColumn",
    "DatasetShare",
    "DatasetVersion",
    "Message",
    "Proposal",
    "RefreshToken",
    "Report",
    "Team",
    "TeamMember",
    "User",
]
