"""The API's records now point at apikeys.ApiKey, and the model leaves this app. State only:
the table was renamed by 0003 and every foreign key already points at it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("apikeys", "0001_api_keys"),
        ("georeport", "0003_apikey_table"),
        ("webhooks", "0002_api_key_in_apikeys"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="idempotencyrecord",
                    name="api_key",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="apikeys.apikey"),
                ),
                migrations.AlterField(
                    model_name="externalupdate",
                    name="api_key",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="apikeys.apikey"),
                ),
                migrations.DeleteModel(name="ApiKey"),
            ],
            database_operations=[],
        ),
    ]
