# Indexes written on every audited change that no query uses (issue 11): the entry's chain is indexed by the
# (chain, sequence) constraint, and nothing searches chains with LIKE (PostgreSQL's extra varchar_pattern_ops
# index that Django adds to an indexed or primary-key CharField).

from django.db import migrations, models


def drop_head_like_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    head = apps.get_model("audit", "ChainHead")
    name = schema_editor._create_index_name(head._meta.db_table, ["chain"], suffix="_like")
    schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_append_only_trigger"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="chain",
            field=models.CharField(max_length=32),
        ),
        migrations.RunPython(drop_head_like_index, migrations.RunPython.noop),
    ]
