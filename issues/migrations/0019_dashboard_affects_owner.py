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
# zone, is checked to be a zone name (ZoneInfo) before it goes in.

from importlib import import_module
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

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


def _functions_sql(zone: str) -> list[str]:
    # 0016's functions, with the owner in the records' key; the closed-per-day half is 0016's.
    zone = str(ZoneInfo(zone))
    previous = import_module("issues.migrations.0016_dashboard_weeks_affects")
    defect_fn, _record_fn, _rebuild_fn, _clear_fn = previous._functions_sql(zone)
    owner_old, owner_new = _OWNER.format(row="OLD"), _OWNER.format(row="NEW")
    moved_old = "v_flag_moved := OLD.confidential IS DISTINCT FROM NEW.confidential;"
    moved_new = (
        f"v_flag_moved := (OLD.confidential, {owner_old}) "
        f"IS DISTINCT FROM (NEW.confidential, {owner_new});"
    )
    for old, new in (
        (moved_old, moved_new),
        (previous._DEFECT_SUBTRACT, _DEFECT_SUBTRACT),
        (previous._DEFECT_ADD, _DEFECT_ADD),
    ):
        assert old in defect_fn, old
        defect_fn = defect_fn.replace(old, new)
    rebuild = previous.REBUILD
    return [
        defect_fn,
        f"""
        CREATE OR REPLACE FUNCTION issues_dashboard_affects_apply() RETURNS trigger AS $$
        DECLARE
            v_confidential boolean;
            v_owner bigint;
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                {_RECORD_SUBTRACT}
            END IF;
            IF TG_OP <> 'DELETE' THEN
                {_RECORD_ADD}
            END IF;
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """,
        f"""
        CREATE OR REPLACE FUNCTION {rebuild}() RETURNS void AS $$
        BEGIN
            DELETE FROM issues_dashboardclosed;
            DELETE FROM issues_dashboardaffects;
            INSERT INTO issues_dashboardclosed (closed_on, confidential, n)
            SELECT (closed_at AT TIME ZONE '{zone}')::date, confidential, count(*)
            FROM issues_defect WHERE closed_at IS NOT NULL
            GROUP BY 1, 2;
            INSERT INTO issues_dashboardaffects ({_KEY}, n)
            SELECT a.institution_id, d.confidential, {_OWNER.format(row="d")}, count(*)
            FROM issues_affectsus a JOIN issues_defect d ON d.id = a.defect_id
            GROUP BY 1, 2, 3;
        END
        $$ LANGUAGE plpgsql
        """,
    ]


# The defect's update trigger, as 0016's, also for a change of reporter.
DEFECT_COLUMNS = ("closed_at", "confidential", "reporter_id")


def _update_trigger(columns: tuple[str, ...]) -> list[str]:
    previous = import_module("issues.migrations.0016_dashboard_weeks_affects")
    name = "issues_defect_dashboard_weeks_update"
    return [
        f"DROP TRIGGER IF EXISTS {name} ON issues_defect",
        previous._update_trigger(
            name, "issues_defect", columns, "issues_dashboard_defect_weeks_apply"
        ),
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    previous = import_module("issues.migrations.0016_dashboard_weeks_affects")
    for sql in [*_functions_sql(settings.TIME_ZONE), *_update_trigger(DEFECT_COLUMNS)]:
        schema_editor.execute(sql)
    schema_editor.execute(f"SELECT {previous.REBUILD}()")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    previous = import_module("issues.migrations.0016_dashboard_weeks_affects")
    for sql in [
        *previous._functions_sql(settings.TIME_ZONE),
        *_update_trigger(previous.DEFECT_COLUMNS),
    ]:
        schema_editor.execute(sql)
    # 0016's rebuild writes every row with owner 0: the old key is unique again.
    schema_editor.execute(f"SELECT {previous.REBUILD}()")


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
