"""A data version for cached pages (issue 17): a sequence bumped by every write to the tables
the cached pages show. PostgreSQL only; the SQLite laptop default caches nothing."""

from django.db import migrations

# The tables whose rows the cached queue, meeting view and dashboard show (issues.page_cache). A statement
# trigger fires once per INSERT/UPDATE/DELETE/COPY/TRUNCATE however many rows it touches, and
# nextval() takes no lock, so writers never wait on each other for it.
TABLES = (
    "issues_defect",
    "issues_affectsus",
    "issues_area",
    "issues_category",
    "issues_system",
    "issues_institution",
    "issues_orgunit",
    "issues_release",
    "issues_meeting",
    "issues_recurringdeadline",
    "issues_statuschange",
    "issues_historicaldefect",
    "issues_fixconfirmation",
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS issues_data_version")
    schema_editor.execute(
        """
        CREATE OR REPLACE FUNCTION issues_bump_data_version() RETURNS trigger AS $$
        BEGIN
            PERFORM nextval('issues_data_version');
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    )
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version_truncate ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION issues_bump_data_version()"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_data_version_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION issues_bump_data_version()"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version_truncate ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS issues_bump_data_version()")
    schema_editor.execute("DROP SEQUENCE IF EXISTS issues_data_version")


class Migration(migrations.Migration):
    dependencies = [("issues", "0010_queue_deadline_indexes")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
