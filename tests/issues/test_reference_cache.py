"""Choice lists under the reference version (migration 0017, issue 17): only writes to the
reference tables move it, so an edit of a defect keeps the lists cached and a new area or release
shows at once."""

from importlib import import_module
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings as SettingsWrapper

from issues import page_cache
from issues.models import Area, Defect, Release
from issues.services.participation import affects_us_add
from tests.factories import make_defect, make_user
from tests.issues.test_page_cache import _bumps, tables_read, tables_with_trigger

REFERENCE_TABLES = import_module("issues.migrations.0017_reference_version").TABLES

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _reference_bumps(write: object) -> bool:
    return _bumps(write, page_cache.reference_version)


def test_only_writes_to_reference_tables_move_the_reference_version() -> None:
    reporter = make_user("reporter", institution="UiO")
    defect = make_defect(reporter, title="Faktura stopper")
    assert not _reference_bumps(lambda: make_defect(reporter))
    assert not _reference_bumps(lambda: Defect.objects.filter(pk=defect.pk).update(title="Ny"))
    assert not _reference_bumps(
        lambda: affects_us_add(defect=defect, user=make_user("reporter", institution="UiB"))
    )
    assert _reference_bumps(lambda: Area.objects.filter(code="BTB").update(name_nb="BtB!"))
    assert _reference_bumps(lambda: Release.objects.create(name="2026.12"))

    def raw_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE issues_system SET name_en = name_en || '!'")

    assert _reference_bumps(raw_sql)


def test_every_reference_table_has_its_trigger() -> None:
    assert tables_with_trigger("%_reference_version%") == set(REFERENCE_TABLES)


def test_choice_lists_read_only_tables_that_move_the_reference_version(
    settings: SettingsWrapper,
) -> None:
    """Otherwise a change there would be shown late: the choice lists outlive defect edits."""
    from issues.filter_display import cached_choices
    from issues.filters import DefectFilter
    from issues.forms.triage import BulkForm, DefectTriageForm

    settings.PAGE_CACHE = False
    defect = make_defect(make_user("reporter"), title="Faktura stopper")
    forms = (DefectFilter(data={}).form, BulkForm(), DefectTriageForm(instance=defect))
    with CaptureQueriesContext(connection) as queries:
        cached_choices(*forms)
    read = tables_read(queries)
    assert read >= {"issues_area", "issues_release", "issues_orgunit"}
    assert read <= set(REFERENCE_TABLES)


def test_a_defect_edit_keeps_the_choice_lists_a_new_area_replaces_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from issues import filter_display

    built: list[str] = []
    original = filter_display._model_pairs

    def spy(field: Any, objects: Any) -> Any:
        built.append(type(field).__name__)
        return original(field, objects)

    monkeypatch.setattr(filter_display, "_model_pairs", spy)
    manager = make_user("management", username="leder")
    defect = make_defect(make_user("reporter"), title="Faktura stopper")
    client = Client()
    client.force_login(manager)
    pages = ("/triage/", "/triage/mote/", "/", f"/triage/feil/{defect.pk}/")

    def render(url: str) -> str:
        built.clear()
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    for url in pages:
        render(url)
        assert built or url != "/triage/", "the first render builds the choice lists"
    Defect.objects.filter(pk=defect.pk).update(title="Faktura avvist")  # a new data version
    for url in pages:
        page = render(url)
        assert "Faktura avvist" in page or url == "/"
        assert not built, f"{url} built {built} again after a defect edit"
    Area.objects.create(code="NYTT", name_nb="Nytt område", name_en="New area", order=99)
    for url in pages:
        page = render(url)
        assert "Nytt område" in page, f"{url} does not offer the new area"


def test_a_list_narrowed_per_user_is_never_another_users() -> None:
    """The report form offers a reporter only their own institution: cached by its query, each
    reporter's list is their own, though the form class and field are the same."""
    from issues.filter_display import cached_choices
    from issues.forms.reporting import ReportForm

    offered: dict[str, list[list[str]]] = {}
    for code in ("UiO", "UiB", "UiO"):
        form = ReportForm(user=make_user("reporter", institution=code))
        cached_choices(form)
        offered.setdefault(code, []).append(
            [label for value, label in form.fields["institution"].widget.choices if value]
        )
    assert offered == {"UiO": [["UiO"], ["UiO"]], "UiB": [["UiB"]]}
