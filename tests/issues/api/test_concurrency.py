"""Optimistic concurrency on real PostgreSQL: If-Match + row lock lose no update."""

import threading
from collections import Counter
from typing import Any

import pytest
import requests

from issues.models import Defect
from issues.services.api_tokens import api_token_create
from tests.factories import make_defect, make_user

THREADS = 20
PATCHES_PER_THREAD = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_patches_lose_no_update(live_server: Any) -> None:
    reporter = make_user("reporter", institution="UiO")
    defect = make_defect(reporter, title="Start")
    # One manager per thread, as separate scripts would be; each has its own token.
    tokens = [
        api_token_create(user=make_user("management", institution="NTNU"), name="t")[1]
        for _ in range(THREADS)
    ]
    url = f"{live_server.url}/api/v1/defects/{defect.pk}/"
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {tokens[n]}"
            start.wait()
            etag = session.get(url, timeout=30).headers["ETag"]
            for i in range(PATCHES_PER_THREAD):
                response = session.patch(
                    url,
                    json={"title": f"Tittel fra tråd {n} forsøk {i}"},
                    headers={"If-Match": etag},
                    timeout=30,
                )
                with lock:
                    statuses[response.status_code] += 1
                if response.status_code == 200:
                    etag = response.headers["ETag"]
                else:
                    assert response.status_code == 412, response.text
                    etag = session.get(url, timeout=30).headers["ETag"]
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(statuses.values()) == THREADS * PATCHES_PER_THREAD
    assert set(statuses) <= {200, 412}
    successes = statuses[200]
    assert successes >= 1
    defect.refresh_from_db()
    assert defect.version == 1 + successes
    versions = Counter(defect.history.values_list("version", flat=True))
    # Exactly one history row per version: every successful write was recorded, none overwritten.
    assert sorted(versions) == list(range(1, defect.version + 1))
    assert set(versions.values()) == {1}
    assert Defect.objects.get(pk=defect.pk).title.startswith("Tittel fra tråd")
