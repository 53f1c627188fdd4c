"""Full-text and trigram search support (PostgreSQL only)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


# Search support exists only on PostgreSQL; the SQLite laptop default searches without it.
# A trigger keeps a tsvector column that Django does not model: a stored generated column would
# block later ALTER COLUMN TYPE on title/description, and an expression index alone makes every
# bitmap recheck re-parse the text. The expression must match issues.search.DOCUMENT_SQL.
DOCUMENT_SQL = (
    "to_tsvector('norwegian'::regconfig, coalesce({t}title, '') || ' ' || "
    "coalesce({t}description, '') || ' ' || coalesce({t}workaround, ''))"
)
FORWARD_SQL = [
    "ALTER TABLE issues_defect ADD COLUMN IF NOT EXISTS search_document tsvector",
    f"""
    CREATE OR REPLACE FUNCTION issues_defect_search_document() RETURNS trigger AS $$
    BEGIN
        NEW.search_document := {DOCUMENT_SQL.format(t="NEW.")};
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS issues_defect_search_document ON issues_defect",
    """
    CREATE TRIGGER issues_defect_search_document
    BEFORE INSERT OR UPDATE OF title, description, workaround ON issues_defect
    FOR EACH ROW EXECUTE FUNCTION issues_defect_search_document()
    """,
    f"UPDATE issues_defect SET search_document = {DOCUMENT_SQL.format(t='')}",
    "CREATE INDEX IF NOT EXISTS defect_search_document_idx ON issues_defect "
    "USING gin (search_document)",
    "CREATE INDEX IF NOT EXISTS defect_title_trgm_idx ON issues_defect "
    "USING gin (title gin_trgm_ops)",
]
REVERSE_SQL = [
    "DROP INDEX IF EXISTS defect_title_trgm_idx",
    "DROP INDEX IF EXISTS defect_search_document_idx",
    "DROP TRIGGER IF EXISTS issues_defect_search_document ON issues_defect",
    "DROP FUNCTION IF EXISTS issues_defect_search_document()",
    "ALTER TABLE issues_defect DROP COLUMN IF EXISTS search_document",
]


def create_search_support(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in FORWARD_SQL:
        schema_editor.execute(sql)


def drop_search_support(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in REVERSE_SQL:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0002_reference_data"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_search_support, drop_search_support),
    ]
