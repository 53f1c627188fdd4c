"""Error pages in the app's layout and the user's language, and the header that orients."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from issues.models import User
from issues.views.error_pages import bad_request, server_error
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _client(user: User, language: str = "nb") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def test_a_reporter_on_a_management_page_is_told_which_role_is_needed() -> None:
    reporter = make_user("reporter", username="melder1")
    response = _client(reporter).get(reverse("issues:triage_queue"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Ingen tilgang" in page
    assert "Siden krever rollen forvaltning." in page
    assert 'href="/"' in page
    assert "BOTT-sporing" in page


def test_the_403_page_speaks_english_to_an_english_user() -> None:
    reporter = make_user("reporter")
    response = _client(reporter, "en").get(reverse("issues:escalation"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "No access" in page
    assert "management or DFØ liaison" in page
    assert '<html lang="en"' in page


@pytest.mark.parametrize(
    ("language", "text"), [("nb", "Fant ikke siden"), ("en", "Page not found")]
)
def test_404_is_in_the_layout_and_language(language: str, text: str) -> None:
    response = _client(make_user("reporter"), language).get("/finnes-ikke/")
    assert response.status_code == 404
    assert text in response.content.decode()


def test_400_and_500_pages_render_without_the_database_user() -> None:
    request = RequestFactory().get("/")
    with translation.override("en"):
        assert "could not be processed" in bad_request(request, ValueError()).content.decode()
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_header_names_user_university_role_and_marks_the_section() -> None:
    manager = make_user("management", username="leder", first_name="Kari", last_name="Nordmann")
    page = _client(manager).get(reverse("issues:triage_queue")).content.decode()
    assert "Kari Nordmann" in page
    assert str(manager.institution) in page
    assert "Forvaltning" in page
    assert f'<a href="{reverse("issues:triage_queue")}" aria-current="page">Triagekø</a>' in page
    assert page.count('aria-current="page"') == 1
    # One button switches the language: no select and separate "Bytt språk" button.
    assert 'name="language" value="en"' in page
    assert "Bytt språk" not in page


def test_a_reporter_sees_no_management_navigation() -> None:
    page = _client(make_user("reporter")).get(reverse("issues:home")).content.decode()
    assert reverse("issues:triage_queue") not in page
    assert reverse("issues:escalation") not in page
