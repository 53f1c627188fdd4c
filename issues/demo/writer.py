"""Writing the demo rows fast: COPY on PostgreSQL, bulk_create elsewhere.

COPY returns no ids, so the defects draw theirs from the table's sequence first: the comments,
status changes and history rows written after them need them.
"""

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from typing import Any

from django.db import connection, models
from simple_history.utils import bulk_create_with_history

from issues.models import Defect

BATCH = 5000


def _with_json(rows: Iterable[Sequence[Any]], json_at: list[int]) -> Iterator[Sequence[Any]]:
    """``rows`` with the values at ``json_at`` as JSON text, which COPY takes for jsonb."""
    if not json_at:
        yield from rows
        return
    for row in rows:
        values = list(row)
        for i in json_at:
            values[i] = json.dumps(values[i])
        yield values


class BulkWriter:
    """Bulk inserts for the demo data; the rows are written in list order."""

    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"

    def assign_ids(self, model: type[models.Model], objs: list[Any]) -> None:
        """On PostgreSQL, give ``objs`` their primary keys from the table's sequence."""
        if not self.pg or not objs:
            return
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(objs)],
            )
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk

    def insert(self, model: type[models.Model], objs: list[Any]) -> None:
        if not objs:
            return
        if not self.pg:
            model.objects.bulk_create(objs, batch_size=BATCH)  # type: ignore[attr-defined]
            return
        fields = [
            f for f in model._meta.concrete_fields if not (f.primary_key and objs[0].pk is None)
        ]
        get = attrgetter(*(f.attname for f in fields))
        json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        self.copy_rows(model, [f.column for f in fields], _with_json(map(get, objs), json_at))

    def copy_rows(
        self, model: type[models.Model], columns: list[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """COPY ``rows`` (values in ``columns`` order) into ``model``'s table."""
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def insert_defects(self, defects: list[Defect]) -> None:
        """Insert ``defects`` with their first history row ("+", by the reporter, at creation)."""
        if not self.pg:
            bulk_create_with_history(defects, Defect, batch_size=BATCH)
            return
        self.assign_ids(Defect, defects)
        self.insert(Defect, defects)
        # The history rows straight from the defects' values: no model instance per row.
        history_model = Defect.history.model
        fields = [
            f for f in history_model._meta.concrete_fields if not f.attname.startswith("history_")
        ]
        get = attrgetter(*(f.attname for f in fields))
        json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        columns = [f.column for f in fields] + ["history_date", "history_type", "history_user_id"]
        rows = ((*get(d), d.created_at, "+", d.reporter_id) for d in defects)
        self.copy_rows(history_model, columns, _with_json(rows, json_at))


# The secondary indexes of these tables, minus those that enforce something (primary keys,
# unique and other constraints), as (name, definition).
_SECONDARY_INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
WHERE t.relname = ANY(%s) AND NOT i.indisprimary AND NOT i.indisunique
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""


def _bulk_load_transaction(name: str) -> bool:
    """Whether a bulk-load context has work to do: on PostgreSQL only, and only inside a
    transaction, which rolls its schema changes back with a load that fails."""
    if connection.vendor != "postgresql":
        return False
    if not connection.in_atomic_block:
        raise RuntimeError(f"{name}() needs a transaction")
    return True


@contextmanager
def indexes_deferred(tables: list[str]) -> Iterator[None]:
    """On PostgreSQL, drop the tables' secondary indexes for the block and build them after it.

    Building an index once over all rows costs a fraction of updating it row by row (the
    trigram and full-text indexes most). Must run inside a transaction: a load that fails rolls
    the dropped indexes back with it, and the tables are locked until it commits.
    """
    if not _bulk_load_transaction("indexes_deferred"):
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(_SECONDARY_INDEXES, [tables])
        saved = cursor.fetchall()
        for name, _definition in saved:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        # The foreign keys are checked at commit; an index cannot be built over pending checks.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in saved:
            cursor.execute(definition)


# The foreign keys declared on these tables, as (table, name, definition).
_FOREIGN_KEYS = """
SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
WHERE t.relname = ANY(%s) AND c.contype = 'f'
"""


@contextmanager
def foreign_keys_deferred(tables: list[str]) -> Iterator[None]:
    """On PostgreSQL, drop the tables' foreign keys for the block and add them back after it.

    Django's foreign keys are checked at commit, one lookup per inserted row and key: at
    100,000 defects that was 13 of the load's 59 s. Adding a key back validates every row in
    one join. Must run inside a transaction, like ``indexes_deferred``: a load that fails, or a
    row that breaks a key, rolls everything back.
    """
    if not _bulk_load_transaction("foreign_keys_deferred"):
        yield
        return
    with connection.cursor() as cursor:
        # Checks already queued in this transaction (say for the demo users) must run first:
        # PostgreSQL alters no table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(_FOREIGN_KEYS, [tables])
        saved = cursor.fetchall()
        for table, name, _definition in saved:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in saved:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            )


def analyse(tables: list[str]) -> None:
    """Vacuum and analyse the loaded tables, as autovacuum would soon after: the planner gets its
    statistics and index-only scans their visibility map (inside a transaction, where VACUUM
    cannot run, only ANALYZE)."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")


# The row triggers that keep the dashboard's aggregates (migrations 0014 and 0016), per table, and
# the functions that rebuild the aggregates from scratch.
_DASHBOARD_TRIGGERS = {
    "issues_defect": (
        "issues_defect_dashboard",
        "issues_defect_dashboard_update",
        "issues_defect_dashboard_weeks",
        "issues_defect_dashboard_weeks_update",
    ),
    "issues_affectsus": ("issues_affectsus_dashboard", "issues_affectsus_dashboard_update"),
}
_DASHBOARD_REBUILDS = ("issues_dashboard_rebuild", "issues_dashboard_weeks_rebuild")


@contextmanager
def dashboard_counts_deferred() -> Iterator[None]:
    """On PostgreSQL, keep the dashboard's aggregates once after the block instead of per row.

    The triggers are off for the block and the aggregates rebuilt from all defects and "affects
    us too" records in one grouped pass each after it. Must run inside a transaction: the ALTER
    TABLEs lock the tables against other writers until the commit (whose rows the triggers would
    have missed), and a load that fails rolls them back with it.
    """
    if not _bulk_load_transaction("dashboard_counts_deferred"):
        yield
        return
    with connection.cursor() as cursor:
        for table, names in _DASHBOARD_TRIGGERS.items():
            for name in names:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
    yield
    with connection.cursor() as cursor:
        for table, names in _DASHBOARD_TRIGGERS.items():
            for name in names:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
        for function in _DASHBOARD_REBUILDS:
            cursor.execute(f"SELECT {function}()")
