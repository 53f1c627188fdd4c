from .activity import AffectsUs, Attachment, Comment, Follow, StatusChange
from .defects import Defect, DefectKind, DefectStatus
from .reference import Area, Category, Institution, OrgUnit, System
from .releases import Meeting, MeetingKind, Release
from .triage import SavedFilter
from .users import User

__all__ = [
    "AffectsUs",
    "Area",
    "Attachment",
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
    "SavedFilter",
    "StatusChange",
    "System",
    "User",
]
