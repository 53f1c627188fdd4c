"""DFØ's answers back in: export, edit as DFØ would, import; exactly the edited fields change."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.fixtures import Settings as SettingsWrapper

from issues import exports
from issues.models import (
    AuditEvent,
    Defect,
    DefectStatus,
    DfoStatusWord,
    ImportBatch,
    ImportKind,
    ImportUpload,
    Release,
    User,
)
from issues.services.defects import defect_transition, defect_update
from issues.services.dfo_answers import dfo_answers_apply, dfo_answers_plan
from issues.services.imports import upload_store
from tests.factories import make_defect
from tests.issues.import_files import fill_in_by_header, row, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path: Path, settings: SettingsWrapper) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reported(reporter: User, manager: User) -> list[Defect]:
    defects = []
    for title in ("Faktura stopper", "Lønn for sent", "Tilgang mangler"):
        d = make_defect(reporter, title=title)
        d = defect_transition(defect=d, actor=manager, to_status=DefectStatus.TRIAGED)
        d = defect_transition(defect=d, actor=manager, to_status=DefectStatus.REPORTED)
        defects.append(d)
    DfoStatusWord.objects.create(word="  Under  Arbeid ", status=DefectStatus.IN_PROGRESS)
    DfoStatusWord.objects.create(word="Løst", status=DefectStatus.FIXED)
    return defects


def _export(defects: list[Defect]) -> Any:
    qs = Defect.objects.filter(pk__in=[d.pk for d in defects]).order_by("pk")
    return load_workbook(io.BytesIO(exports.xlsx_bytes(exports.export_rows(qs), title="Saker")))


def _upload(user: User, path: Path) -> ImportUpload:
    with path.open("rb") as handle:
        return upload_store(
            user=user, kind=ImportKind.DFO_ANSWERS, file=File(handle), name=path.name
        )


def _state(defect: Defect) -> dict[str, Any]:
    d = Defect.objects.get(pk=defect.pk)
    fields = ("title", "dfo_reference", "target_release_id", "status", "tier", "description")
    return {f: getattr(d, f) for f in fields}


def test_round_trip_applies_exactly_the_edited_fields(
    tmp_path: Path, reported: list[Defect], liaison: User
) -> None:
    first, second, third = reported
    path = fill_in_by_header(
        _export(reported),
        {
            first.key: {"DFØ-referanse": "SAK-2026-1", "Planlagt release": "2026.12"},
            second.key: {"DFØ-status": "under arbeid", "Tittel": "DFØ skrev over tittelen"},
        },
        tmp_path / "svar.xlsx",
    )
    before = {d.pk: _state(d) for d in reported}
    plan = dfo_answers_plan(actor=liaison, upload=_upload(liaison, path))
    assert [r.key for r in plan.to_apply] == [first.key, second.key]
    result = dfo_answers_apply(actor=liaison, upload=_upload(liaison, path))
    assert result.created
    release = Release.objects.get(name="2026.12")
    assert _state(first) == {
        **before[first.pk],
        "dfo_reference": "SAK-2026-1",
        "target_release_id": release.pk,
    }
    assert _state(second) == {**before[second.pk], "status": DefectStatus.IN_PROGRESS}
    assert _state(third) == before[third.pk]
    history = Defect.objects.get(pk=first.pk).history.first()
    assert history is not None
    assert history.history_user == liaison
    event = AuditEvent.objects.get(action="import.dfo_answers")
    assert event.details["applied"] == {
        first.key: ["dfo_reference", "target_release"],
        second.key: ["status"],
    }


def test_status_goes_through_the_workflow_in_steps(
    tmp_path: Path, reported: list[Defect], manager: User
) -> None:
    path = fill_in_by_header(
        _export(reported[:1]), {reported[0].key: {"DFØ-status": "Løst"}}, tmp_path / "a.xlsx"
    )
    dfo_answers_apply(actor=manager, upload=_upload(manager, path))
    defect = Defect.objects.get(pk=reported[0].pk)
    assert defect.status == DefectStatus.FIXED
    assert defect.fixed_at is not None
    last = defect.status_changes.order_by("-at", "-id").first()
    assert last is not None
    assert last.to_status == DefectStatus.FIXED


def test_a_defect_changed_since_the_export_is_flagged_not_overwritten(
    tmp_path: Path, reported: list[Defect], manager: User
) -> None:
    workbook = _export(reported)
    first = reported[0]
    defect_update(defect=first, actor=manager, expected_version=first.version, data={"title": "Ny"})
    path = fill_in_by_header(
        workbook,
        {first.key: {"DFØ-referanse": "SAK-9"}, reported[1].key: {"DFØ-referanse": "SAK-10"}},
        tmp_path / "a.xlsx",
    )
    plan = dfo_answers_plan(actor=manager, upload=_upload(manager, path))
    assert [r.key for r in plan.flagged] == [first.key]
    assert "endret siden eksporten" in plan.flagged[0].flags[0]
    dfo_answers_apply(actor=manager, upload=_upload(manager, path))
    assert Defect.objects.get(pk=first.pk).dfo_reference == ""
    assert Defect.objects.get(pk=reported[1].pk).dfo_reference == "SAK-10"


def test_unknown_status_words_and_keys_are_flagged(
    tmp_path: Path, reported: list[Defect], manager: User
) -> None:
    workbook = _export(reported[:1])
    workbook.active.append(["BOTT-999999", "Finnes ikke"])
    path = fill_in_by_header(
        workbook, {reported[0].key: {"DFØ-status": "Parkert"}}, tmp_path / "a.xlsx"
    )
    plan = dfo_answers_plan(actor=manager, upload=_upload(manager, path))
    messages = [f for r in plan.flagged for f in r.flags]
    assert any("Ukjent statusord fra DFØ: «Parkert»" in m for m in messages)
    assert any("BOTT-999999" in m for m in messages)
    assert plan.to_apply == []


def test_applying_is_all_or_nothing(
    tmp_path: Path, reported: list[Defect], manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fill_in_by_header(
        _export(reported),
        {d.key: {"DFØ-referanse": f"SAK-{d.pk}"} for d in reported},
        tmp_path / "a.xlsx",
    )
    upload = _upload(manager, path)
    real = defect_update
    calls = []

    def edited_meanwhile(**kwargs: Any) -> Defect:
        calls.append(kwargs["defect"].pk)
        if len(calls) == 3:
            # Someone saves the third defect between the plan and the apply.
            kwargs["expected_version"] -= 1
        return real(**kwargs)

    monkeypatch.setattr("issues.services.dfo_answers.defect_update", edited_meanwhile)
    with pytest.raises(ValidationError, match="Ingenting er endret"):
        dfo_answers_apply(actor=manager, upload=upload)
    assert set(Defect.objects.values_list("dfo_reference", flat=True)) == {""}
    assert not ImportBatch.objects.exists()


def test_the_same_answer_file_twice_changes_nothing(
    tmp_path: Path, reported: list[Defect], manager: User
) -> None:
    path = fill_in_by_header(
        _export(reported[:1]), {reported[0].key: {"DFØ-referanse": "A"}}, tmp_path / "a.xlsx"
    )
    dfo_answers_apply(actor=manager, upload=_upload(manager, path))
    version = Defect.objects.get(pk=reported[0].pk).version
    again = dfo_answers_apply(actor=manager, upload=_upload(manager, path))
    assert not again.created
    assert Defect.objects.get(pk=reported[0].pk).version == version


def test_a_sheet_without_key_and_version_is_refused(tmp_path: Path, manager: User) -> None:
    client = Client()
    client.force_login(manager)
    path = write_xlsx(tmp_path / "feil.xlsx", [row("a")])
    with path.open("rb") as handle:
        response = client.post(reverse("issues:dfo_answers_upload"), {"file": handle})
    page = client.get(response["Location"])
    assert page.status_code == 400
    assert "Finner ikke kolonnene" in page.content.decode()


def test_diff_page_and_apply_for_the_liaison(
    tmp_path: Path, reported: list[Defect], liaison: User, reporter: User
) -> None:
    path = fill_in_by_header(
        _export(reported[:1]), {reported[0].key: {"DFØ-status": "Løst"}}, tmp_path / "a.xlsx"
    )
    client = Client()
    client.force_login(liaison)
    with path.open("rb") as handle:
        response = client.post(reverse("issues:dfo_answers_upload"), {"file": handle})
    url = response["Location"]
    text = client.get(url).content.decode()
    assert "Rettet i release" in text
    assert Defect.objects.get(pk=reported[0].pk).status == DefectStatus.REPORTED
    applied = client.post(url)
    assert applied.status_code == 302
    assert Defect.objects.get(pk=reported[0].pk).status == DefectStatus.FIXED
    assert client.get(applied["Location"]).status_code == 200
    outsider = Client()
    outsider.force_login(reporter)
    assert outsider.get(reverse("issues:dfo_answers_upload")).status_code == 403
    assert outsider.get(url).status_code == 403
