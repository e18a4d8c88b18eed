"""Encounter.organisation becomes required; the peer index includes it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accompaniment", "0003_encounter_organisation")]

    operations = [
        migrations.AlterField(
            model_name="encounter",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="territory.organisation",
            ),
        ),
        migrations.RemoveIndex(model_name="encounter", name="accompanime_peer_id_4016be_idx"),
        migrations.AddIndex(
            model_name="encounter",
            index=models.Index(
                fields=["peer", "organisation", "-date"], name="encounter_peer_org_date"
            ),
        ),
    ]
