"""The dashboard's open-defect numbers from maintained aggregates (issue 17, "growth to
1,000,000"): ``issues_dashboardcount`` counts the defects and their workaround hours per
(confidential, status, area, tier), ``issues_dashboardage`` counts them per (reported-on local
date, confidential, status); the dashboard reads a few thousand rows however many defects there
are (issues.models.dashboard says why two tables).

Row triggers on ``issues_defect`` keep them: every writer (services, ``QuerySet.update``, merges,
imports, the admin, raw SQL) is covered without knowing about it. An update calls the function
only when a counted column changes, and the function writes only the rows whose key or sum moved.
PostgreSQL only; on SQLite the tables stay empty and the dashboard counts the defects directly.

The local date is taken in settings.TIME_ZONE as it is when this migration runs; a later change of
TIME_ZONE needs the functions recreated with the new zone and ``issues_dashboard_rebuild()``.
"""

# ruff: noqa: S608 - the SQL names constant tables and columns; the one setting in it, the time
# zone, is checked to be a zone name (ZoneInfo) before it goes in.

from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The data-version trigger (migration 0011) on the new tables, for the page cache's check that
# a cached part reads only tables that move the version (tests/issues/test_page_cache.py).
TABLES = ("issues_dashboardcount", "issues_dashboardage")

COUNT_KEY = "confidential, status, area_id, tier"
AGE_KEY = "created_on, confidential, status"
COUNTED = ("confidential", "status", "area_id", "tier", "created_at", "workaround_hours_per_week")
# seed_demo disables these during a bulk load and rebuilds once (issues.demo.seed).
ROW_TRIGGERS = ("issues_defect_dashboard", "issues_defect_dashboard_update")


def _functions_sql(zone: str) -> list[str]:
    zone = str(ZoneInfo(zone))

    def local_date(row: str) -> str:
        return f"(({row}.created_at AT TIME ZONE '{zone}')::date)"

    def count_match(row: str) -> str:
        return (
            f"confidential = {row}.confidential AND status = {row}.status "
            f"AND area_id = {row}.area_id AND tier = {row}.tier"
        )

    def age_match(row: str) -> str:
        return (
            f"created_on = {local_date(row)} AND confidential = {row}.confidential "
            f"AND status = {row}.status"
        )

    hours = "COALESCE({row}.workaround_hours_per_week, 0)"
    return [
        f"""
        CREATE OR REPLACE FUNCTION issues_dashboard_apply() RETURNS trigger AS $$
        DECLARE
            v_count_moved boolean := TG_OP <> 'UPDATE';
            v_age_moved boolean := TG_OP <> 'UPDATE';
            v_id bigint;
            v_left integer;
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                v_count_moved := (OLD.confidential, OLD.status, OLD.area_id, OLD.tier)
                    IS DISTINCT FROM (NEW.confidential, NEW.status, NEW.area_id, NEW.tier);
                v_age_moved := (OLD.confidential, OLD.status, {local_date("OLD")})
                    IS DISTINCT FROM (NEW.confidential, NEW.status, {local_date("NEW")});
                IF NOT v_count_moved AND OLD.workaround_hours_per_week
                        IS DISTINCT FROM NEW.workaround_hours_per_week THEN
                    -- Same row, other hours: one write.
                    UPDATE issues_dashboardcount
                    SET hours = hours + {hours.format(row="NEW")} - {hours.format(row="OLD")}
                    WHERE {count_match("NEW")};
                END IF;
            END IF;
            -- Subtract the old row, add the new; a row that reaches 0 goes, so the tables hold
            -- what exists and nothing else.
            IF TG_OP <> 'INSERT' AND v_count_moved THEN
                UPDATE issues_dashboardcount
                SET n = n - 1, hours = hours - {hours.format(row="OLD")}
                WHERE {count_match("OLD")}
                RETURNING id, n INTO v_id, v_left;
                IF v_left = 0 THEN
                    DELETE FROM issues_dashboardcount WHERE id = v_id;
                END IF;
            END IF;
            IF TG_OP <> 'INSERT' AND v_age_moved THEN
                UPDATE issues_dashboardage SET n = n - 1 WHERE {age_match("OLD")}
                RETURNING id, n INTO v_id, v_left;
                IF v_left = 0 THEN
                    DELETE FROM issues_dashboardage WHERE id = v_id;
                END IF;
            END IF;
            IF TG_OP <> 'DELETE' AND v_count_moved THEN
                INSERT INTO issues_dashboardcount ({COUNT_KEY}, n, hours)
                VALUES (NEW.confidential, NEW.status, NEW.area_id, NEW.tier,
                        1, {hours.format(row="NEW")})
                ON CONFLICT ({COUNT_KEY}) DO UPDATE
                SET n = issues_dashboardcount.n + 1,
                    hours = issues_dashboardcount.hours + EXCLUDED.hours;
            END IF;
            IF TG_OP <> 'DELETE' AND v_age_moved THEN
                INSERT INTO issues_dashboardage ({AGE_KEY}, n)
                VALUES ({local_date("NEW")}, NEW.confidential, NEW.status, 1)
                ON CONFLICT ({AGE_KEY}) DO UPDATE SET n = issues_dashboardage.n + 1;
            END IF;
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """,
        # Used by this migration, and after a bulk load with the row triggers disabled.
        f"""
        CREATE OR REPLACE FUNCTION issues_dashboard_rebuild() RETURNS void AS $$
        BEGIN
            DELETE FROM issues_dashboardcount;
            DELETE FROM issues_dashboardage;
            INSERT INTO issues_dashboardcount ({COUNT_KEY}, n, hours)
            SELECT confidential, status, area_id, tier,
                   count(*), COALESCE(sum(workaround_hours_per_week), 0)
            FROM issues_defect
            GROUP BY confidential, status, area_id, tier;
            INSERT INTO issues_dashboardage ({AGE_KEY}, n)
            SELECT (created_at AT TIME ZONE '{zone}')::date, confidential, status, count(*)
            FROM issues_defect
            GROUP BY 1, 2, 3;
        END
        $$ LANGUAGE plpgsql
        """,
        """
        CREATE OR REPLACE FUNCTION issues_dashboard_clear() RETURNS trigger AS $$
        BEGIN
            DELETE FROM issues_dashboardcount;
            DELETE FROM issues_dashboardage;
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """,
    ]


TRIGGERS_SQL = [
    "CREATE TRIGGER issues_defect_dashboard AFTER INSERT OR DELETE ON issues_defect "
    "FOR EACH ROW EXECUTE FUNCTION issues_dashboard_apply()",
    # Most updates leave the counted columns alone (a comment bumps updated_at and version, the
    # queue's sort columns move): they do not even call the function.
    f"CREATE TRIGGER issues_defect_dashboard_update AFTER UPDATE OF {', '.join(COUNTED)} "
    "ON issues_defect FOR EACH ROW WHEN ("
    + " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in COUNTED)
    + ") EXECUTE FUNCTION issues_dashboard_apply()",
    "CREATE TRIGGER issues_defect_dashboard_truncate AFTER TRUNCATE ON issues_defect "
    "FOR EACH STATEMENT EXECUTE FUNCTION issues_dashboard_clear()",
]

# 0011's statement triggers with 0011's function. Only a direct write (pg_trigger_depth() = 0)
# notes a change: the defect trigger's writes ride on the defect statement's own note, and
# noting them again would cost a statement per defect row in a bulk update.
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
    # Creating the triggers locked issues_defect against writers until this migration commits,
    # so the rows counted here are the rows the triggers go on from.
    schema_editor.execute("SELECT issues_dashboard_rebuild()")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in (*ROW_TRIGGERS, "issues_defect_dashboard_truncate"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON issues_defect")
    for function in ("apply", "rebuild", "clear"):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS issues_dashboard_{function}()")
    # The tables go with their own triggers (the models' removal below this operation).


class Migration(migrations.Migration):
    dependencies = [("issues", "0013_queue_due_idx")]

    operations = [
        migrations.CreateModel(
            name="DashboardAge",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_on", models.DateField()),
                ("confidential", models.BooleanField()),
                ("status", models.CharField(max_length=20)),
                ("n", models.PositiveIntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("created_on", "confidential", "status"), name="dashboardage_key"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DashboardCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("confidential", models.BooleanField()),
                ("status", models.CharField(max_length=20)),
                ("tier", models.PositiveSmallIntegerField()),
                ("n", models.PositiveIntegerField()),
                ("hours", models.DecimalField(decimal_places=2, max_digits=14)),
                (
                    "area",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="issues.area",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("confidential", "status", "area", "tier"), name="dashboardcount_key"
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="defect",
            index=models.Index(
                condition=models.Q(("confidential", True)),
                fields=["reporter"],
                include=("status", "area", "tier", "created_at", "workaround_hours_per_week"),
                name="defect_own_confidential_idx",
            ),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
