"""Who a Feide user is: identity, realm -> institution, and the role rules (no provider needed)."""

import pytest
from django.contrib.auth.models import Group
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import FeideRealm, Institution, User
from issues.permissions import GROUP_LIAISON, GROUP_MANAGEMENT, GROUP_REPORTER
from issues.services.feide import (
    FeideProfile,
    FeideRefused,
    feide_user_login,
    profile_from_claims,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db

MANAGERS = "fc:org:ntnu.no:bott-forvaltning"


def profile(feide_id: str = "ingrid@ntnu.no", groups: list[str] | None = None) -> FeideProfile:
    return FeideProfile(
        feide_id=feide_id,
        name="Ingrid Berg",
        email="ingrid@ntnu.no",
        groups=None if groups is None else frozenset(groups),
    )


def roles(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


@pytest.mark.parametrize(
    ("claims", "feide_id"),
    [
        ({"userid_sec": ["feide:Ola@UiB.no"]}, "ola@uib.no"),
        ({"dataporten-userid_sec": ["nin:123", "feide:kari@uio.no"]}, "kari@uio.no"),
        ({"https://n.feide.no/claims/userid_sec": "feide:nils@uit.no"}, "nils@uit.no"),
    ],
)
def test_the_feide_identity_is_read_from_userid_sec(
    claims: dict[str, object], feide_id: str
) -> None:
    assert profile_from_claims({"name": "X", **claims}).feide_id == feide_id


@pytest.mark.parametrize(
    "claims", [{}, {"userid_sec": ["nin:01010112345"]}, {"userid_sec": ["feide:nobody"]}]
)
def test_claims_without_a_feide_identity_are_refused(claims: dict[str, object]) -> None:
    with pytest.raises(FeideRefused) as refused:
        profile_from_claims(claims)
    assert refused.value.reason == "no_feide_id"


def test_the_realm_table_decides_the_institution_and_is_data() -> None:
    assert set(FeideRealm.objects.values_list("realm", "institution__code")) == {
        ("uio.no", "UiO"),
        ("uib.no", "UiB"),
        ("ntnu.no", "NTNU"),
        ("uit.no", "UiT"),
    }
    FeideRealm.objects.create(
        realm="Student.NTNU.no", institution=Institution.objects.get(code="NTNU")
    )
    user = feide_user_login(profile=profile("per@student.ntnu.no"))
    assert user.institution == Institution.objects.get(code="NTNU")


def test_the_settings_override_wins_over_the_table(settings: SettingsWrapper) -> None:
    settings.OIDC_REALM_INSTITUTIONS = {"ntnu.no": "UiT"}
    assert feide_user_login(profile=profile()).institution == Institution.objects.get(code="UiT")


def test_an_unknown_realm_or_an_inactive_institution_creates_nothing() -> None:
    before = User.objects.count()
    with pytest.raises(FeideRefused) as refused:
        feide_user_login(profile=profile("eva@example.org"))
    assert (refused.value.reason, refused.value.identity) == ("realm", "eva@example.org")
    Institution.objects.filter(code="NTNU").update(active=False)
    with pytest.raises(FeideRefused):
        feide_user_login(profile=profile())
    assert User.objects.count() == before


def test_group_roles_are_given_and_never_taken_by_default(settings: SettingsWrapper) -> None:
    settings.OIDC_GROUP_ROLES = {MANAGERS: GROUP_MANAGEMENT}
    user = feide_user_login(profile=profile(groups=[MANAGERS]))
    assert roles(user) == {GROUP_REPORTER, GROUP_MANAGEMENT}
    user.groups.add(Group.objects.get(name=GROUP_LIAISON))  # given in the admin
    feide_user_login(profile=profile(groups=[]))
    feide_user_login(profile=profile(groups=None))
    assert roles(user) == {GROUP_REPORTER, GROUP_MANAGEMENT, GROUP_LIAISON}


def test_with_revoke_the_mapped_roles_follow_the_provider(settings: SettingsWrapper) -> None:
    settings.OIDC_GROUP_ROLES = {MANAGERS: GROUP_MANAGEMENT}
    settings.OIDC_GROUP_ROLES_REVOKE = True
    user = feide_user_login(profile=profile(groups=[MANAGERS]))
    user.groups.add(Group.objects.get(name=GROUP_LIAISON))
    feide_user_login(profile=profile(groups=None))
    # Only roles named in OIDC_GROUP_ROLES move; the reporter role and admin-only roles stay.
    assert roles(user) == {GROUP_REPORTER, GROUP_LIAISON}


def test_a_local_account_is_not_taken_over_by_its_name() -> None:
    make_user("management", username="ingrid@ntnu.no", institution="UiO")
    with pytest.raises(FeideRefused) as refused:
        feide_user_login(profile=profile())
    assert refused.value.reason == "username_taken"
    assert not User.objects.filter(feide_id="ingrid@ntnu.no").exists()


def test_a_deactivated_feide_user_stays_out() -> None:
    user = feide_user_login(profile=profile())
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(FeideRefused) as refused:
        feide_user_login(profile=profile())
    assert refused.value.reason == "inactive"
