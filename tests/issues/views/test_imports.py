"""The import pages and the management command: upload, mapping, dry run, confirm."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.forms.imports import value_key
from issues.imports import DEFECT_FIELDS, guess_columns
from issues.models import Area, Defect, ImportBatch, ImportUpload, User
from tests.factories import make_user
from tests.issues.import_files import HEADERS_NB, row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path: Path, settings: SettingsWrapper) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post_file(client: Client, path: Path) -> str:
    with path.open("rb") as handle:
        response = client.post(reverse("issues:import_upload"), {"file": handle})
    assert response.status_code == 302, response.content[:2000]
    return str(response["Location"])


def _columns() -> dict[str, str]:
    # What the page pre-selects from the Norwegian headers.
    return {f"col-{i}": name for i, name in guess_columns(HEADERS_NB, DEFECT_FIELDS).items()}


def test_mapping_dry_run_and_confirm(tmp_path: Path, manager: User) -> None:
    client = _client(manager)
    path = write_xlsx(tmp_path / "liste.xlsx", [row("Faktura", area="Innkjøp"), row("Lønn")])
    url = _post_file(client, path)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ukjente verdier" in text
    assert "«Innkjøp»" in text
    assert 'value="import"' not in text  # nothing to confirm while a row has an error
    assert not Defect.objects.exists()

    btb = Area.objects.get(code="BTB")
    data = {**_columns(), value_key("area", "innkjop"): str(btb.pk), "action": "check"}
    checked = client.post(url, data)
    assert checked.status_code == 200
    assert 'value="import"' in checked.content.decode()
    assert not Defect.objects.exists()

    done = client.post(url, {**data, "action": "import"})
    batch = ImportBatch.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("issues:import_batch", args=[batch.pk])
    assert set(Defect.objects.values_list("title", "area__code")) == {
        ("Faktura", "BTB"),
        ("Lønn", "BTB"),
    }
    summary = client.get(done["Location"]).content.decode()
    assert "Faktura" in summary
    assert batch.sha256 in summary

    again = client.post(_post_file(client, path), {**data, "action": "import"})
    assert again.status_code == 302
    assert Defect.objects.count() == 2
    assert ImportBatch.objects.count() == 1


def test_the_same_field_twice_keeps_the_choices_and_writes_nothing(
    tmp_path: Path, manager: User
) -> None:
    client = _client(manager)
    url = _post_file(client, write_csv(tmp_path / "a.csv", [row("a")]))
    data = {**_columns(), "col-1": "title", "action": "import"}
    response = client.post(url, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Samme felt er valgt for flere kolonner: Tittel." in text
    assert '<option value="title" selected>' in text
    assert not Defect.objects.exists()


def test_hostile_file_gets_a_message_and_writes_nothing(tmp_path: Path, manager: User) -> None:
    client = _client(manager)
    path = tmp_path / "kryptert.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    response = client.get(_post_file(client, path))
    assert response.status_code == 400
    assert "kryptert" in response.content.decode()
    assert not Defect.objects.exists()
    assert not ImportBatch.objects.exists()


def test_english_page(tmp_path: Path, manager: User) -> None:
    client = _client(manager)
    url = _post_file(client, write_csv(tmp_path / "a.csv", [row("a", deadline="31.02.2023")]))
    text = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Rows with errors" in text
    assert "is not a valid date" in text


@pytest.mark.parametrize("role", ["reporter", "liaison"])
def test_only_management_opens_the_import_pages(
    tmp_path: Path, role: str, request: pytest.FixtureRequest, manager: User
) -> None:
    own = _client(manager)
    url = _post_file(own, write_csv(tmp_path / "a.csv", [row("a")]))
    other = _client(request.getfixturevalue(role))
    assert other.get(reverse("issues:import_upload")).status_code == 403
    assert other.get(url).status_code == 403


def test_another_managers_upload_is_not_found(tmp_path: Path, manager: User) -> None:
    url = _post_file(_client(manager), write_csv(tmp_path / "a.csv", [row("a")]))
    assert _client(make_user("management")).get(url).status_code == 404


def test_command_dry_run_then_import_then_again(tmp_path: Path, manager: User) -> None:
    path = write_csv(tmp_path / "a.csv", [row("a"), row("b", area="Innkjøp")])
    with pytest.raises(CommandError, match="1 rader har feil"):
        call_command("import_defects", str(path), user=manager.username)
    assert not Defect.objects.exists()
    btb = Area.objects.get(code="BTB")
    value = f"area:Innkjøp={btb.pk}"
    call_command("import_defects", str(path), user=manager.username, dry_run=True, value=[value])
    assert not Defect.objects.exists()
    call_command("import_defects", str(path), user=manager.username, value=[value])
    assert Defect.objects.count() == 2
    call_command("import_defects", str(path), user=manager.username, value=[value])
    assert Defect.objects.count() == 2
    assert ImportUpload.objects.count() == 1  # the same file, kept once per user
    # The next file from the same university: the value chosen last time still holds.
    later = write_csv(tmp_path / "b.csv", [row("c", area="Innkjøp")])
    call_command("import_defects", str(later), user=manager.username)
    assert Defect.objects.get(title="c").area == btb


def test_command_refuses_hostile_files(tmp_path: Path, manager: User) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes("Tittel;Område\r\n".encode("utf-16"))
    with pytest.raises(CommandError, match="Tegnkodingen"):
        call_command("import_defects", str(path), user=manager.username)
    assert not Defect.objects.exists()


def test_the_next_import_from_the_same_university_starts_from_its_last_mapping(
    tmp_path: Path, manager: User
) -> None:
    headers = ["Sak", *HEADERS_NB[1:]]
    assert 0 not in guess_columns(headers, DEFECT_FIELDS)  # "Sak" must be chosen by hand
    btb = Area.objects.get(code="BTB")
    first = _post_file(
        _client(manager),
        write_csv(tmp_path / "ntnu-1.csv", [row("Faktura", area="Innkjøp")], headers=headers),
    )
    chosen = {**_columns(), "col-0": "title", value_key("area", "innkjop"): str(btb.pk)}
    assert _client(manager).post(first, {**chosen, "action": "import"}).status_code == 302

    # A colleague at the same university, with the columns in another order.
    colleague = make_user("management", institution="NTNU")
    moved = [headers[1], headers[0], *headers[2:]]
    second = write_csv(
        tmp_path / "ntnu-2.csv",
        [["Beskrivelse", "Ordre", *row("x", area="Innkjøp")[2:]]],
        headers=moved,
    )
    page = _client(colleague).get(_post_file(_client(colleague), second))
    form = page.context["form"]
    assert form["col-1"].value() == "title"
    assert form["col-0"].value() == "description"
    assert form[value_key("area", "innkjop")].value() == str(btb.pk)
    text = page.content.decode()
    assert "Valgene er hentet fra forrige import fra samme universitet, ntnu-1.csv" in text
    assert 'value="import"' in text  # nothing left to choose

    # Another university starts from the guess.
    other = make_user("management", institution="UiO")
    page = _client(other).get(_post_file(_client(other), second))
    assert page.context["form"]["col-1"].value() in ("", None)
    assert "Valgene er hentet" not in page.content.decode()
