import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import AffectsUs, Area, Attachment, Category, Defect, User
from issues.services.defects import defect_override_tier, defect_transition
from priorities.rules import FACT_NAMES
from tests.factories import make_defect, session_queries
from tests.issues import files
from tests.issues.pd_numbers import first_national_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report_data(**overrides: Any) -> dict[str, Any]:
    area = Area.objects.get(code="BTB")
    data: dict[str, Any] = {
        "form_token": uuid.uuid4().hex,
        "area": area.pk,
        "category": Category.objects.filter(area=area).first().pk,  # type: ignore[union-attr]
        "system": "",
        "institution": "",
        "unit": "",
        "kind": "feil",
        "title": "Fakturaen avvises uten begrunnelse",
        "description": "Skjer ved **attestering**.",
        "extra_hours_per_week": "2,5",
        "people_affected": "4",
        "workaround": "",
        "workaround_hours_per_week": "",
        "deadline": "",
        **dict.fromkeys(FACT_NAMES, "nei"),
    }
    data.update(overrides)
    return data


def post_report(client: Client, user: User, **overrides: Any) -> Any:
    data = report_data(institution=user.institution_id, **overrides)
    return client.post(reverse("issues:report_new"), data)


def test_report_is_filed_and_the_tier_with_reasons_shown(reporter: User) -> None:
    client = client_for(reporter)
    response = post_report(client, reporter, blocks_supplier_payment="ja", frustration="ja")
    defect = Defect.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("issues:report_done", kwargs={"pk": defect.pk})
    assert defect.tier == 1
    assert defect.people_affected == 4
    assert str(defect.extra_hours_per_week) == "2.50"
    page = client.get(response["Location"]).content.decode()
    assert "Nivå 1" in page
    assert "Hindrer betaling til leverandører innen frist" in page


def test_form_prefills_institution_and_unit_from_the_profile(reporter: User) -> None:
    page = client_for(reporter).get(reverse("issues:report_new")).content.decode()
    assert f'<option value="{reporter.institution_id}" selected>' in page
    assert 'name="form_token"' in page


def test_bad_input_keeps_what_was_typed_and_explains(reporter: User) -> None:
    client = client_for(reporter)
    upload = SimpleUploadedFile("skjerm.png", files.png_bytes(), "image/png")
    data = report_data(
        institution=reporter.institution_id,
        title="Fakturaen avvises igjen",
        people_affected="0",
        extra_hours_per_week="mange",
        blocks_pay="",
        attachments=upload,
    )
    response = client.post(reverse("issues:report_new"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert Defect.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert 'value="Fakturaen avvises igjen"' in page
    assert "Minst én person er berørt." in page
    assert "Skriv et tall" in page
    assert "Svar ja eller nei." in page
    # Issue 12: a file that passed its checks is kept with the form, not lost.
    assert "skjerm.png" in page
    assert "tatt vare på" in page
    assert "Velg filene på nytt" not in page


def test_category_must_belong_to_the_area(reporter: User) -> None:
    other = Category.objects.exclude(area__code="BTB").first()
    assert other is not None
    response = post_report(client_for(reporter), reporter, category=other.pk)
    assert response.status_code == 400
    assert Defect.objects.count() == 0


def test_categories_follow_the_area(reporter: User) -> None:
    area = Area.objects.get(code="TOA")
    page = client_for(reporter).get(reverse("issues:report_categories"), {"area": area.pk})
    text = page.content.decode()
    assert "Signering" in text
    assert "Varemottak" not in text


def test_category_picked_before_the_swap_is_kept_if_it_fits(reporter: User) -> None:
    area = Area.objects.get(code="TOA")
    signing = Category.objects.get(area=area, code="signering")
    client = client_for(reporter)
    url = reverse("issues:report_categories")
    kept = client.get(url, {"area": area.pk, "category": signing.pk}).content.decode()
    assert f'<option value="{signing.pk}" selected>' in kept
    other = Category.objects.get(area__code="BTB", code="varemottak")
    response = client.get(url, {"area": area.pk, "category": other.pk})
    dropped = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{signing.pk}">' in dropped  # the area's choices, none picked
    assert "selected" not in dropped


def test_double_submit_files_one_defect(reporter: User) -> None:
    client = client_for(reporter)
    data = report_data(institution=reporter.institution_id)
    first = client.post(reverse("issues:report_new"), data)
    second = client.post(reverse("issues:report_new"), data)
    assert Defect.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_personal_data_is_pointed_out_and_masked_on_confirmation(reporter: User) -> None:
    fnr = first_national_id("150385")
    client = client_for(reporter)
    description = f"Lønn for ansatt {fnr} mangler"
    response = post_report(client, reporter, description=description)
    page = response.content.decode()
    assert response.status_code == 400
    assert Defect.objects.count() == 0
    assert f"«{fnr}» i beskrivelse" in page
    assert "Masker numrene" in page
    response = post_report(client, reporter, description=description, mask_personal_data="on")
    assert response.status_code == 302
    defect = Defect.objects.get()
    assert fnr not in defect.description
    assert "***********" in defect.description


def test_attachment_is_stored_and_downloaded_with_safe_headers(reporter: User) -> None:
    client = client_for(reporter)
    upload = SimpleUploadedFile("skjerm.png", files.png_bytes(), "text/html")
    # The file moves into place when the report commits (issue 16).
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = post_report(client, reporter, attachments=upload)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"  # from the content, not the browser's claim
    url = reverse("issues:attachment_download", args=[attachment.defect_id, attachment.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == files.png_bytes()  # type: ignore[attr-defined]


def test_spoofed_attachment_is_refused_and_nothing_written(reporter: User) -> None:
    upload = SimpleUploadedFile("skjerm.png", b"<html><script>x</script></html>", "image/png")
    response = post_report(client_for(reporter), reporter, attachments=upload)
    assert response.status_code == 400
    assert "innholdet er ikke en gyldig png-fil" in response.content.decode()
    assert Defect.objects.count() == 0


def test_suggestions_are_posted_never_put_in_a_url(reporter: User) -> None:
    """The title may hold a national ID number: it must not travel in a URL (access logs)."""
    client = client_for(reporter)
    url = reverse("issues:report_suggestions")
    assert client.get(url, {"title": "faktura"}).status_code == 405
    form = client.get(reverse("issues:report_new")).content.decode()
    assert f'hx-post="{url}"' in form
    assert f'hx-get="{url}"' not in form


def test_suggestions_and_affects_us_too(reporter: User, other_reporter: User) -> None:
    known = make_defect(other_reporter, title="Fakturaer blir liggende i arbeidsflyt")
    client = client_for(reporter)
    page = client.post(reverse("issues:report_suggestions"), {"title": "faktura"})
    assert known.key in page.content.decode()
    response = client.post(
        reverse("issues:affects_us", args=[known.pk]), headers={"HX-Request": "true"}
    )
    assert "gjelder oss også" in response.content.decode()
    record = AffectsUs.objects.get(defect=known)
    assert record.user == reporter
    assert record.institution_id == reporter.institution_id
    known.refresh_from_db()
    assert known.institutions_affected == 2


def test_comment_markdown_is_sanitised_on_the_page(reporter: User) -> None:
    defect = make_defect(reporter)
    client = client_for(reporter)
    body = "**viktig** <script>alert(1)</script> [x](javascript:alert(2))"
    client.post(reverse("issues:comment_add", args=[defect.pk]), {"body": body})
    page = client.get(defect.get_absolute_url()).content.decode()
    assert "<strong>viktig</strong>" in page
    assert "alert(1)" not in page
    assert "javascript:alert" not in page


def test_follow_and_unfollow(reporter: User, other_reporter: User) -> None:
    defect = make_defect(other_reporter)
    client = client_for(reporter)
    client.post(reverse("issues:follow", args=[defect.pk]), {"follow": "1"})
    assert defect.follows.filter(user=reporter).exists()
    assert defect.key in client.get(reverse("issues:followed_defects")).content.decode()
    client.post(reverse("issues:follow", args=[defect.pk]), {"follow": "0"})
    assert not defect.follows.filter(user=reporter).exists()


def test_override_is_shown_beside_the_rule(reporter: User, manager: User) -> None:
    defect = make_defect(reporter, facts={"frustration": True})
    defect_override_tier(
        defect=defect, actor=manager, tier=1, reason="Stopper lønnskjøringen", expected_version=None
    )
    page = client_for(reporter).get(defect.get_absolute_url()).content.decode()
    assert "Stopper lønnskjøringen" in page
    assert "Regelen ga: Nivå 3" in page
    assert manager.username in page


class TestConfidentialDefectsStayHidden:
    """Each absence is checked on a page that shows the same kind of defect when it is visible."""

    @pytest.fixture
    def visible(self, other_reporter: User, manager: User) -> Defect:
        # Made first: a smaller number, so its key never contains the secret's (BOTT-1, BOTT-12).
        defect = make_defect(other_reporter, title="Synlig fakturaproblem")
        defect_transition(defect=defect, actor=manager, to_status="triaged")
        services_attach(defect, other_reporter)
        return defect

    @pytest.fixture
    def secret(self, other_reporter: User, manager: User, visible: Defect) -> Defect:
        defect = make_defect(other_reporter, title="Hemmelig fakturaproblem", confidential=True)
        defect_transition(defect=defect, actor=manager, to_status="triaged")
        services_attach(defect, other_reporter)
        return defect

    def test_not_in_suggestions(self, reporter: User, secret: Defect, visible: Defect) -> None:
        page = client_for(reporter).post(
            reverse("issues:report_suggestions"), {"title": "fakturaproblem"}
        )
        assert page.status_code == 200
        assert visible.key in page.content.decode()
        assert "Hemmelig" not in page.content.decode()

    def test_not_in_known_defects(self, reporter: User, secret: Defect, visible: Defect) -> None:
        for params in ({}, {"q": "hemmelig"}, {"q": "fakturaproblem"}):
            response = client_for(reporter).get(reverse("issues:home"), params)
            page = response.content.decode()
            assert response.status_code == 200
            assert "Kjente feil og løsninger" in page
            if params.get("q") != "hemmelig":
                assert visible.key in page, params
            assert "Hemmelig" not in page
            assert secret.key not in page

    def test_page_attachment_and_actions_are_404(
        self, reporter: User, secret: Defect, visible: Defect
    ) -> None:
        client = client_for(reporter)

        def urls(defect: Defect) -> tuple[str, ...]:
            attachment = defect.attachments.get()
            return (
                defect.get_absolute_url(),
                reverse("issues:report_done", args=[defect.pk]),
                reverse("issues:attachment_download", args=[defect.pk, attachment.pk]),
            )

        # The same pages of a visible defect answer: the 404s below are about confidentiality.
        for url in urls(visible):
            assert client.get(url).status_code == 200, url
        for url in urls(secret):
            assert client.get(url).status_code == 404
        for name in ("affects_us", "follow", "comment_add"):
            assert client.post(reverse(f"issues:{name}", args=[secret.pk])).status_code == 404
        assert not secret.follows.filter(user=reporter).exists()

    def test_not_in_my_or_followed_pages(
        self, reporter: User, secret: Defect, visible: Defect
    ) -> None:
        # A follow made while it was visible must not leak it once it is confidential.
        secret.follows.create(user=reporter, created_at=secret.created_at)
        visible.follows.create(user=reporter, created_at=visible.created_at)
        own = make_defect(reporter, title="Egen fakturasak")
        client = client_for(reporter)
        for name, shown in (("my_defects", own), ("followed_defects", visible)):
            response = client.get(reverse(f"issues:{name}"))
            assert response.status_code == 200
            assert shown.title in response.content.decode()
            assert "Hemmelig" not in response.content.decode()

    def test_the_reporter_and_management_see_it(
        self, other_reporter: User, manager: User, secret: Defect
    ) -> None:
        for user in (other_reporter, manager):
            assert client_for(user).get(secret.get_absolute_url()).status_code == 200
        page = client_for(other_reporter).get(reverse("issues:my_defects")).content.decode()
        assert "Hemmelig" in page


def services_attach(defect: Defect, user: User) -> Attachment:
    from issues.services.attachments import attachment_add

    # The file moves from staging into place when the transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return attachment_add(
            defect=defect, actor=user, upload=SimpleUploadedFile("a.pdf", files.pdf_bytes())
        )


@pytest.mark.parametrize("name", ["home", "my_defects", "followed_defects"])
def test_list_queries_do_not_grow_with_page_size(
    name: str, reporter: User, manager: User, django_assert_max_num_queries: Any
) -> None:
    client = client_for(reporter)
    client.get(reverse(f"issues:{name}"))  # warm up session/user caches
    for n in (2, 30):
        for _ in range(n):
            defect = make_defect(reporter, workaround="Bruk manuell faktura")
            defect_transition(defect=defect, actor=manager, to_status="triaged")
            defect.follows.get_or_create(user=reporter, defaults={"created_at": defect.created_at})
        # The session's queries, the rows and their capped count; the start page adds its filter
        # form's three choice lists and two constant queries: the university's open fix
        # confirmations and the routines of the defects shown.
        with django_assert_max_num_queries(session_queries() + (7 if name == "home" else 2)):
            response = client.get(reverse(f"issues:{name}"))
        assert response.status_code == 200
        assert response.content.decode().count('class="ds-card defect-card"') == min(
            Defect.objects.count(), 25
        )
