"""The pages' one mapping from domain errors to responses (issues/views/errors.py)."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.test import RequestFactory

from issues.errors import ConcurrentEdit, TransitionNotAllowed
from issues.models import ApiToken
from issues.views.errors import domain_errors


class NameForm(forms.Form):
    name = forms.CharField()


def _request() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _messages(request: HttpRequest) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_nothing_raised_is_no_failure() -> None:
    with domain_errors(_request()) as failure:
        pass
    assert not failure
    assert failure.status == 0


def test_field_errors_go_onto_the_form_and_the_rest_onto_the_form_as_a_whole() -> None:
    request, form = _request(), NameForm({"name": "x"})
    assert form.is_valid()
    with domain_errors(request, form=form) as failure:
        raise ValidationError({"name": "Opptatt.", "token": "Utløpt."})
    assert failure.status == 400
    assert form.errors["name"] == ["Opptatt."]
    assert form.non_field_errors() == ["Utløpt."]
    assert _messages(request) == []


def test_errors_about_no_field_go_to_the_messages() -> None:
    request = _request()
    with domain_errors(request, form=NameForm({})) as failure:
        raise TransitionNotAllowed(from_status="new", to_status="closed", allowed=["triaged"])
    assert failure.status == 400
    assert "Kan ikke gå fra «Ny» til «Lukket»" in _messages(request)[0]


def test_without_flash_the_message_is_left_for_the_page() -> None:
    request = _request()
    with domain_errors(request, flash=False) as failure:
        raise ValidationError({"canonical": "Samme sak."})
    assert (failure.status, failure.message) == (400, "Samme sak.")
    assert _messages(request) == []


def test_a_conflict_is_409_and_kept_for_the_page() -> None:
    request = _request()
    conflict = ConcurrentEdit(expected_version=1, current_version=2, changed=["title"])
    with domain_errors(request) as failure:
        raise conflict
    assert (failure.status, failure.conflict) == (409, conflict)
    assert _messages(request) == []


def test_a_refusal_with_a_reason_is_shown_and_a_bare_one_is_403() -> None:
    request = _request()
    with domain_errors(request) as failure:
        raise PermissionDenied("Du kan ikke endre: owner")
    assert failure.status == 400
    assert _messages(request) == ["Du kan ikke endre: owner"]
    with pytest.raises(PermissionDenied), domain_errors(_request()):
        raise PermissionDenied
    with domain_errors(request, denied="Ikke for deg.") as failure:
        raise PermissionDenied
    assert failure.message == "Ikke for deg."


def test_an_object_not_found_is_404() -> None:
    with pytest.raises(Http404), domain_errors(_request()):
        raise ApiToken.DoesNotExist
