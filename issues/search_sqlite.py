"""Full-text search on the SQLite laptop default: FTS5 over the same Norwegian stems as PostgreSQL.

Two FTS5 tables, kept by triggers on ``issues_defect`` (migration 0007_history_kind_sqlite_search):

- ``issues_defect_fts`` holds ``textmatch.stem_document`` of title, description and workaround:
  the stems PostgreSQL's ``norwegian`` configuration would store. The triggers call the SQL
  function ``nb_stems``, registered on every SQLite connection by ``register_functions`` (a
  ``connection_created`` receiver), so every write path (ORM, bulk_create, ``update()``) keeps it.
- ``issues_defect_trigram`` holds the title with FTS5's trigram tokenizer: substrings, for
  compounds ("faktura" inside "leverandørfaktura"), like PostgreSQL's trigram title index.
"""

# ruff: noqa: S608 - the SQL below names constant tables; every value goes in as a parameter.
from typing import Any

from issues import textmatch

FTS_TABLE = "issues_defect_fts"
TRIGRAM_TABLE = "issues_defect_trigram"
DOCUMENT_SQL = (
    "nb_stems(coalesce({t}title, '') || ' ' || coalesce({t}description, '') || ' ' || "
    "coalesce({t}workaround, ''))"
)

FORWARD_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(stems, "
    "tokenize='unicode61 remove_diacritics 0')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TRIGRAM_TABLE} USING fts5(title, tokenize='trigram')",
    f"""CREATE TRIGGER IF NOT EXISTS issues_defect_fts_insert AFTER INSERT ON issues_defect BEGIN
        INSERT INTO {FTS_TABLE}(rowid, stems) VALUES (new.id, {DOCUMENT_SQL.format(t="new.")});
        INSERT INTO {TRIGRAM_TABLE}(rowid, title) VALUES (new.id, new.title);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS issues_defect_fts_update
    AFTER UPDATE OF title, description, workaround ON issues_defect BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
        DELETE FROM {TRIGRAM_TABLE} WHERE rowid = old.id;
        INSERT INTO {FTS_TABLE}(rowid, stems) VALUES (new.id, {DOCUMENT_SQL.format(t="new.")});
        INSERT INTO {TRIGRAM_TABLE}(rowid, title) VALUES (new.id, new.title);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS issues_defect_fts_delete AFTER DELETE ON issues_defect BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
        DELETE FROM {TRIGRAM_TABLE} WHERE rowid = old.id;
    END""",
    f"INSERT INTO {FTS_TABLE}(rowid, stems) SELECT id, {DOCUMENT_SQL.format(t='')} "
    "FROM issues_defect",
    f"INSERT INTO {TRIGRAM_TABLE}(rowid, title) SELECT id, title FROM issues_defect",
]
REVERSE_SQL = [
    "DROP TRIGGER IF EXISTS issues_defect_fts_delete",
    "DROP TRIGGER IF EXISTS issues_defect_fts_update",
    "DROP TRIGGER IF EXISTS issues_defect_fts_insert",
    f"DROP TABLE IF EXISTS {TRIGRAM_TABLE}",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def register_functions(connection: Any) -> None:
    """Give a raw sqlite3 connection the ``nb_stems`` function the triggers call."""
    connection.create_function("nb_stems", 1, _nb_stems, deterministic=True)


def _nb_stems(text: str | None) -> str:
    return textmatch.stem_document(text or "")


def _quote(term: str) -> str:
    # An FTS5 string: double quotes doubled. Terms are \w+ already; this is belt and braces.
    return '"' + term.replace('"', '""') + '"'


def word_condition(word: str) -> tuple[str, list[str]]:
    """SQL (over ``{t}``, the Defect table's alias) true when ``word`` or a form of it matches.

    A form: a stem that starts with the word's stem (PostgreSQL's ``stem:*``); for words of
    three letters or more also the word inside the title (the trigram index).
    """
    stemmed = textmatch.stem(word)
    sql = f"{{t}}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
    params = [f"stems:{_quote(stemmed)}*"]
    if len(word) >= 3:  # noqa: PLR2004 - the trigram tokenizer needs three characters
        sql += f" OR {{t}}.id IN (SELECT rowid FROM {TRIGRAM_TABLE} WHERE {TRIGRAM_TABLE} MATCH %s)"
        params.append(_quote(word))
    return f"({sql})", params


def any_stem_condition(stems: list[str], limit: int) -> tuple[str, list[str]]:
    """SQL true for the ``limit`` best (bm25) documents holding any of ``stems`` as a prefix."""
    query = " OR ".join(f"{_quote(s)}*" for s in stems)
    return (
        f"{{t}}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
        f"ORDER BY rank LIMIT {int(limit)})",
        [f"stems:({query})"],
    )


def fuzzy_title_ids(text: str, limit: int) -> tuple[str, list[str]]:
    """SQL for up to ``limit`` ids whose titles share the most trigrams with ``text`` (typos)."""
    grams = sorted(g for g in textmatch.trigrams(text) if g.strip() == g)
    query = " OR ".join(_quote(g) for g in grams) or '""'
    return (
        f"SELECT rowid FROM {TRIGRAM_TABLE} WHERE {TRIGRAM_TABLE} MATCH %s ORDER BY rank, rowid DESC LIMIT {int(limit)}",
        [query],
    )
