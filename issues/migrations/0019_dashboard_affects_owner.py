"""The "affects us too" aggregate (migration 0016) keyed by the owner of a confidential defect
too, so that a reporter's dashboard reads the records on their own confidential defects from it
(issue 17, "growth to 1,000,000"). Counted directly, those took a join over every one of the
reporter's confidential defects: 3.8 ms for the 1,736 of the seed's busiest reporter at
1,000,000 defects, the part of that dashboard that still grew with the data.

``owner`` is the defect's reporter when it is confidential, 0 when it is not (nobody's: everyone
sees those records). The row triggers of 0016 are recreated with the owner in every key; the
defect's update trigger now also fires when the reporter changes, which moves the records of a
confidential defect from one owner to the other. The aggregate is rebuilt at the end.
"""

# ruff: noqa: S608 - the SQL names constant tables and columns; the one setting in it, the time
# zone, is checked to be a zone name by 0016's _functions_sql before it goes in.

from importlib import import_module

from django.conf import settings
from django.db import migrations, models

_WEEKS = import_module("issues.migrations.0016_dashboard_weeks_affects")

# The owner of defect ``row``'s records in the aggregate.
_OWNER = "CASE WHEN {row}.confidential THEN COALESCE({row}.reporter_id, 0) ELSE 0 END"
_KEY = "institution_id, confidential, owner"

_DEFECT_ADD = f"""
            INSERT INTO issues_dashboardaffects ({_KEY}, n)
            SELECT institution_id, NEW.confidential, {_OWNER.format(row="NEW")}, count(*)
            FROM issues_affectsus WHERE defect_id = NEW.id
            GROUP BY institution_id
            ON CONFLICT ({_KEY}) DO UPDATE
            SET n = issues_dashboardaffects.n + EXCLUDED.n;"""
_DEFECT_SUBTRACT = f"""
            UPDATE issues_dashboardaffects a SET n = a.n - moved.n
            FROM (SELECT institution_id, count(*) AS n FROM issues_affectsus
                  WHERE defect_id = OLD.id GROUP BY institution_id) moved
            WHERE a.institution_id = moved.institution_id AND a.confidential = OLD.confidential
              AND a.owner = {_OWNER.format(row="OLD")};"""
_RECORD_LOOKUP = f"""
            SELECT d.confidential, {_OWNER.format(row="d")} INTO v_confidential, v_owner
            FROM issues_defect d WHERE d.id = {{row}}.defect_id;"""
_RECORD_ADD = f"""
            {_RECORD_LOOKUP.format(row="NEW")}
            IF FOUND THEN
                INSERT INTO issues_dashboardaffects ({_KEY}, n)
                VALUES (NEW.institution_id, v_confidential, v_owner, 1)
                ON CONFLICT ({_KEY}) DO UPDATE
                SET n = issues_dashboardaffects.n + 1;
            END IF;"""
_RECORD_SUBTRACT = f"""
            {_RECORD_LOOKUP.format(row="OLD")}
            IF FOUND THEN
                UPDATE issues_dashboardaffects SET n = n - 1
                WHERE institution_id = OLD.institution_id AND confidential = v_confidential
                  AND owner = v_owner;
                DELETE FROM issues_dashboardaffects
                WHERE institution_id = OLD.institution_id AND confidential = v_confidential
                  AND owner = v_owner AND n = 0;
            END IF;"""


# 0016's rebuild of the records, and this migration's with the owner.
_REBUILD_RECORDS_0016 = """INSERT INTO issues_dashboardaffects (institution_id, confidential, n)
            SELECT a.institution_id, d.confidential, count(*)
            FROM issues_affectsus a JOIN issues_defect d ON d.id = a.defect_id
            GROUP BY 1, 2;"""
_REBUILD_RECORDS = f"""INSERT INTO issues_dashboardaffects ({_KEY}, n)
            SELECT a.institution_id, d.confidential, {_OWNER.format(row="d")}, count(*)
            FROM issues_affectsus a JOIN issues_defect d ON d.id = a.defect_id
            GROUP BY 1, 2, 3;"""


def _replaced(sql: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert old in sql, old
        sql = sql.replace(old, new)
    return sql


def _functions_sql(zone: str) -> list[str]:
    """0016's functions (which check ``zone``), with the owner in the records' key; the
    closed-per-day half is 0016's as it was."""
    defect_fn, record_fn, rebuild_fn, _clear_fn = _WEEKS._functions_sql(zone)
    owner_old, owner_new = _OWNER.format(row="OLD"), _OWNER.format(row="NEW")
    flag_moved = "v_flag_moved := OLD.confidential IS DISTINCT FROM NEW.confidential;"
    key_moved = (
        f"v_flag_moved := (OLD.confidential, {owner_old}) "
        f"IS DISTINCT FROM (NEW.confidential, {owner_new});"
    )
    return [
        _replaced(
            defect_fn,
            [
                (flag_moved, key_moved),
                (_WEEKS._DEFECT_SUBTRACT, _DEFECT_SUBTRACT),
                (_WEEKS._DEFECT_ADD, _DEFECT_ADD),
            ],
        ),
        _replaced(
            record_fn,
            [
                ("v_confidential boolean;", "v_confidential boolean;\n            v_owner bigint;"),
                (_WEEKS._RECORD_SUBTRACT, _RECORD_SUBTRACT),
                (_WEEKS._RECORD_ADD, _RECORD_ADD),
            ],
        ),
        _replaced(rebuild_fn, [(_REBUILD_RECORDS_0016, _REBUILD_RECORDS)]),
    ]


# The defect's update trigger, as 0016's, also for a change of reporter.
DEFECT_COLUMNS = ("closed_at", "confidential", "reporter_id")


def _update_trigger(columns: tuple[str, ...]) -> list[str]:
    name = "issues_defect_dashboard_weeks_update"
    return [
        f"DROP TRIGGER IF EXISTS {name} ON issues_defect",
        _WEEKS._update_trigger(
            name, "issues_defect", columns, "issues_dashboard_defect_weeks_apply"
        ),
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in [*_functions_sql(settings.TIME_ZONE), *_update_trigger(DEFECT_COLUMNS)]:
        schema_editor.execute(sql)
    schema_editor.execute(f"SELECT {_WEEKS.REBUILD}()")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in [
        *_WEEKS._functions_sql(settings.TIME_ZONE),
        *_update_trigger(_WEEKS.DEFECT_COLUMNS),
    ]:
        schema_editor.execute(sql)
    # 0016's rebuild writes every row with owner 0: the old key is unique again.
    schema_editor.execute(f"SELECT {_WEEKS.REBUILD}()")


class Migration(migrations.Migration):
    dependencies = [("issues", "0018_own_dashboard_index_only")]

    operations = [
        migrations.RemoveConstraint(model_name="dashboardaffects", name="dashboardaffects_key"),
        migrations.AddField(
            model_name="dashboardaffects",
            name="owner",
            field=models.BigIntegerField(db_default=0),
        ),
        migrations.AddConstraint(
            model_name="dashboardaffects",
            constraint=models.UniqueConstraint(
                fields=("institution", "confidential", "owner"), name="dashboardaffects_owner_key"
            ),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
