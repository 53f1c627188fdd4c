"""The XSS corpus and a builder that puts it into every user text field there is."""

from typing import Any

from django.db import models

from issues.models import Attachment, Comment, Defect, User
from issues.services.comments import comment_create
from issues.services.defects import defect_override_tier, defect_transition, defect_update
from tests.factories import AttachmentFactory, make_defect

CORPUS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '![" onerror=alert(1)](x)',
    "[a][1]\n\n[1]: javascript:alert(1)",
    '"><svg onload=alert(1)>',
    '<a href="jav&#x09;ascript:alert(1)">lenke</a>',
    "{{ 7|add:7 }}<iframe src=javascript:alert(1)>",
)


def seed_corpus(
    reporter: User, manager: User
) -> list[tuple[Defect, dict[type[models.Model], Any]]]:
    """One defect per payload, the payload in each text field; returns each with its objects."""
    reporter.first_name = "<img src=x onerror=alert(1)>"
    reporter.last_name = "<script>alert(1)</script>"
    reporter.save()
    seeded: list[tuple[Defect, dict[type[models.Model], Any]]] = []
    for n, payload in enumerate(CORPUS):
        defect = make_defect(
            reporter,
            title=f"XSS {n} {payload}",
            description=f"Beskrivelse\n\n{payload}\n\n**fet** {payload}",
            workaround=payload,
            facts={"blocks_pay": n % 2 == 0},
        )
        defect = defect_transition(defect=defect, actor=manager, to_status="triaged", note=payload)
        defect = defect_update(
            defect=defect,
            actor=manager,
            expected_version=defect.version,
            data={"dfo_reference": payload[:60]},
        )
        defect = defect_override_tier(
            defect=defect, actor=manager, tier=1, reason=payload, expected_version=None
        )
        comment = comment_create(defect=defect, author=reporter, body=payload)
        comment_create(defect=defect, author=manager, body=payload, internal=True)
        attachment = AttachmentFactory.create(
            defect=defect, original_name=f"{payload[:40]}.txt", content=payload.encode()
        )
        seeded.append((defect, {Comment: comment, Attachment: attachment}))
    return seeded
