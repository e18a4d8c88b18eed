"""Ship the example salary grid, the default code of conduct and the default competency framework."""

from django.db import migrations


def forwards(apps, schema_editor):
    from entrepairs.workforce.defaults import (
        DEFAULT_CODE_TEXT,
        DEFAULT_CODE_TITLE,
        EXAMPLE_GRID_NAME,
        EXAMPLE_GRID_STEPS,
    )
    from entrepairs.workforce.framework_loader import load_default_framework

    SalaryGrid = apps.get_model("workforce", "SalaryGrid")
    SalaryStep = apps.get_model("workforce", "SalaryStep")
    CodeOfConduct = apps.get_model("workforce", "CodeOfConduct")
    grid = SalaryGrid.objects.create(name=EXAMPLE_GRID_NAME, is_example=True)
    SalaryStep.objects.bulk_create(
        SalaryStep(grid=grid, order=i, label=label, gross_monthly=amount)
        for i, (label, amount) in enumerate(EXAMPLE_GRID_STEPS, start=1)
    )
    CodeOfConduct.objects.create(version=1, title=DEFAULT_CODE_TITLE, text=DEFAULT_CODE_TEXT)
    load_default_framework(apps=apps)


def backwards(apps, schema_editor):
    apps.get_model("workforce", "SalaryGrid").objects.filter(is_example=True).delete()
    apps.get_model("workforce", "CodeOfConduct").objects.filter(organisation__isnull=True).delete()
    apps.get_model("workforce", "CompetencyFramework").objects.filter(
        organisation__isnull=True, slug="entrepairs-pair-aidance", version=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("workforce", "0002_workforce_dossier")]

    operations = [migrations.RunPython(forwards, backwards)]
