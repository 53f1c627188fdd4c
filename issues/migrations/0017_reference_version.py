"""A second version for cached choice lists (issue 17): a sequence bumped when a transaction that
wrote to a reference table commits, as 0011's data version is for every table a cached page reads.

The choice lists of the filter panels and the triage form (areas, categories, systems,
institutions, units, deadlines, releases) were cached under the data version, so every edit of a
defect dropped them with the rest, and the first reader after it read seven small tables again.
Kept under this version, they survive defect edits and go at once when reference data changes.
The mechanism is 0011's, and so is its SQL, under other names: a statement trigger notes the
transaction, a trigger deferred to the commit bumps the sequence once.
"""

from importlib import import_module

from django.db import migrations

_DATA_VERSION = import_module("issues.migrations.0011_data_version")

# The tables the cached choice lists read (issues.page_cache.reference_cached);
# tests/issues/test_reference_cache.py checks that building them reads no other table.
TABLES = (
    "issues_area",
    "issues_category",
    "issues_system",
    "issues_institution",
    "issues_orgunit",
    "issues_release",
    "issues_recurringdeadline",
)


def _renamed(sql):
    """0011's statement with its sequence, change table, functions and triggers renamed:
    ``issues_data_version`` becomes ``issues_reference_version``, and so on."""
    return sql.replace("data_change", "reference_change").replace(
        "data_version", "reference_version"
    )


FORWARD_SQL = [_renamed(sql) for sql in _DATA_VERSION.FORWARD_SQL]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in FORWARD_SQL:
        schema_editor.execute(sql)
    for table in TABLES:
        for sql in _DATA_VERSION._table_sql(table):
            schema_editor.execute(_renamed(sql))


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
