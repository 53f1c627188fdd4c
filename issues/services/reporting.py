"""The report form's submit: one defect per form token, attachments checked before anything
is written."""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from issues.models import (
    Area,
    Category,
    Defect,
    Institution,
    OrgUnit,
    ReportSubmission,
    System,
    User,
)
from issues.services.attachments import attachment_add, check_upload
from issues.services.defects import defect_create

# A uuid4 hex is 32 characters; anything much longer is not a token we issued.
FORM_TOKEN_MAX_LENGTH = 64


@dataclass(frozen=True)
class ReportResult:
    defect: Defect
    created: bool


def report_submit(
    *,
    reporter: User,
    token: str,
    title: str,
    area: Area,
    institution: Institution | None = None,
    description: str = "",
    kind: str = "feil",
    category: Category | None = None,
    system: System | None = None,
    unit: OrgUnit | None = None,
    facts: Mapping[str, bool] | None = None,
    extra_hours_per_week: Decimal | int = 0,
    people_affected: int = 1,
    workaround: str = "",
    workaround_hours_per_week: Decimal | None = None,
    deadline: dt.date | None = None,
    confidential: bool = False,
    uploads: Iterable[UploadedFile] = (),
) -> ReportResult:
    """File a report once per form token: a repeated submit returns the first one's defect.

    Attachments are checked before anything is written; a bad file writes nothing.
    """
    token = token.strip()
    if not token or len(token) > FORM_TOKEN_MAX_LENGTH:
        raise ValidationError({"token": _("Skjemaet er utløpt. Last siden på nytt.")})
    uploads = list(uploads)
    for upload in uploads:
        check_upload(upload)
    with transaction.atomic():
        submission = _claim_token(reporter=reporter, token=token)
        if isinstance(submission, ReportResult):
            return submission
        defect = defect_create(
            reporter=reporter,
            title=title,
            area=area,
            institution=institution,
            description=description,
            kind=kind,
            category=category,
            system=system,
            unit=unit,
            facts=facts,
            extra_hours_per_week=extra_hours_per_week,
            people_affected=people_affected,
            workaround=workaround,
            workaround_hours_per_week=workaround_hours_per_week,
            deadline=deadline,
            confidential=confidential,
        )
        submission.defect = defect
        submission.save(update_fields=["defect"])
        for upload in uploads:
            attachment_add(defect=defect, actor=reporter, upload=upload)
    return ReportResult(defect, created=True)


def _claim_token(*, reporter: User, token: str) -> ReportSubmission | ReportResult:
    """Record this submit of ``token``, or return the result of the submit that already did."""
    try:
        with transaction.atomic():
            return ReportSubmission.objects.create(
                user=reporter, token=token, created_at=timezone.now()
            )
    except IntegrityError:
        # The first submit has committed (PostgreSQL waited for it on the unique index).
        earlier = ReportSubmission.objects.select_related("defect").get(user=reporter, token=token)
        if earlier.defect is None:
            raise ValidationError(
                {"token": _("Skjemaet er allerede sendt. Last siden på nytt.")}
            ) from None
        return ReportResult(earlier.defect, created=False)
