"""Webhooks belong to API keys, which now live in civic311/apikeys. The table and its foreign key
are unchanged (georeport 0003 renamed the table), so this is state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("apikeys", "0001_api_keys"),
        ("webhooks", "0001_webhooks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="webhook",
                    name="api_key",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="webhooks", to="apikeys.apikey"),
                ),
            ],
            database_operations=[],
        ),
    ]
