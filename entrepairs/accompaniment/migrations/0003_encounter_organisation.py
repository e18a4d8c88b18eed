"""Encounter.organisation: a copy of the person's organisation, filled for existing rows.

Made non-null in 0004: PostgreSQL refuses to alter a table with pending deferred foreign-key
checks in the same transaction as the UPDATE."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE accompaniment_encounter SET organisation_id = (
    SELECT person.organisation_id
    FROM accompaniment_accompaniment AS episode
    JOIN accompaniment_person AS person ON person.id = episode.person_id
    WHERE episode.id = accompaniment_encounter.accompaniment_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accompaniment", "0002_recovery_resources_contact"),
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="encounter",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="territory.organisation",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
