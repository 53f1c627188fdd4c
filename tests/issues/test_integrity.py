"""Regressions found in review after the parts were merged: each guards a rule users rely on."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from issues.models import Comment, Defect, Institution, User
from issues.services.attachments import attachment_add
from issues.services.comments import comment_create
from issues.services.defects import defect_update
from issues.services.merge import defect_merge
from issues.services.triage import saved_filter_save
from tests.factories import make_defect, make_user
from tests.issues.pd_numbers import first_national_id

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _edit_data(form: Any) -> dict[str, Any]:
    """What the browser posts for the triage page's edit form as rendered."""
    data = {f: form[f].value() for f in form.fields if form[f].value() is not None}
    for unticked in [f for f in form.fields if form[f].value() is False]:
        data.pop(unticked)
    return {**data, "action": "edit"}


def test_a_confidential_defect_is_not_merged_into_a_public_one(
    reporter: User, other_reporter: User, manager: User
) -> None:
    secret = make_defect(reporter, confidential=True)
    comment_create(defect=secret, author=reporter, body="Hemmelig detalj")
    public = make_defect(other_reporter)
    with pytest.raises(ValidationError):
        defect_merge(
            duplicate=secret,
            canonical=public,
            actor=manager,
            duplicate_version=secret.version,
            canonical_version=public.version,
        )
    assert Comment.objects.get(body="Hemmelig detalj").defect_id == secret.pk
    assert Defect.objects.get(pk=secret.pk).status == "new"


def test_the_process_owner_can_be_removed(reporter: User, manager: User) -> None:
    defect = make_defect(reporter)
    defect = defect_update(
        defect=defect, actor=manager, expected_version=1, data={"owner": manager}
    )
    url = reverse("issues:triage_defect", args=[defect.pk])
    form = _client(manager).get(url).context["form"]
    data = _edit_data(form)
    data["owner_username"] = ""
    response = _client(manager).post(url, data)
    assert response.status_code == 302
    assert Defect.objects.get(pk=defect.pk).owner is None


def test_saving_again_after_a_conflict_keeps_the_other_editors_change(
    reporter: User, manager: User
) -> None:
    defect = make_defect(reporter)
    other = make_user("management", institution="UiB")
    url = reverse("issues:triage_defect", args=[defect.pk])
    form = _client(manager).get(url).context["form"]
    data = _edit_data(form)
    assert _client(other).post(url, {**data, "dfo_reference": "DFØ-1"}).status_code == 302
    conflict = _client(manager).post(url, {**data, "title": "Ny tittel fra meg"})
    assert conflict.status_code == 409
    again = _client(manager).post(url, conflict.context["form"].data)
    assert again.status_code == 302
    saved = Defect.objects.get(pk=defect.pk)
    assert (saved.title, saved.dfo_reference) == ("Ny tittel fra meg", "DFØ-1")


def test_a_reporter_reports_only_for_their_own_institution(reporter: User, manager: User) -> None:
    uib = Institution.objects.get(code="UiB")
    with pytest.raises(ValidationError):
        make_defect(reporter, institution=uib)
    assert make_defect(manager, institution=uib).institution == uib


def test_file_names_and_saved_searches_are_masked(reporter: User, manager: User) -> None:
    fnr = first_national_id("010190")
    defect = make_defect(reporter)
    attachment = attachment_add(
        defect=defect, actor=reporter, upload=SimpleUploadedFile(f"slipp {fnr}.png", PNG)
    )
    assert fnr not in attachment.original_name
    saved = saved_filter_save(owner=manager, name="Søk", query=f"q=lønn+{fnr}")
    assert fnr not in saved.query
    assert "l%C3%B8nn" in saved.query
