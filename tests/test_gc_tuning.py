"""Issue 17: a gunicorn worker freezes its long-lived objects so the oldest-generation collection
does not walk them on some user's request."""

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from gunicorn.app.base import Application

from bott_tracker import gc_tuning

ROOT = Path(__file__).resolve().parent.parent


class _Loaded(Application):
    """gunicorn's own reading of gunicorn.conf.py, without starting a server."""

    def init(self, parser: object, opts: object, args: object) -> None:
        return None

    def load(self) -> None:
        return None


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    served = gc_tuning._served
    try:
        yield
    finally:
        gc.unfreeze()
        gc_tuning._served = served


def test_gunicorn_conf_installs_the_hooks_and_the_masking_logger(unfrozen: None) -> None:
    app = _Loaded.__new__(_Loaded)
    app.usage, app.prog = None, None
    app.load_default_config()
    app.load_config_from_file(str(ROOT / "gunicorn.conf.py"))
    assert app.cfg.logger_class.__name__ == "MaskingGunicornLogger"
    app.cfg.post_worker_init(None)
    assert gc.get_freeze_count() > 0
    gc_tuning._served = 5
    app.cfg.post_request(None, None, {}, None)
    assert gc_tuning._served == 6


def test_worker_init_freezes_what_is_loaded(unfrozen: None) -> None:
    assert gc.get_freeze_count() == 0
    gc_tuning.freeze_long_lived()
    assert gc.get_freeze_count() > 1000  # this test process's modules, at least


def test_freezes_again_only_after_the_first_requests(unfrozen: None) -> None:
    gc_tuning._served = 0
    frozen_after = []
    for _ in range(40):
        gc.unfreeze()
        gc_tuning.request_done()
        if gc.get_freeze_count():
            frozen_after.append(gc_tuning._served)
    assert frozen_after == sorted(gc_tuning.FREEZE_AFTER_REQUESTS) == [1, 20]
