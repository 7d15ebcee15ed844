from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def issued_under_the_present_role(apps, schema_editor):
    """Existing tokens count as issued under their user's present role."""
    ApiToken = apps.get_model("registry", "ApiToken")
    User = apps.get_model("registry", "User")
    ApiToken.objects.update(role=Subquery(User.objects.filter(pk=OuterRef("user_id")).values("role")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0004_generated_file_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="role",
            field=models.CharField(
                choices=[
                    ("subject_user", "Subjekta lietotājs"),
                    ("subject_admin", "Subjekta administrators"),
                    ("cyber_manager", "Kiberdrošības pārvaldnieks"),
                    ("nkc_supervisor", "NKC uzraugs"),
                    ("sab_officer", "SAB amatpersona"),
                    ("csirt_analyst", "CERT.LV analītiķis"),
                    ("auditor", "Auditors"),
                    ("platform_admin", "Platformas administrators"),
                ],
                default="",
                max_length=32,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(issued_under_the_present_role, migrations.RunPython.noop),
    ]
