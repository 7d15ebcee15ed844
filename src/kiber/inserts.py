"""INSERT statements built once per model (issue 11).

``Model.save()`` and ``bulk_create()`` compile their INSERT anew on every call, which on the intake path
(an incident, its report, deliveries, review and audit entries in one request) costs more CPU than the
database spends on the rows. ``insert`` builds the statement once per model and row count, and prepares
the values as the ORM does (``pre_save``: auto_now_add, file names; ``get_db_prep_save``: JSON, dates).
Like ``bulk_create`` it sends no signals and calls no ``save()`` override: use it only for models whose
inserts need neither (Kiber connects no model signals).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.db import connection
from django.db.models import Field, Model


@cache
def _statement(vendor: str, model: type[Model], rows: int) -> tuple[str, list[Field]]:
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
    qn = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * rows)} RETURNING {qn(meta.pk.column)}"
    )
    return sql, fields


def insert(objs: Sequence[Model]) -> None:
    """Insert ``objs`` (all of one model, primary keys unset) in one statement and set their primary keys."""
    if not objs:
        return
    sql, fields = _statement(connection.vendor, type(objs[0]), len(objs))
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = cursor.fetchall()
    for obj, (pk,) in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
