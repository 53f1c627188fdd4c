"""The PostgreSQL COPY path of the CSV export gives the cells the Python writer gives (the oracle)."""

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from issues import exports, exports_sql
from issues.models import Defect, User
from issues.selectors.defects import defect_list
from tests.factories import make_defect
from tests.issues.pd_numbers import first_national_id

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FNR = first_national_id("150585")
# PostgreSQL text holds no NUL; lone surrogates cannot be encoded at all.
TEXT = st.text(alphabet=st.characters(codec="utf-8", blacklist_characters="\x00"), max_size=40)
TRICKY = st.sampled_from(
    [
        "",
        "=1+1",
        "-2",
        "@SUM(A1)",
        "\tTAB",
        '"sitat"; semikolon',
        "linje\r\nlinje",
        " \u00a0x\u2003 ",
        f"Gjelder {FNR}",
        "konto 1234.56.78903",
        "ordre 12345678901",
        "a" * 250,
        "\\.",
    ]
)
FIELD = st.one_of(TEXT, TRICKY, st.tuples(TRICKY, TEXT, TRICKY).map("".join))
ROW = st.fixed_dictionaries(
    {
        "title": FIELD.map(lambda t: t[:200]).filter(bool),
        "workaround": FIELD,
        "override_reason": FIELD,
        "dfo_reference": TEXT.map(lambda t: t[:60]),
        "confidential": st.booleans(),
        "tier_override": st.none() | st.sampled_from([1, 2, 3]),
        "weekly_cost": st.decimals(min_value=0, max_value=99999, places=2),
    }
)


def _parsed(raw: bytes) -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.endswith(b"\r\n")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def _both(user: User) -> tuple[bytes, bytes]:
    queryset = defect_list(user=user)
    copied = b"".join(exports_sql.csv_copy_chunks(queryset))
    python = "".join(exports.csv_chunks(exports.export_rows(queryset))).encode()
    return copied, python


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, min_size=1, max_size=4))
def test_copy_gives_the_cells_the_python_writer_gives(
    manager: User, reporter: User, rows: list[dict[str, Any]]
) -> None:
    with transaction.atomic():
        for fields in rows:
            defect = make_defect(reporter, title="Midlertidig")
            # Past the services on purpose: the export must not trust stored text.
            Defect.objects.filter(pk=defect.pk).update(**fields)
        copied, python = _both(manager)
        assert _parsed(copied) == _parsed(python)
        assert FNR not in copied.decode("utf-8-sig")
        transaction.set_rollback(True)


def test_rows_with_personal_data_come_from_the_python_writer(manager: User, reporter: User) -> None:
    plain = make_defect(reporter, title="Faktura stopper")
    masked = make_defect(reporter, title="Lønn")
    Defect.objects.filter(pk=masked.pk).update(title=f"Lønn for {FNR}", workaround=f"={FNR}")
    copied, python = _both(manager)
    assert copied == python  # byte for byte, CRLF line ends included
    text = copied.decode("utf-8-sig")
    assert FNR not in text
    assert f'"{masked.key}";"Lønn for ***********"' in text
    assert f'"{plain.key}";"Faktura stopper"' in text


def test_too_many_rows_to_mask_falls_back_to_the_python_writer(
    manager: User, reporter: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports_sql, "FLAGGED_MAX", 0)
    defect = make_defect(reporter, title="Lønn")
    Defect.objects.filter(pk=defect.pk).update(title=f"Lønn for {FNR}")
    make_defect(reporter, title="Faktura", extra_hours_per_week=Decimal("1.5"))
    copied, python = _both(manager)
    assert copied == python
    assert FNR not in copied.decode("utf-8-sig")


def test_copy_keeps_the_filter_and_the_rank_order(manager: User, reporter: User) -> None:
    make_defect(reporter, title="Lønn feil", facts={"blocks_pay": True})
    make_defect(reporter, title="Litt frustrerende", facts={"frustration": True})
    make_defect(reporter, title="Også lønn", facts={"blocks_pay": True}, extra_hours_per_week=9)
    everything = _parsed(b"".join(exports_sql.csv_copy_chunks(defect_list(user=manager))))
    ranked = list(defect_list(user=manager).values_list("title", flat=True))
    assert [r[1] for r in everything[1:]] == ranked
    tier_one = defect_list(user=manager, filters=QueryDict("tier=1"))
    rows = _parsed(b"".join(exports_sql.csv_copy_chunks(tier_one)))[1:]
    assert sorted(r[1] for r in rows) == ["Lønn feil", "Også lønn"]


def test_triggers_after_a_separator_get_the_same_apostrophe_on_both_paths(
    manager: User, reporter: User
) -> None:
    # Issue 16's neutraliser (a formula after "," or ";" inside a cell) met issue 17's COPY path.
    make_defect(reporter, title="Faktura a,=HYPERLINK(1),\uff0b1 stopper")
    make_defect(reporter, title='Lønn; "-2 kroner" feil', workaround="Se rutine;\t@SUM(A1)")
    make_defect(reporter, title="Reise, uten formel")
    copied, python = _both(manager)
    assert copied == python
    text = copied.decode("utf-8-sig")
    assert "a,'=HYPERLINK(1),'\uff0b1" in text
    assert "Reise, uten formel" in text
