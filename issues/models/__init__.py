from .activity import AffectsUs, Attachment, Comment, Follow, StatusChange
from .api_tokens import ApiToken
from .defects import Defect, DefectKind, DefectStatus
from .reference import Area, Category, Institution, OrgUnit, System
from .releases import Meeting, MeetingKind, Release
from .users import User

__all__ = [
    "AffectsUs",
    "ApiToken",
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
    "StatusChange",
    "System",
    "User",
]
