"""Writing the demo rows fast: COPY on PostgreSQL, bulk_create elsewhere.

COPY returns no ids, so the defects draw theirs from the table's sequence first: the comments,
status changes and history rows written after them need them.
"""

import json
from typing import Any

from django.db import connection, models
from simple_history.utils import bulk_create_with_history

from issues.models import Defect

BATCH = 5000


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
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for obj in objs:
                copy.write_row(
                    [
                        json.dumps(getattr(obj, f.attname))
                        if f.attname in json_fields
                        else getattr(obj, f.attname)
                        for f in fields
                    ]
                )

    def insert_defects(self, defects: list[Defect]) -> None:
        """Insert ``defects`` with their first history row ("+", by the reporter, at creation)."""
        if not self.pg:
            bulk_create_with_history(defects, Defect, batch_size=BATCH)
            return
        self.assign_ids(Defect, defects)
        self.insert(Defect, defects)
        history_model = Defect.history.model
        rows = [
            history_model(
                **{
                    f.attname: getattr(d, f.attname)
                    for f in history_model._meta.concrete_fields
                    if not f.attname.startswith("history_")
                },
                history_date=d.created_at,
                history_type="+",
                history_user_id=d.reporter_id,
            )
            for d in defects
        ]
        self.insert(history_model, rows)
