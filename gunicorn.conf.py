"""gunicorn reads this file from the working directory: the access log goes out masked, and the
worker's long-lived objects are kept out of the garbage collector's way (bott_tracker.gc_tuning)."""

from typing import Any

from bott_tracker import gc_tuning

logger_class = "bott_tracker.log_filters.MaskingGunicornLogger"


def post_worker_init(worker: Any) -> None:
    gc_tuning.freeze_long_lived()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    gc_tuning.request_done()
