"""Profile one page in-process with pyinstrument, and time its SQL, for bench/results/profiles/.

    DEBUG=false SECRET_KEY=… ALLOWED_HOSTS=testserver PAGE_CACHE=false python -m bench.profile_page /triage/ forvaltning.uio 30 [out.txt]

Runs the request a few times to warm Python and PostgreSQL's buffers, then ``n`` times under the
profiler. Prints the wall time per request, the SQL time per request (from the connection's
execute wrapper) and the pyinstrument tree; with ``out`` the same goes to that file.
"""

import sys
import time
from pathlib import Path
from typing import Any


def main() -> None:
    from bench.harness import setup_django

    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from pyinstrument import Profiler

    from issues.models import User

    setup_test_environment()
    url, username = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    out = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    client = Client()
    client.force_login(User.objects.get(username=username))
    for _ in range(5):
        assert client.get(url).status_code == 200

    sql = [0.0, 0]

    def timed(execute: Any, query: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql[0] += time.perf_counter() - start
            sql[1] += 1

    # Timed without the profiler (it slows Python down, not PostgreSQL), then profiled.
    start = time.perf_counter()
    with connection.execute_wrapper(timed):
        for _ in range(n):
            client.get(url)
    wall = (time.perf_counter() - start) / n * 1000
    profiler = Profiler(interval=0.001)
    profiler.start()
    for _ in range(n):
        client.get(url)
    profiler.stop()
    head = (
        f"{url} as {username}, {n} requests: {wall:.1f} ms per request, "
        f"of which SQL {sql[0] / n * 1000:.1f} ms in {sql[1] / n:.0f} queries\n"
    )
    text = head + profiler.output_text(unicode=False, color=False, show_all=False)
    print(text)
    if out:
        out.write_text(text)


if __name__ == "__main__":
    main()
