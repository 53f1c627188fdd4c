"""The dashboard's per-week chart and its "affects us too" table from maintained aggregates (issue
17, "growth to 1,000,000"), as migration 0014 does for the open-defect counts.

``issues_dashboardclosed`` counts the defects per (closed-on local date, confidential); the
opened half of the per-week chart is 0014's ``issues_dashboardage`` summed over status.
``issues_dashboardaffects`` counts the AffectsUs records per (institution, the defect's
confidential flag): who may see a record depends only on its defect's flag (and, for a reporter's
own confidential defects, which the dashboard counts directly, on the reporter).

Row triggers keep them: on ``issues_defect`` (closed_at set, moved or cleared by a reopen; the
confidential flag, which moves both the closed row and every AffectsUs record of the defect) and on
``issues_affectsus`` (a record added, removed or moved to another defect or institution). Every
writer is covered: services, ``QuerySet.update``, merges (which add records to the canonical
defect), the admin, raw SQL. PostgreSQL only; on SQLite the tables stay empty and the dashboard
counts directly.

The foreign keys are deferred, so raw SQL may delete a defect before its records or insert records
before their defect: a record counts while both it and its defect exist. The defect's trigger
counts the records present when the defect comes or goes, the record's trigger skips a record whose
defect is missing; either order gives the same rows.

The local date is taken in settings.TIME_ZONE as it is when this migration runs (as in 0014).
"""

# ruff: noqa: S608 - the SQL names constant tables and columns; the one setting in it, the time
# zone, is checked to be a zone name (ZoneInfo) before it goes in.

from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The data-version trigger (migration 0011) on the new tables (tests/issues/test_page_cache.py).
TABLES = ("issues_dashboardclosed", "issues_dashboardaffects")

# seed_demo disables these during a bulk load and rebuilds once (issues.demo.writer), as 0014's.
ROW_TRIGGERS = {
    "issues_defect": ("issues_defect_dashboard_weeks", "issues_defect_dashboard_weeks_update"),
    "issues_affectsus": ("issues_affectsus_dashboard", "issues_affectsus_dashboard_update"),
}
REBUILD = "issues_dashboard_weeks_rebuild"

# Add the AffectsUs records of defect ``row`` at its confidential flag; subtracting is an UPDATE
# (an INSERT's row must pass the n >= 0 check before ON CONFLICT turns it into an update).
_DEFECT_ADD = """
            INSERT INTO issues_dashboardaffects (institution_id, confidential, n)
            SELECT institution_id, NEW.confidential, count(*)
            FROM issues_affectsus WHERE defect_id = NEW.id
            GROUP BY institution_id
            ON CONFLICT (institution_id, confidential) DO UPDATE
            SET n = issues_dashboardaffects.n + EXCLUDED.n;"""
_DEFECT_SUBTRACT = """
            UPDATE issues_dashboardaffects a SET n = a.n - moved.n
            FROM (SELECT institution_id, count(*) AS n FROM issues_affectsus
                  WHERE defect_id = OLD.id GROUP BY institution_id) moved
            WHERE a.institution_id = moved.institution_id AND a.confidential = OLD.confidential;"""

# The same for one record, whose defect's flag is looked up (no row: the defect is gone or not
# yet there, and its own trigger counts the record).
_RECORD_ADD = """
            SELECT confidential INTO v_confidential FROM issues_defect WHERE id = NEW.defect_id;
            IF FOUND THEN
                INSERT INTO issues_dashboardaffects (institution_id, confidential, n)
                VALUES (NEW.institution_id, v_confidential, 1)
                ON CONFLICT (institution_id, confidential) DO UPDATE
                SET n = issues_dashboardaffects.n + 1;
            END IF;"""
_RECORD_SUBTRACT = """
            SELECT confidential INTO v_confidential FROM issues_defect WHERE id = OLD.defect_id;
            IF FOUND THEN
                UPDATE issues_dashboardaffects SET n = n - 1
                WHERE institution_id = OLD.institution_id AND confidential = v_confidential;
                DELETE FROM issues_dashboardaffects
                WHERE institution_id = OLD.institution_id AND confidential = v_confidential
                  AND n = 0;
            END IF;"""


def _functions_sql(zone: str) -> list[str]:
    zone = str(ZoneInfo(zone))

    def closed_on(row: str) -> str:
        return f"(({row}.closed_at AT TIME ZONE '{zone}')::date)"

    return [
        f"""
        CREATE OR REPLACE FUNCTION issues_dashboard_defect_weeks_apply() RETURNS trigger AS $$
        DECLARE
            v_closed_moved boolean := TG_OP <> 'UPDATE';
            v_flag_moved boolean := TG_OP <> 'UPDATE';
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                v_closed_moved := (OLD.confidential, {closed_on("OLD")})
                    IS DISTINCT FROM (NEW.confidential, {closed_on("NEW")});
                v_flag_moved := OLD.confidential IS DISTINCT FROM NEW.confidential;
            END IF;
            -- Subtract the old row, add the new; a row that reaches 0 goes (below).
            IF TG_OP <> 'INSERT' AND v_closed_moved AND OLD.closed_at IS NOT NULL THEN
                UPDATE issues_dashboardclosed SET n = n - 1
                WHERE closed_on = {closed_on("OLD")} AND confidential = OLD.confidential;
                DELETE FROM issues_dashboardclosed
                WHERE closed_on = {closed_on("OLD")} AND confidential = OLD.confidential
                  AND n = 0;
            END IF;
            IF TG_OP <> 'DELETE' AND v_closed_moved AND NEW.closed_at IS NOT NULL THEN
                INSERT INTO issues_dashboardclosed (closed_on, confidential, n)
                VALUES ({closed_on("NEW")}, NEW.confidential, 1)
                ON CONFLICT (closed_on, confidential) DO UPDATE
                SET n = issues_dashboardclosed.n + 1;
            END IF;
            -- The records of a defect that comes, goes or changes its flag (usually none on an
            -- insert or a delete: an index probe by defect_id).
            IF TG_OP <> 'INSERT' AND v_flag_moved THEN
                {_DEFECT_SUBTRACT}
            END IF;
            IF TG_OP <> 'DELETE' AND v_flag_moved THEN
                {_DEFECT_ADD}
            END IF;
            IF TG_OP <> 'INSERT' AND v_flag_moved THEN
                DELETE FROM issues_dashboardaffects WHERE n = 0;
            END IF;
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """,
        f"""
        CREATE OR REPLACE FUNCTION issues_dashboard_affects_apply() RETURNS trigger AS $$
        DECLARE
            v_confidential boolean;
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
        # Used by this migration, and after a bulk load with the row triggers disabled.
        f"""
        CREATE OR REPLACE FUNCTION {REBUILD}() RETURNS void AS $$
        BEGIN
            DELETE FROM issues_dashboardclosed;
            DELETE FROM issues_dashboardaffects;
            INSERT INTO issues_dashboardclosed (closed_on, confidential, n)
            SELECT (closed_at AT TIME ZONE '{zone}')::date, confidential, count(*)
            FROM issues_defect WHERE closed_at IS NOT NULL
            GROUP BY 1, 2;
            INSERT INTO issues_dashboardaffects (institution_id, confidential, n)
            SELECT a.institution_id, d.confidential, count(*)
            FROM issues_affectsus a JOIN issues_defect d ON d.id = a.defect_id
            GROUP BY 1, 2;
        END
        $$ LANGUAGE plpgsql
        """,
        """
        CREATE OR REPLACE FUNCTION issues_dashboard_weeks_clear() RETURNS trigger AS $$
        BEGIN
            IF TG_TABLE_NAME = 'issues_defect' THEN
                DELETE FROM issues_dashboardclosed;
            END IF;
            DELETE FROM issues_dashboardaffects;
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """,
    ]


DEFECT_COLUMNS = ("closed_at", "confidential")
RECORD_COLUMNS = ("defect_id", "institution_id")


def _update_trigger(name: str, table: str, columns: tuple[str, ...], function: str) -> str:
    # Most updates leave these columns alone: they do not even call the function.
    return (
        f"CREATE TRIGGER {name} AFTER UPDATE OF {', '.join(columns)} ON {table} FOR EACH ROW WHEN ("
        + " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
        + f") EXECUTE FUNCTION {function}()"
    )


TRIGGERS_SQL = [
    "CREATE TRIGGER issues_defect_dashboard_weeks AFTER INSERT OR DELETE ON issues_defect "
    "FOR EACH ROW EXECUTE FUNCTION issues_dashboard_defect_weeks_apply()",
    _update_trigger(
        "issues_defect_dashboard_weeks_update",
        "issues_defect",
        DEFECT_COLUMNS,
        "issues_dashboard_defect_weeks_apply",
    ),
    "CREATE TRIGGER issues_affectsus_dashboard AFTER INSERT OR DELETE ON issues_affectsus "
    "FOR EACH ROW EXECUTE FUNCTION issues_dashboard_affects_apply()",
    _update_trigger(
        "issues_affectsus_dashboard_update",
        "issues_affectsus",
        RECORD_COLUMNS,
        "issues_dashboard_affects_apply",
    ),
    *(
        f"CREATE TRIGGER {table}_dashboard_weeks_truncate AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION issues_dashboard_weeks_clear()"
        for table in ROW_TRIGGERS
    ),
]

# 0011's statement triggers, as 0014 puts them on its tables: only a direct write notes a change
# (the row triggers' writes ride on the defect's or record's statement's own note).
DATA_VERSION_SQL = [
    sql
    for table in TABLES
    for sql in (
        f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH STATEMENT WHEN (pg_trigger_depth() = 0) "
        "EXECUTE FUNCTION issues_note_data_change()",
        f"CREATE TRIGGER {table}_data_version_truncate AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION issues_note_data_change()",
    )
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in [*_functions_sql(settings.TIME_ZONE), *TRIGGERS_SQL, *DATA_VERSION_SQL]:
        schema_editor.execute(sql)
    # Creating the triggers locked both tables against writers until this migration commits,
    # so the rows counted here are the rows the triggers go on from.
    schema_editor.execute(f"SELECT {REBUILD}()")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, names in ROW_TRIGGERS.items():
        for name in (*names, f"{table}_dashboard_weeks_truncate"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for function in (
        "issues_dashboard_defect_weeks_apply",
        "issues_dashboard_affects_apply",
        REBUILD,
        "issues_dashboard_weeks_clear",
    ):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")
    # The tables go with their own triggers (the models' removal below this operation).


class Migration(migrations.Migration):
    dependencies = [("issues", "0015_meeting_due_idx")]

    operations = [
        migrations.CreateModel(
            name="DashboardClosed",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("closed_on", models.DateField()),
                ("confidential", models.BooleanField()),
                ("n", models.PositiveIntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("closed_on", "confidential"), name="dashboardclosed_key"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DashboardAffects",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("confidential", models.BooleanField()),
                ("n", models.PositiveIntegerField()),
                (
                    "institution",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="issues.institution",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("institution", "confidential"), name="dashboardaffects_key"
                    )
                ],
            },
        ),
        # 0014's index of the own confidential defects, now with closed_at: a reporter's own
        # defects closed per day are then an index-only scan too.
        migrations.RemoveIndex(model_name="defect", name="defect_own_confidential_idx"),
        migrations.AddIndex(
            model_name="defect",
            index=models.Index(
                condition=models.Q(("confidential", True)),
                fields=["reporter"],
                include=(
                    "status", "area", "tier", "created_at", "workaround_hours_per_week", "closed_at"
                ),
                name="defect_own_confidential_idx",
            ),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
