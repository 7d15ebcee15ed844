"""On PostgreSQL the database itself refuses UPDATE and DELETE of audit entries (issue 10, finding 6).

The model already refuses them; the trigger stops raw SQL and other clients of the database too. SQLite
(the embedded default) has no such trigger here: its file is as writable as the data in it.
"""

from django.db import migrations

CREATE = (
    """CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END;
    $$""",
    """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""",
)
DROP = (
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
)


def _on_postgresql(statements: tuple[str, ...]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, None)  # None: the % is PL/pgSQL's, not a parameter

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_keyed_hashes"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
    ]
