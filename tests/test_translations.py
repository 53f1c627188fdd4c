"""The UI is bokmål with an English translation: the catalogue must be complete and current."""

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("bott_tracker", "issues", "priorities", "templates", "static")
EN_PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _catalog(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _ids(catalog: Catalog) -> set[str]:
    return {str(m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def test_every_english_message_is_translated() -> None:
    def translated(string: object) -> bool:
        if isinstance(string, str):
            return bool(string)
        return isinstance(string, tuple | list) and all(string)

    missing = [m.id for m in _catalog(EN_PO) if m.id and (m.fuzzy or not translated(m.string))]
    assert missing == [], f"untranslated or fuzzy in {EN_PO}: {missing[:20]}"


def test_catalogue_covers_every_string_in_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Extract the strings afresh (xgettext) from a copy of the sources; compare with the catalogue."""
    for name in SOURCE_DIRS:
        if (ROOT / name).exists():
            shutil.copytree(
                ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
            )
    (tmp_path / "locale").mkdir()
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    fresh = _ids(_catalog(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    committed = _ids(_catalog(EN_PO))
    assert sorted(fresh - committed) == [], "run `make messages-update` and translate"
