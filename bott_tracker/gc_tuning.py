"""Garbage collection in a long-running web worker (issue 17).

After its first requests a worker holds ~200,000 objects the cyclic collector tracks: modules, URL
resolvers, compiled templates, translation catalogues. They live as long as the process, yet
CPython's oldest-generation collection walks every one of them: measured on the defect page, one
53 ms pause every ~60 requests, which lands whole on some user's request and on the p95/p99.
``gc.freeze()`` (meant for exactly this in servers, see the ``gc`` module's documentation) moves
them out of the collector's sight; what a request allocates is still collected as before.

gunicorn calls ``freeze_long_lived`` once the worker has loaded the application, and
``request_done`` after each request: the freeze is repeated after the first requests, which
compile the templates and fill the caches that live as long as the worker.

With gthread workers the freeze after a request runs in one thread while another may be serving:
what that request holds at the instant is frozen too, and any cycles in it are never collected.
That is bounded (twice per worker) and small, and accepted; so is the unsynchronised counter, whose
worst case is a freeze repeated or skipped.
"""

import gc

# After which of a worker's requests the long-lived objects are frozen again.
FREEZE_AFTER_REQUESTS = frozenset({1, 20})

_served = 0


def freeze_long_lived() -> None:
    # Collect first, so that garbage is not frozen with the rest and kept for the worker's life.
    gc.collect()
    gc.freeze()


def request_done() -> None:
    global _served  # noqa: PLW0603 - one counter per worker process
    _served += 1
    if _served in FREEZE_AFTER_REQUESTS:
        freeze_long_lived()
