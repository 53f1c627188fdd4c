"""A second version for cached choice lists (issue 17): a sequence bumped when a transaction that
wrote to a reference table commits, as 0011's data version is for every table a cached page reads.

The choice lists of the filter panels and the triage form (areas, categories, systems,
institutions, units, deadlines, releases) were cached under the data version, so every edit of a
defect dropped them with the rest, and the first reader after it read seven small tables again.
Kept under this version, they survive defect edits and go at once when reference data changes.
The mechanism is 0011's: a statement trigger notes the transaction, a trigger deferred to the
commit bumps the sequence once.
"""

from django.db import migrations

# The tables the cached choice lists read (issues.page_cache.reference_cached);
# tests/issues/test_page_cache.py checks that building them reads no other table.
TABLES = (
    "issues_area",
    "issues_category",
    "issues_system",
    "issues_institution",
    "issues_orgunit",
    "issues_release",
    "issues_recurringdeadline",
)

FORWARD_SQL = [
    "CREATE SEQUENCE IF NOT EXISTS issues_reference_version",
    "CREATE TABLE IF NOT EXISTS issues_reference_change (txid bigint PRIMARY KEY)",
    """
    CREATE OR REPLACE FUNCTION issues_note_reference_change() RETURNS trigger AS $$
    BEGIN
        INSERT INTO issues_reference_change VALUES (txid_current()) ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE FUNCTION issues_bump_reference_version() RETURNS trigger AS $$
    BEGIN
        PERFORM nextval('issues_reference_version');
        DELETE FROM issues_reference_change WHERE txid = NEW.txid;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS issues_reference_change_commit ON issues_reference_change",
    """
    CREATE CONSTRAINT TRIGGER issues_reference_change_commit AFTER INSERT
    ON issues_reference_change DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION issues_bump_reference_version()
    """,
]


def _table_sql(table):
    return [
        f"DROP TRIGGER IF EXISTS {table}_reference_version ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_reference_version_truncate ON {table}",
        f"CREATE TRIGGER {table}_reference_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION issues_note_reference_change()",
        f"CREATE TRIGGER {table}_reference_version_truncate AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION issues_note_reference_change()",
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in FORWARD_SQL:
        schema_editor.execute(sql)
    for table in TABLES:
        for sql in _table_sql(table):
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_reference_version ON {table}")
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {table}_reference_version_truncate ON {table}"
        )
    schema_editor.execute("DROP TABLE IF EXISTS issues_reference_change")
    schema_editor.execute("DROP FUNCTION IF EXISTS issues_note_reference_change()")
    schema_editor.execute("DROP FUNCTION IF EXISTS issues_bump_reference_version()")
    schema_editor.execute("DROP SEQUENCE IF EXISTS issues_reference_version")


class Migration(migrations.Migration):
    dependencies = [("issues", "0016_dashboard_weeks_affects")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
