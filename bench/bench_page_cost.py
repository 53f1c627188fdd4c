"""Single-request cost of the pages in the load test, in-process (no contention, no network).

Sizing uses it: requests/s per core is about 1000 / p50 ms. ``make bench`` runs it.
"""

import random
from typing import Any

from bench.harness import Measurement, measure, setup_django, write_results


def main() -> None:
    setup_django()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client's "testserver" host in

    from issues import permissions
    from issues.models import User

    rows: list[Measurement] = []
    for username in ("rekvirent1.uio", "forvaltning.uio"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        ids = list(permissions.visible_defects(user).values_list("pk", flat=True)[:2000])

        def home(c: Client = client) -> Any:
            return c.get("/")

        def defect_page(c: Client = client, pool: list[int] = ids) -> Any:
            return c.get(f"/feil/{random.choice(pool)}/")

        rows.append(measure(f"known defects / ({username})", home))
        rows.append(measure(f"defect page ({username})", defect_page))
    write_results("page_cost", rows)


if __name__ == "__main__":
    main()
