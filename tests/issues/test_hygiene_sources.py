"""Issue 16 for the inputs main gained after the hygiene was built: spreadsheet imports (whose
rows are written with bulk_create, which sends no pre_save) and Feide login claims. Their text
is cleaned and masked like a form's, and the XLSX export and the digest survive it."""

import io
from pathlib import Path

import pytest
from django.core.files import File
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.digests import DigestData, subject
from issues.imports import DEFECT_FIELDS, guess_columns
from issues.models import Defect, DigestRecipient, ImportKind, User
from issues.selectors.imports import ImportMapping
from issues.services.digests import digest_send_now
from issues.services.feide import FeideRefused, feide_user_login, profile_from_claims
from issues.services.imports import defects_import, upload_store
from issues.spreadsheets import read_table
from tests.issues.import_files import row, write_csv
from tests.issues.pd_numbers import first_national_id

pytestmark = pytest.mark.django_db

FNR = first_national_id("010190")


def _import(tmp_path: Path, user: User, rows: list[list[object]]) -> None:
    path = write_csv(tmp_path / "liste.csv", rows)
    mapping = ImportMapping(guess_columns(read_table(path, path.name).headers, DEFECT_FIELDS))
    with path.open("rb") as handle:
        upload = upload_store(user=user, kind=ImportKind.DEFECTS, file=File(handle), name=path.name)
    assert defects_import(actor=user, upload=upload, mapping=mapping).created


def test_imported_cells_are_cleaned_and_masked_and_exports_and_digests_survive_them(
    tmp_path: Path, settings: SettingsWrapper, manager: User
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    _import(
        tmp_path,
        manager,
        [
            row(
                "Lønn\x01 stopper\x1b for alle",
                description=f"Gjelder\x0b f.nr.{FNR}\r\nneste linje",
                ref=f"DFØ\x02 {FNR}",
                facts=["blocks_pay"],
            )
        ],
    )
    defect = Defect.objects.get()
    assert defect.title == "Lønn stopper for alle"
    assert FNR not in defect.description
    assert "\x0b" not in defect.description
    assert "\r" not in defect.description
    assert FNR not in defect.dfo_reference
    assert "\x02" not in defect.dfo_reference
    client = Client()
    client.force_login(manager)
    response = client.get(reverse("issues:export", args=["xlsx"]))
    assert response.status_code == 200
    cells = [
        c.value for r in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in r
    ]
    assert "Lønn stopper for alle" in cells
    DigestRecipient.objects.create(user=manager)
    run = digest_send_now(actor=manager)
    assert "Lønn stopper for alle" in run.body_text
    assert FNR not in run.body_text


def test_feide_names_are_cleaned_and_masked_at_login() -> None:
    claims = {
        "userid_sec": ["feide:ingrid@ntnu.no"],
        "name": f"Ingrid\x01 Berg\x00 {FNR}",
        "email": "ingrid\x7f@ntnu.no",
    }
    user = feide_user_login(profile=profile_from_claims(claims))
    user.refresh_from_db()
    assert user.first_name == "Ingrid Berg"
    assert FNR not in user.last_name
    assert user.email == "ingrid@ntnu.no"


@pytest.mark.parametrize("identity", ["feide:ola\x00@uib.no", "feide:ola\x01@uib.no"])
def test_a_feide_identity_with_a_control_character_is_refused_not_stored(identity: str) -> None:
    with pytest.raises(FeideRefused) as refused:
        profile_from_claims({"userid_sec": [identity], "name": "Ola"})
    assert refused.value.reason == "no_feide_id"
    assert not User.objects.filter(feide_id__startswith="ola").exists()


def test_a_meeting_title_stored_raw_gives_a_one_line_masked_digest_subject() -> None:
    data = DigestData(
        period_start=timezone.now(),
        period_end=timezone.now(),
        meeting_title=f"Styringsmøte\r\nBcc: x@example.com\x01 {FNR}",
    )
    title = subject(data)
    assert "\n" not in title
    assert "\r" not in title
    assert "\x01" not in title
    assert FNR not in title
    assert "Styringsmøte Bcc: x@example.com" in title
