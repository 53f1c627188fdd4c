"""Triage queue (unfiltered, three filters, sorted), triage page and dashboard on 100k defects.

DATABASE_URL=postgres://.../bott_bench_triage python -m bench.bench_triage [--requests N]
"""

import argparse
import os

from bench.harness import measure, setup_django, write_results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.contrib.auth.models import Group
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from issues.models import Area, Defect, User
    from issues.permissions import GROUP_MANAGEMENT

    user = User.objects.filter(groups__name=GROUP_MANAGEMENT, is_active=True).first()
    if user is None:
        user = User.objects.create_user(username="bench-triager", password="bench-only-pw")
        user.groups.add(Group.objects.get(name=GROUP_MANAGEMENT))
    client = Client()
    client.force_login(user)
    area = Area.objects.get(code="BTB")
    busy = (
        Defect.objects.filter(pk__in=Defect.objects.values("pk")[:2000])
        .annotate(n=Count("comments"))
        .order_by("-n")
        .first()
    )
    assert busy is not None
    queue = reverse("issues:triage_queue")
    three = {"area": str(area.pk), "tier": "1", "has_workaround": "true"}
    load_before = os.getloadavg()[0]
    rows = [
        measure("queue unfiltered", lambda: client.get(queue), requests=args.requests),
        measure("queue 3 filters", lambda: client.get(queue, three), requests=args.requests),
        measure(
            "queue sorted by cost, page 3",
            lambda: client.get(queue, {"sort": "-cost", "page": "3"}),
            requests=args.requests,
        ),
        measure(
            "queue text search",
            lambda: client.get(queue, {"q": "faktura"}),
            requests=args.requests,
        ),
        measure(
            f"triage page ({busy.comments.count()} comments)",
            lambda: client.get(reverse("issues:triage_defect", args=[busy.pk])),
            requests=args.requests,
        ),
        measure(
            "dashboard", lambda: client.get(reverse("issues:dashboard")), requests=args.requests
        ),
        measure(
            "meeting view",
            lambda: client.get(reverse("issues:triage_meeting")),
            requests=args.requests,
        ),
    ]
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


if __name__ == "__main__":
    main()
