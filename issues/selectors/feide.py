"""Reads for Feide login: which institution a Feide realm belongs to."""

from django.conf import settings

from issues.models import FeideRealm, Institution


def institution_for_realm(realm: str) -> Institution | None:
    """The active institution of a realm: ``OIDC_REALM_INSTITUTIONS`` first, then the admin's data.

    None for a realm outside the four universities (or of an institution switched off).
    """
    realm = realm.strip().lower()
    code = settings.OIDC_REALM_INSTITUTIONS.get(realm)
    if code is not None:
        return Institution.objects.filter(code=code, active=True).first()
    row = FeideRealm.objects.select_related("institution").filter(realm=realm).first()
    if row is None or not row.institution.active:
        return None
    return row.institution
