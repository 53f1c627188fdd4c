from issues.models.activity import (
    AffectsUs,
    Attachment,
    Comment,
    Follow,
    HistoryKind,
    StatusChange,
)
from issues.models.api_tokens import ApiToken
from issues.models.audit import AuditEvent
from issues.models.confirmations import ConfirmationState, FixConfirmation
from issues.models.dashboard import (
    DashboardAffects,
    DashboardAge,
    DashboardClosed,
    DashboardCount,
)
from issues.models.defects import Defect, DefectKind, DefectStatus
from issues.models.escalation import (
    DeliveryState,
    DigestDelivery,
    DigestKind,
    DigestRecipient,
    DigestRun,
    ExportFormat,
    ExportLog,
    ExportState,
)
from issues.models.imports import (
    DfoStatusWord,
    ImportBatch,
    ImportedDefect,
    ImportKind,
    ImportUpload,
)
from issues.models.notifications import (
    Frequency,
    NotificationKind,
    NotificationPreference,
    SummaryDelivery,
)
from issues.models.outbox import StatusMail
from issues.models.reference import (
    Area,
    Category,
    FeideRealm,
    Institution,
    OrgUnit,
    RecurringDeadline,
    System,
)
from issues.models.releases import Meeting, MeetingKind, Release
from issues.models.reporting import ReportSubmission
from issues.models.routines import Routine
from issues.models.triage import SavedFilter
from issues.models.users import User

__all__ = [
    "AffectsUs",
    "ApiToken",
    "Area",
    "Attachment",
    "AuditEvent",
    "Category",
    "Comment",
    "ConfirmationState",
    "DashboardAffects",
    "DashboardAge",
    "DashboardClosed",
    "DashboardCount",
    "Defect",
    "DefectKind",
    "DefectStatus",
    "DeliveryState",
    "DfoStatusWord",
    "DigestDelivery",
    "DigestKind",
    "DigestRecipient",
    "DigestRun",
    "ExportFormat",
    "ExportLog",
    "ExportState",
    "FeideRealm",
    "FixConfirmation",
    "Follow",
    "Frequency",
    "HistoryKind",
    "ImportBatch",
    "ImportKind",
    "ImportUpload",
    "ImportedDefect",
    "Institution",
    "Meeting",
    "MeetingKind",
    "NotificationKind",
    "NotificationPreference",
    "OrgUnit",
    "RecurringDeadline",
    "Release",
    "ReportSubmission",
    "Routine",
    "SavedFilter",
    "StatusChange",
    "StatusMail",
    "SummaryDelivery",
    "System",
    "User",
]
