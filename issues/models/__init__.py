from .activity import AffectsUs, Attachment, Comment, Follow, StatusChange
from .api_tokens import ApiToken
from .audit import AuditEvent
from .defects import Defect, DefectKind, DefectStatus
from .escalation import (
    DeliveryState,
    DigestDelivery,
    DigestKind,
    DigestRecipient,
    DigestRun,
    ExportFormat,
    ExportLog,
)
from .reference import Area, Category, Institution, OrgUnit, System
from .releases import Meeting, MeetingKind, Release
from .reporting import ReportSubmission
from .triage import SavedFilter
from .users import User

__all__ = [
    "AffectsUs",
    "ApiToken",
    "Area",
    "Attachment",
    "AuditEvent",
    "Category",
    "Comment",
    "Defect",
    "DefectKind",
    "DefectStatus",
    "DeliveryState",
    "DigestDelivery",
    "DigestKind",
    "DigestRecipient",
    "DigestRun",
    "ExportFormat",
    "ExportLog",
    "Follow",
    "Institution",
    "Meeting",
    "MeetingKind",
    "OrgUnit",
    "Release",
    "ReportSubmission",
    "SavedFilter",
    "StatusChange",
    "System",
    "User",
]
