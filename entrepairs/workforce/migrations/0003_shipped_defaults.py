"""Ship the example salary grid, the default code of conduct and the default competency framework."""

from django.db import migrations


def forwards(apps, schema_editor):
    from entrepairs.workforce.defaults import ensure_shipped_defaults

    ensure_shipped_defaults(apps=apps)


def backwards(apps, schema_editor):
    apps.get_model("workforce", "SalaryGrid").objects.filter(is_example=True).delete()
    apps.get_model("workforce", "CodeOfConduct").objects.filter(organisation__isnull=True).delete()
    apps.get_model("workforce", "CompetencyFramework").objects.filter(
        organisation__isnull=True, slug="entrepairs-pair-aidance", version=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("workforce", "0002_workforce_dossier")]

    operations = [migrations.RunPython(forwards, backwards)]
