"""Importing defect lists: dry run, all or nothing, the same file twice, hostile content."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.imports import DEFECT_FIELDS, guess_columns
from issues.models import (
    Area,
    AuditEvent,
    Defect,
    DefectStatus,
    Follow,
    ImportBatch,
    ImportedDefect,
    ImportKind,
    ImportUpload,
    StatusChange,
    User,
)
from issues.selectors.imports import ImportMapping
from issues.services.imports import defects_dry_run, defects_import, upload_store
from issues.spreadsheets import read_table
from issues.vocabulary import TEXT_MAX_LENGTHS
from tests.factories import make_defect
from tests.issues.import_files import HEADERS_EN, row, write_csv, write_xlsx
from tests.issues.pd_numbers import first_national_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path: Path, settings: SettingsWrapper) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(user: User, path: Path) -> ImportUpload:
    with path.open("rb") as handle:
        return upload_store(user=user, kind=ImportKind.DEFECTS, file=File(handle), name=path.name)


def _guess(path: Path) -> ImportMapping:
    return ImportMapping(guess_columns(read_table(path, path.name).headers, DEFECT_FIELDS))


def test_dry_run_gives_tier_errors_and_duplicates_and_writes_nothing(
    tmp_path: Path, manager: User, reporter: User
) -> None:
    existing = make_defect(reporter, title="Faktura stopper i arbeidsflyt")
    existing.dfo_reference = "DFO-77"
    existing.save()
    same_title = make_defect(reporter, title="Lønn kommer for sent")
    path = write_xlsx(
        tmp_path / "liste.xlsx",
        [
            row("Lønn kommer for sent", facts=["blocks_pay"]),
            row("Ekstra arbeid", facts=["extra_work_local"], deadline="31.02.2023"),
            row("Faktura stopper i arbeidsflyt", ref="DFO-77"),
            row("Ukjent", area="Lønnsting"),
        ],
    )
    upload = _upload(manager, path)
    before = Defect.objects.count()
    plan = defects_dry_run(actor=manager, upload=upload, mapping=_guess(path))
    assert Defect.objects.count() == before
    first, second, third, fourth = plan.rows
    assert (first.number, first.tier, first.errors) == (2, 1, [])
    assert "lønn" in first.reasons[0].lower()
    assert second.errors == ["Frist: 31.02.2023 er ikke en gyldig dato."]
    assert third.existing_key == existing.key
    assert next((d.key, d.why) for d in third.duplicates) == (existing.key, "samme DFØ-referanse")
    assert (same_title.key, "samme tittel") in [(d.key, d.why) for d in first.duplicates]
    assert not first.existing_key
    assert "Lønnsting" in fourth.errors[0]
    assert plan.unknown == {"area": [("lonnsting", "Lønnsting")]}


def test_unknown_values_are_mapped_once_for_all_rows(tmp_path: Path, manager: User) -> None:
    path = write_csv(tmp_path / "a.csv", [row("a", area="Lønnsting"), row("b", area="lønnsting ")])
    toa = Area.objects.get(code="TOA")
    mapping = ImportMapping(_guess(path).columns, {"area": {"lonnsting": str(toa.pk)}})
    result = defects_import(actor=manager, upload=_upload(manager, path), mapping=mapping)
    assert result.created
    assert {d.area_id for d in Defect.objects.all()} == {toa.pk}


def test_import_is_all_or_nothing(tmp_path: Path, manager: User) -> None:
    path = write_csv(
        tmp_path / "a.csv", [row("God rad"), row("Dårlig dato", deadline="31.02.2023")]
    )
    with pytest.raises(ValidationError, match="1 rader har feil"):
        defects_import(actor=manager, upload=_upload(manager, path), mapping=_guess(path))
    assert not Defect.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_failure_mid_import_rolls_everything_back(
    tmp_path: Path, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "a.csv", [row("a"), row("b", status="Meldt til DFØ")])

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("worker died")

    monkeypatch.setattr("issues.services.imports.apply_status", broken)
    with pytest.raises(RuntimeError):
        defects_import(actor=manager, upload=_upload(manager, path), mapping=_guess(path))
    assert not Defect.objects.exists()
    assert not ImportBatch.objects.exists()
    assert not StatusChange.objects.exists()
    assert not AuditEvent.objects.filter(action="import.defects").exists()


def test_import_records_batch_rows_history_and_audit(tmp_path: Path, manager: User) -> None:
    path = write_xlsx(
        tmp_path / "liste.xlsx",
        [row("Første", ref="DFO-1"), row("Andre", status="Meldt til DFØ", facts=["frustration"])],
    )
    upload = _upload(manager, path)
    result = defects_import(actor=manager, upload=upload, mapping=_guess(path))
    batch = result.batch
    assert (batch.created_by, batch.file_name, batch.row_count) == (manager, "liste.xlsx", 2)
    assert batch.sha256 == upload.sha256
    assert len(batch.sha256) == 64
    links = {link.source_row: link.defect for link in ImportedDefect.objects.filter(batch=batch)}
    assert set(links) == {2, 3}
    first, second = links[2], links[3]
    assert (first.title, first.dfo_reference, first.status) == ("Første", "DFO-1", "new")
    assert second.status == DefectStatus.REPORTED
    steps = list(second.status_changes.order_by("at", "id").values_list("to_status", flat=True))
    assert steps == ["new", "triaged", "reported_to_dfo"]
    assert first.reporter == manager
    assert first.institution.code == "UiB"
    event = AuditEvent.objects.get(action="import.defects")
    assert event.details["created"] == 2
    assert event.details["sha256"] == batch.sha256


def test_the_same_file_again_creates_nothing(tmp_path: Path, manager: User) -> None:
    path = write_csv(tmp_path / "a.csv", [row("a"), row("b")])
    first = defects_import(actor=manager, upload=_upload(manager, path), mapping=_guess(path))
    counts = (Defect.objects.count(), StatusChange.objects.count(), Follow.objects.count())
    again = defects_import(actor=manager, upload=_upload(manager, path), mapping=_guess(path))
    assert not again.created
    assert again.batch == first.batch
    assert (Defect.objects.count(), StatusChange.objects.count(), Follow.objects.count()) == counts
    assert ImportBatch.objects.count() == 1


def test_rows_already_known_by_dfo_reference_are_skipped(tmp_path: Path, manager: User) -> None:
    known = make_defect(manager, title="Kjent")
    known.dfo_reference = "DFO-9"
    known.save()
    path = write_csv(tmp_path / "a.csv", [row("Kjent igjen", ref="DFO-9"), row("Ny")])
    defects_import(actor=manager, upload=_upload(manager, path), mapping=_guess(path))
    assert set(Defect.objects.values_list("title", flat=True)) == {"Kjent", "Ny"}


def test_same_dfo_reference_twice_in_a_file_is_an_error(tmp_path: Path, manager: User) -> None:
    path = write_csv(tmp_path / "a.csv", [row("a", ref="DFO-5"), row("b", ref="DFO-5")])
    plan = defects_dry_run(actor=manager, upload=_upload(manager, path), mapping=_guess(path))
    assert plan.rows[1].errors == ["Samme DFØ-referanse som rad 2."]


def test_formulas_stay_text_and_personal_data_is_masked(tmp_path: Path, manager: User) -> None:
    fnr = first_national_id("010190")
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [row('=HYPERLINK("http://x","klikk")', description=f"Gjelder {fnr}", ref=f"{fnr}")],
    )
    defects_import(actor=manager, upload=_upload(manager, path), mapping=_guess(path))
    defect = Defect.objects.get()
    assert defect.title == '=HYPERLINK("http://x","klikk")'
    assert fnr not in defect.description
    assert "*" * 11 in defect.description
    assert fnr not in defect.dfo_reference
    assert fnr not in str(list(defect.history.values()))


def test_english_headers_and_cp1252_csv(tmp_path: Path, manager: User) -> None:
    path = write_csv(
        tmp_path / "en.csv",
        [row("Lønn – feil", status="New", hours="2,5", people="1 200")],
        encoding="cp1252",
        headers=HEADERS_EN,
    )
    defects_import(actor=manager, upload=_upload(manager, path), mapping=_guess(path))
    defect = Defect.objects.get()
    assert (defect.title, str(defect.extra_hours_per_week), defect.people_affected) == (
        "Lønn – feil",
        "2.50",
        1200,
    )


def test_only_management_imports(tmp_path: Path, liaison: User, reporter: User) -> None:
    path = write_csv(tmp_path / "a.csv", [row("a")])
    for user in (liaison, reporter):
        with path.open("rb") as handle, pytest.raises(PermissionDenied):
            upload_store(user=user, kind=ImportKind.DEFECTS, file=File(handle), name="a.csv")


def test_upload_size_limit_is_a_setting(
    tmp_path: Path, manager: User, settings: SettingsWrapper
) -> None:
    settings.IMPORT_MAX_BYTES = 10
    path = write_csv(tmp_path / "a.csv", [row("a")])
    with pytest.raises(ValidationError, match="større enn"):
        _upload(manager, path)


def test_rows_meet_the_report_forms_limits(
    tmp_path: Path, manager: User, settings: SettingsWrapper
) -> None:
    long_text = "x" * (TEXT_MAX_LENGTHS["description"] + 1)
    settings.IMPORT_MAX_CELL_CHARS = len(long_text)  # the sheet's own limit lets it through
    path = write_csv(
        tmp_path / "a.csv",
        [
            row("God rad"),
            row("Gammel frist", deadline="01.03.2024"),
            row("Lang", description=long_text),
        ],
    )
    plan = defects_dry_run(actor=manager, upload=_upload(manager, path), mapping=_guess(path))
    errors = {r.title: r.errors for r in plan.rows}
    assert errors["God rad"] == []
    assert errors["Gammel frist"] == ["Frist: Fristen kan ikke være i fortiden."]
    assert any("høyst" in e for e in errors["Lang"])
    with pytest.raises(ValidationError, match="2 rader har feil"):
        defects_import(actor=manager, upload=_upload(manager, path), mapping=_guess(path))
    assert not Defect.objects.exists()
