"""Who a Feide user is: the Feide identity is the key, the realm decides the institution.

A first login creates the user as a reporter (Melder) at the realm's institution; every login
refreshes name and e-mail. Roles beyond reporter come from the admin, or from provider groups
named in ``OIDC_GROUP_ROLES``; a login takes none away unless ``OIDC_GROUP_ROLES_REVOKE`` says so.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from issues.models import User
from issues.permissions import GROUP_REPORTER
from issues.selectors.feide import institution_for_realm
from issues.text import clean_text, is_clean

# Where Feide puts the ``feide:user@realm`` identity: the userinfo answer (``userid_sec`` or,
# from Dataporten, ``dataporten-userid_sec``) or Feide's extended ID-token claim.
USERID_CLAIMS = ("userid_sec", "dataporten-userid_sec", "https://n.feide.no/claims/userid_sec")
FEIDE_PREFIX = "feide:"


class FeideRefused(Exception):
    """The provider vouched for the person, but the tracker does not let them in."""

    def __init__(self, reason: str, identity: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.identity = identity


@dataclass(frozen=True)
class FeideProfile:
    feide_id: str
    name: str
    email: str
    # None: the login carried no groups claim at all (not the same as "in no group").
    groups: frozenset[str] | None

    @property
    def realm(self) -> str:
        return self.feide_id.rsplit("@", 1)[1]


def _feide_id(claims: Mapping[str, Any]) -> str | None:
    for name in USERID_CLAIMS:
        values = claims.get(name)
        if isinstance(values, str):
            values = [values]
        for value in values or []:
            # An identity with a control character is no Feide identity; stored cleaned it would
            # no longer match the next login's (and PostgreSQL refuses NUL in the lookup).
            if not isinstance(value, str) or not is_clean(value):
                continue
            if value.lower().startswith(FEIDE_PREFIX):
                identity = value[len(FEIDE_PREFIX) :].strip().lower()
                user, _at, realm = identity.rpartition("@")
                if user and realm:
                    return identity
    return None


def _groups(claims: Mapping[str, Any]) -> frozenset[str] | None:
    raw = claims.get(settings.OIDC_GROUPS_CLAIM)
    if raw is None:
        return None
    items: Iterable[Any] = [raw] if isinstance(raw, str | dict) else raw
    # Feide's groups API answers objects with an "id"; a plain claim is a list of ids.
    return frozenset(str(item.get("id")) if isinstance(item, dict) else str(item) for item in items)


def profile_from_claims(claims: Mapping[str, Any]) -> FeideProfile:
    """The verified claims (ID token and userinfo, merged) as a profile; refuses without an id."""
    feide_id = _feide_id(claims)
    if feide_id is None:
        raise FeideRefused("no_feide_id")
    return FeideProfile(
        feide_id=feide_id,
        name=clean_text(str(claims.get("name") or "")).strip(),
        email=clean_text(str(claims.get("email") or "")).strip(),
        groups=_groups(claims),
    )


def _split_name(name: str) -> tuple[str, str]:
    # Feide sends one display name; the last word is the family name, as Norwegian names go.
    first, _space, last = name.rpartition(" ")
    return (first, last) if first else (name, "")


def _apply_group_roles(user: User, groups: frozenset[str] | None) -> None:
    mapping: dict[str, str] = settings.OIDC_GROUP_ROLES
    if not mapping:
        return
    if groups is None and not settings.OIDC_GROUP_ROLES_REVOKE:
        return
    member_of = groups or frozenset()
    granted = {role for group_id, role in mapping.items() if group_id in member_of}
    if granted:
        user.groups.add(*Group.objects.filter(name__in=granted))
    if settings.OIDC_GROUP_ROLES_REVOKE:
        revoked = set(mapping.values()) - granted - {GROUP_REPORTER}
        user.groups.remove(*Group.objects.filter(name__in=revoked))


@transaction.atomic
def feide_user_login(*, profile: FeideProfile) -> User:
    """Find or create the user of a verified Feide profile and refresh what Feide owns.

    Raises ``FeideRefused`` (nothing written) for a realm outside the universities, a
    deactivated user, or a username already held by a local account.
    """
    institution = institution_for_realm(profile.realm)
    if institution is None:
        raise FeideRefused("realm", profile.feide_id)
    first_name, last_name = _split_name(profile.name)
    user = User.objects.select_for_update().filter(feide_id=profile.feide_id).first()
    if user is None:
        if User.objects.filter(username__iexact=profile.feide_id).exists():
            # Never take over a local account by its name: an administrator links them.
            raise FeideRefused("username_taken", profile.feide_id)
        user = User(username=profile.feide_id, feide_id=profile.feide_id)
        user.set_unusable_password()
        created = True
    else:
        if not user.is_active:
            raise FeideRefused("inactive", profile.feide_id)
        created = False
    user.first_name, user.last_name = first_name[:150], last_name[:150]
    user.email = profile.email[:254]
    user.institution = institution
    user.save()
    if created:
        user.groups.add(Group.objects.get(name=GROUP_REPORTER))
    _apply_group_roles(user, profile.groups)
    return user
