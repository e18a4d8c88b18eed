from django.db import migrations, models


def fill_search_name(apps, schema_editor):
    from entrepairs.territory.models import normalize_for_search

    Commune = apps.get_model("territory", "Commune")
    communes = list(Commune.objects.only("pk", "name"))
    for commune in communes:
        commune.search_name = normalize_for_search(commune.name)
    Commune.objects.bulk_update(communes, ["search_name"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="commune",
            name="search_name",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=100),
        ),
        migrations.RunPython(fill_search_name, migrations.RunPython.noop),
    ]
