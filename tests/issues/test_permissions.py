import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from issues import permissions
from issues.models import User
from issues.selectors.defects import defect_detail
from issues.services.comments import comment_create
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db


def test_confidential_defect_is_visible_only_to_reporter_management_and_liaison(
    reporter: User, other_reporter: User, manager: User, liaison: User
) -> None:
    secret = make_defect(reporter, confidential=True, title="Hemmelig lønnssak")
    public = make_defect(other_reporter, title="Åpen fakturasak")
    cases: list[tuple[User | AnonymousUser, bool]] = [
        (reporter, True),
        (manager, True),
        (liaison, True),
        (other_reporter, False),
        (AnonymousUser(), False),
    ]
    for user, sees_secret in cases:
        visible = set(permissions.visible_defects(user).values_list("pk", flat=True))
        assert (secret.pk in visible) is sees_secret
        assert permissions.can_view_defect(user, secret) is sees_secret
        if sees_secret:
            assert permissions.get_visible_defect_or_404(user, secret.pk) == secret
        else:
            with pytest.raises(Http404):
                permissions.get_visible_defect_or_404(user, secret.pk)
        # The anonymous user sees nothing at all, not even public defects.
        assert (public.pk in visible) is user.is_authenticated


def test_hidden_and_missing_look_the_same(other_reporter: User, reporter: User) -> None:
    secret = make_defect(reporter, confidential=True)
    for pk in (secret.pk, 999_999, "abc"):
        with pytest.raises(Http404):
            defect_detail(user=other_reporter, pk=pk)


def test_inactive_user_sees_nothing(reporter: User) -> None:
    make_defect(reporter)
    assert permissions.visible_defects(reporter).exists()  # active, they see their own
    reporter.is_active = False
    assert not permissions.visible_defects(reporter).exists()


def test_internal_comments_hidden_from_reporters(reporter: User, manager: User) -> None:
    defect = make_defect(reporter)
    comment_create(defect=defect, author=manager, body="Intern vurdering", internal=True)
    comment_create(defect=defect, author=manager, body="Til alle")
    assert [c.body for c in permissions.visible_comments(reporter, defect)] == ["Til alle"]
    assert len(permissions.visible_comments(manager, defect)) == 2


def test_allowed_transitions_depend_on_role(reporter: User, manager: User, liaison: User) -> None:
    defect = make_defect(reporter)
    assert permissions.allowed_transitions(reporter, defect) == ()
    assert set(permissions.allowed_transitions(manager, defect)) == {
        "triaged",
        "rejected",
        "duplicate",
    }
    assert permissions.allowed_transitions(liaison, defect) == ()


def test_superuser_counts_as_management() -> None:
    admin = make_user(None, is_superuser=True)
    assert permissions.is_management(admin)


def test_role_groups_are_cached_per_request_object(
    reporter: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    user = User.objects.get(pk=reporter.pk)
    permissions.is_management(user)
    with django_assert_num_queries(0):
        permissions.is_management(user)
        permissions.is_liaison(user)


@pytest.mark.postgres
def test_session_user_comes_with_their_groups(
    manager: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        user = permissions.user_with_groups(manager.pk)
        assert user is not None
        assert permissions.is_management(user)
        assert not permissions.is_liaison(user)
    groupless = make_user(None)
    loaded = permissions.user_with_groups(groupless.pk)
    assert loaded is not None
    assert loaded._bott_groups == frozenset()  # type: ignore[attr-defined]
    assert permissions.user_with_groups(-1) is None


def test_a_removed_role_stops_working_at_the_next_request(manager: User) -> None:
    client = Client()
    client.force_login(manager)
    url = reverse("issues:triage_queue")
    assert client.get(url).status_code == 200
    manager.groups.clear()
    assert client.get(url).status_code == 403
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    # An inactive user's session no longer loads a user at all: back to the login page.
    assert client.get(url).status_code == 302
