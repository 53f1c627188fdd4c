"""A data version for cached pages (issue 17): a sequence bumped when a transaction that wrote
to a table the cached pages show commits. PostgreSQL only; the SQLite laptop default caches
nothing.

A statement trigger on each table notes "this transaction changed data" with one row in
``issues_data_change`` (once per transaction: the insert does nothing the second time). That
row's own trigger is deferred to the commit, where it bumps the sequence and removes the row.
Bumping at the statement instead would let a page rendered between the statement and the commit
cache the old rows under the new version; bumping per row at the commit would queue one event
per row (millions in seed_demo).
"""

from django.db import migrations

# The tables whose rows the cached queue, meeting view and dashboard read (issues.page_cache);
# tests/issues/test_page_cache.py checks that a cold render of each reads no other table.
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

FORWARD_SQL = [
    "CREATE SEQUENCE IF NOT EXISTS issues_data_version",
    "CREATE TABLE IF NOT EXISTS issues_data_change (txid bigint PRIMARY KEY)",
    """
    CREATE OR REPLACE FUNCTION issues_note_data_change() RETURNS trigger AS $$
    BEGIN
        INSERT INTO issues_data_change VALUES (txid_current()) ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE FUNCTION issues_bump_data_version() RETURNS trigger AS $$
    BEGIN
        PERFORM nextval('issues_data_version');
        DELETE FROM issues_data_change WHERE txid = NEW.txid;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS issues_data_change_commit ON issues_data_change",
    """
    CREATE CONSTRAINT TRIGGER issues_data_change_commit AFTER INSERT ON issues_data_change
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION issues_bump_data_version()
    """,
]


def _table_sql(table):
    return [
        f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_data_version_truncate ON {table}",
        f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION issues_note_data_change()",
        f"CREATE TRIGGER {table}_data_version_truncate AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION issues_note_data_change()",
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
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_data_version_truncate ON {table}")
    schema_editor.execute("DROP TABLE IF EXISTS issues_data_change")
    schema_editor.execute("DROP FUNCTION IF EXISTS issues_note_data_change()")
    schema_editor.execute("DROP FUNCTION IF EXISTS issues_bump_data_version()")
    schema_editor.execute("DROP SEQUENCE IF EXISTS issues_data_version")


class Migration(migrations.Migration):
    dependencies = [("issues", "0010_queue_deadline_indexes")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
