"""Writes for DFØ releases."""

import datetime as dt

from issues.models import (
    Release,
)
from issues.text import clean_text


def release_create(*, name: str, expected_date: dt.date | None = None, notes: str = "") -> Release:
    # Cleaned before validation: a name of control characters alone must fail as blank here,
    # not become "" in the save hook and collide with the unique index (a 500).
    release = Release(name=clean_text(name).strip(), expected_date=expected_date, notes=notes)
    release.full_clean()
    release.save()
    return release
