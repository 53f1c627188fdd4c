"""Writes for DFØ releases."""

import datetime as dt

from issues.models import (
    Release,
)


def release_create(*, name: str, expected_date: dt.date | None = None, notes: str = "") -> Release:
    release = Release(name=name.strip(), expected_date=expected_date, notes=notes)
    release.full_clean()
    release.save()
    return release
