"""The audit log: tier overrides and exports are recorded; the admin shows it read-only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.test.client import RequestFactory

from issues.models import AuditEvent, User
from issues.services.audit import EXPORT, TIER_OVERRIDE, audit_record, client_ip
from issues.services.defects import defect_override_tier
from tests.factories import make_defect, make_user
from tests.issues.pd_numbers import first_national_id

pytestmark = pytest.mark.django_db


def test_tier_override_is_audited_with_previous_tier_and_masked_reason(
    reporter: User, manager: User
) -> None:
    defect = make_defect(reporter)
    national_id = first_national_id("010170")
    defect_override_tier(
        defect=defect,
        actor=manager,
        tier=1,
        reason=f"Stopper lønn for {national_id} og flere",
        expected_version=defect.version,
    )
    defect_override_tier(
        defect=defect, actor=manager, tier=None, reason="Tilbake til regelen", expected_version=None
    )
    first, second = AuditEvent.objects.filter(action=TIER_OVERRIDE).order_by("id")
    assert first.actor == manager
    assert first.actor_name == manager.username
    assert first.target == defect.key
    assert first.details["tier"] == 1
    assert first.details["previous_tier"] is None
    assert national_id not in first.details["reason"]
    assert second.details == {"tier": None, "previous_tier": 1, "reason": "Tilbake til regelen"}


def test_a_refused_override_leaves_no_audit_event(reporter: User) -> None:
    defect = make_defect(reporter)
    with pytest.raises(PermissionDenied):
        defect_override_tier(
            defect=defect, actor=reporter, tier=1, reason="x", expected_version=None
        )
    assert not AuditEvent.objects.exists()


def test_export_records_what_was_exported_and_from_where(manager: User) -> None:
    request = RequestFactory().get("/eksport/", REMOTE_ADDR="10.1.2.3")
    event = audit_record(
        actor=manager,
        action=EXPORT,
        target="defects",
        details={"format": "csv", "filters": {"tier": "1"}, "rows": 12},
        request=request,
    )
    assert (event.action, event.target, event.ip) == ("export", "defects", "10.1.2.3")
    assert event.details["rows"] == 12


def test_forwarded_address_is_trusted_only_from_our_own_proxies(settings: object) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7"
    )
    settings.TRUSTED_PROXY_COUNT = 0  # type: ignore[attr-defined]
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    assert client_ip(request) == "192.0.2.7"


def test_admin_shows_the_audit_log_read_only(manager: User) -> None:
    event = audit_record(actor=manager, action=EXPORT, target="defects")
    admin = make_user(None, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    listing = client.get("/admin/issues/auditevent/")
    assert listing.status_code == 200
    assert "export" in listing.content.decode()
    assert client.get("/admin/issues/auditevent/add/").status_code == 403
    detail = client.get(f"/admin/issues/auditevent/{event.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.post(f"/admin/issues/auditevent/{event.pk}/delete/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
