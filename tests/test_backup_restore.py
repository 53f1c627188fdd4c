"""scripts/backup.sh + scripts/restore.sh: a restored copy has the same defects, history and files."""

import hashlib
import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import Attachment, User
from issues.services.comments import comment_create
from issues.services.defects import defect_override_tier, defect_transition
from issues.services.participation import affects_us_add
from tests.factories import AttachmentFactory, make_defect, make_user

ROOT = Path(__file__).resolve().parent.parent
# Every table whose rows must survive; compared row by row, all columns.
TABLES = (
    "issues_defect",
    "issues_historicaldefect",
    "issues_comment",
    "issues_historicalcomment",
    "issues_statuschange",
    "issues_attachment",
    "issues_affectsus",
    "issues_auditevent",
    "issues_user",
)


def _url(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _rows(url: str, table: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()  # noqa: S608


def _run(script: str, *args: str, **env: str) -> str:
    result = subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_restored_into_an_empty_database_is_the_same(
    tmp_path: Path, settings: SettingsWrapper, reporter: User, manager: User, other_reporter: User
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    for n in range(3):
        defect = make_defect(reporter, description=f"Beskrivelse {n}", workaround="Omvei")
        defect_transition(defect=defect, actor=manager, to_status="triaged")
        defect_override_tier(
            defect=defect, actor=manager, tier=1, reason="Lønn", expected_version=None
        )
        comment_create(defect=defect, author=reporter, body=f"Kommentar {n}")
        affects_us_add(defect=defect, user=other_reporter)
        AttachmentFactory.create(
            defect=defect, original_name=f"bilde{n}.png", content=os.urandom(2048)
        )
    make_user("liaison")
    source = _url(connection.settings_dict["NAME"])
    backups = tmp_path / "backups"
    folder = Path(
        _run("backup.sh", str(backups), DATABASE_URL=source, MEDIA_ROOT=str(settings.MEDIA_ROOT))
        .strip()
        .splitlines()[-1]
    )
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "SHA256SUMS"}

    target_name = f"bott_restore_{uuid.uuid4().hex[:10]}"
    admin_url = _url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{target_name}"')
    try:
        restored_media = tmp_path / "restored-media"
        target = _url(target_name)
        _run("restore.sh", str(folder), DATABASE_URL=target, MEDIA_ROOT=str(restored_media))
        for table in TABLES:
            original = _rows(source, table)
            assert original, f"{table} is empty: the test would prove nothing"
            assert _rows(target, table) == original, table
        assert _tree(restored_media) == _tree(Path(settings.MEDIA_ROOT))
        for attachment in Attachment.objects.all():
            data = (restored_media / attachment.file.name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == attachment.sha256
        # A second restore into the now-filled database is refused, nothing is touched.
        refused = subprocess.run(
            [str(ROOT / "scripts" / "restore.sh"), str(folder)],
            env={**os.environ, "DATABASE_URL": target, "MEDIA_ROOT": str(restored_media)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert refused.returncode != 0
        assert "empty" in refused.stderr
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db
def test_restore_refuses_a_tampered_backup(tmp_path: Path) -> None:
    folder = tmp_path / "bott-x"
    folder.mkdir()
    (folder / "database.dump").write_bytes(b"dump")
    (folder / "media.tar.gz").write_bytes(b"tar")
    sums = [
        f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}"
        for n in ("database.dump", "media.tar.gz")
    ]
    (folder / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    (folder / "database.dump").write_bytes(b"changed")
    result = subprocess.run(
        [str(ROOT / "scripts" / "restore.sh"), str(folder)],
        env={**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FAILED" in result.stdout + result.stderr
