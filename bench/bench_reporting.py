"""Reporting pages against the 100,000-defect data set: suggestions while typing, known defects.

DATABASE_URL=postgres://.../bott_bench_copy python -m bench.bench_reporting
"""

from collections.abc import Callable
from typing import Any

from bench.harness import measure, setup_django, write_results


def main() -> None:
    setup_django()
    from django.test import Client

    from issues.models import User

    reporter = User.objects.filter(groups__name="Melder", institution__isnull=False).first()
    assert reporter is not None, "run against the bench data set (bench/make_data.sh)"
    client = Client()
    client.force_login(reporter)

    def get(path: str, **params: str) -> Callable[[], Any]:
        return lambda: client.get(path, params)

    def post(path: str, **data: str) -> Callable[[], Any]:
        return lambda: client.post(path, data)

    titles = ("faktura", "fakturaen avvises", "gjestetilgang tilknyttede", "timesats", "xyzzy")
    # Suggestions are POSTed: a title may hold personal data, which must stay out of URLs.
    rows = [measure(f"suggestions title={t!r}", post("/meld/forslag/", title=t)) for t in titles]
    rows += [
        measure("known defects /", lambda: client.get("/")),
        measure("known defects q=faktura", get("/", q="faktura")),
        measure("known defects q=faktura page 40", get("/", q="faktura", side="40")),
        measure("known defects area+status", get("/", area="1", status="triaged")),
        measure("my defects", lambda: client.get("/mine/")),
        measure("followed defects", lambda: client.get("/folger/")),
        measure("report form", lambda: client.get("/meld/")),
    ]
    write_results("reporting", rows, {"user": reporter.username})


if __name__ == "__main__":
    main()
