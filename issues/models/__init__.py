from .activity import AffectsUs, Attachment, Comment, Follow, StatusChange
from .audit import AuditEvent
from .defects import Defect, DefectKind, DefectStatus
from .reference import Area, Category, Institution, OrgUnit, System
from .releases import Meeting, MeetingKind, Release
from .users import User

__all__ = [
    "AffectsUs",
    "Area",
    "Attachment",
    "AuditEvent",
    "Category",
    "Comment",
    "Defect",
    "DefectKind",
    "DefectStatus",
    "Follow",
    "Institution",
    "Meeting",
    "MeetingKind",
    "OrgUnit",
    "Release",
    "StatusChange",
    "System",
    "User",
]
