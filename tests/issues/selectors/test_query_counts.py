"""Issue 17: the slow pages run as many queries at 5 defects as at 60, at any page size."""

from typing import Any

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from issues.models import Defect, Release, User
from issues.models.triage import untriaged_first
from issues.selectors.defects import RANK_ORDER
from issues.selectors.triage import triage_queryset
from issues.services.comments import comment_create
from tests.factories import make_defect

pytestmark = pytest.mark.django_db

PAGES = [
    ("issues:triage_queue", {}),
    ("issues:triage_queue", {"status": "new", "tier": "3"}),
    ("issues:triage_queue", {"q": "faktura"}),
    ("issues:home", {"q": "faktura"}),
    ("issues:dashboard", {}),
    ("issues:triage_meeting", {}),
]


def _add(reporter: User, n: int, release: Release) -> None:
    for i in range(n):
        defect = make_defect(reporter, title=f"Faktura {i}", facts={"blocks_pay": i % 3 == 0})
        Defect.objects.filter(pk=defect.pk).update(target_release=release)
        comment_create(defect=defect, author=reporter, body=f"Samme her {i}")


def _count(client: Client, name: str, params: dict[str, Any]) -> int:
    client.get(reverse(name), params)  # warm per-process caches (content types, groups)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name), params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("name", "params"), PAGES)
def test_queries_do_not_grow_with_data_or_page_size(
    name: str,
    params: dict[str, Any],
    reporter: User,
    manager: User,
    django_assert_max_num_queries: Any,
) -> None:
    release = Release.objects.create(name="R1")
    _add(reporter, 5, release)
    client = Client()
    client.force_login(manager)
    small = _count(client, name, params)
    _add(reporter, 55, release)
    for size in (25, 100):
        with django_assert_max_num_queries(small):
            assert client.get(reverse(name), {**params, "size": size}).status_code == 200


def test_one_status_keeps_the_queue_order(reporter: User, manager: User) -> None:
    for i in range(12):
        make_defect(reporter, title=f"Feil {i}", facts={"blocks_pay": i % 4 == 0})
    for status in ("new", "triaged"):
        Defect.objects.filter(pk__in=Defect.objects.order_by("pk").values("pk")[:6]).update(
            status=status
        )
        filters = QueryDict(f"status={status}")
        shown = list(triage_queryset(user=manager, filters=filters).values_list("pk", flat=True))
        expected = list(
            Defect.objects.filter(status=status)
            .alias(u=untriaged_first())
            .order_by("u", *RANK_ORDER)
            .values_list("pk", flat=True)
        )
        assert shown == expected
        assert len(shown) >= 6
