"""An import killed mid-transaction (SIGKILL, as when a worker or request dies) leaves no row.

The import runs as ``manage.py import_defects`` in a subprocess against the test database. The
test holds a lock on the audit table, which the import writes last: the import then waits with
its batch, defects, history, status changes and follows written but not committed. We check that
it got that far (it holds row locks on those tables), kill it, and find nothing.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from issues.models import Defect, Follow, ImportBatch, ImportedDefect, StatusChange
from tests.factories import make_user
from tests.issues.import_files import row, write_csv

ROOT = Path(__file__).resolve().parents[3]
WAIT_SECONDS = 120
WRITTEN_TABLES = ("issues_defect", "issues_historicaldefect", "issues_importbatch")


def _dsn() -> str:
    s = connection.settings_dict
    return (
        f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


def _waiting_import(monitor: psycopg.Connection, own_pid: int) -> int | None:
    """The pid of a backend blocked on the audit insert, once it has written the other tables."""
    found = monitor.execute(
        "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> %s "
        "AND query LIKE 'INSERT INTO \"issues_auditevent\"%%'",
        [own_pid],
    ).fetchone()
    if found is None:
        return None
    held = monitor.execute(
        "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE l.pid = %s AND l.mode = 'RowExclusiveLock'",
        [found[0]],
    ).fetchall()
    assert set(WRITTEN_TABLES) <= {name for (name,) in held}
    return int(found[0])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_killed_import_leaves_no_row_behind(tmp_path: Path) -> None:
    manager = make_user("management", institution="NTNU")
    path = write_csv(tmp_path / "liste.csv", [row(f"Sak {n}") for n in range(200)])
    env = {**os.environ, "DATABASE_URL": _dsn(), "MEDIA_ROOT": str(tmp_path / "media")}
    with psycopg.connect(_dsn()) as blocker, psycopg.connect(_dsn(), autocommit=True) as monitor:
        blocker.execute("LOCK TABLE issues_auditevent IN EXCLUSIVE MODE")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "import_defects", str(path), "--user", manager.username],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + WAIT_SECONDS
            pid = None
            while pid is None and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.2)
                pid = _waiting_import(monitor, blocker.info.backend_pid)
            assert pid is not None, "the import never reached its last write"
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
        blocker.rollback()
        # The server notices the dead client and rolls its transaction back.
        while monitor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            time.sleep(0.1)
    assert process.returncode == -signal.SIGKILL
    assert not Defect.objects.exists()
    assert not Defect.history.exists()
    assert not ImportBatch.objects.exists()
    assert not ImportedDefect.objects.exists()
    assert not StatusChange.objects.exists()
    assert not Follow.objects.exists()
