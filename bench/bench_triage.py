"""Triage queue (unfiltered, three filters, sorted), triage page and dashboard on 100k defects.

DATABASE_URL=postgres://.../bott_bench_triage python -m bench.bench_triage [--requests N]
"""

import argparse
import os
from typing import TYPE_CHECKING

from bench.harness import Measurement, management_user, measure, setup_django, write_results

if TYPE_CHECKING:
    from django.test import Client

    from issues.models import Area, Defect


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.test import Client

    from issues.models import Area, Defect

    user = management_user(username="bench-triager", password="bench-only-pw")
    client = Client()
    client.force_login(user)
    area = Area.objects.get(code="BTB")
    busy = _busiest_defect()
    load_before = os.getloadavg()[0]
    rows = _measure_pages(client, area=area, busy=busy, requests=args.requests)
    write_results(
        "bench_triage",
        rows,
        {
            "defects": Defect.objects.count(),
            "user": user.username,
            # The machine is shared; a high load average inflates every timing.
            "cpus": os.cpu_count(),
            "load1_before": round(load_before, 2),
            "load1_after": round(os.getloadavg()[0], 2),
        },
    )


def _busiest_defect() -> "Defect":
    """The most commented of the first 2,000 defects, for the triage page."""
    from django.db.models import Count

    from issues.models import Defect

    busy = (
        Defect.objects.filter(pk__in=Defect.objects.values("pk")[:2000])
        .annotate(n=Count("comments"))
        .order_by("-n")
        .first()
    )
    assert busy is not None
    return busy


def _measure_pages(
    client: "Client", *, area: "Area", busy: "Defect", requests: int
) -> list[Measurement]:
    from django.urls import reverse

    queue = reverse("issues:triage_queue")
    three = {"area": str(area.pk), "tier": "1", "has_workaround": "true"}
    return [
        measure("queue unfiltered", lambda: client.get(queue), requests=requests),
        measure("queue 3 filters", lambda: client.get(queue, three), requests=requests),
        measure(
            "queue sorted by cost, page 3",
            lambda: client.get(queue, {"sort": "-cost", "page": "3"}),
            requests=requests,
        ),
        measure(
            "queue text search",
            lambda: client.get(queue, {"q": "faktura"}),
            requests=requests,
        ),
        measure(
            f"triage page ({busy.comments.count()} comments)",
            lambda: client.get(reverse("issues:triage_defect", args=[busy.pk])),
            requests=requests,
        ),
        measure("dashboard", lambda: client.get(reverse("issues:dashboard")), requests=requests),
        measure(
            "meeting view",
            lambda: client.get(reverse("issues:triage_meeting")),
            requests=requests,
        ),
    ]


if __name__ == "__main__":
    main()
