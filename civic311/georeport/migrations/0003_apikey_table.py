"""API keys move to their own app (civic311/apikeys): first their table takes the new app's
name, with the rows and every foreign key to them kept (a rename, not a copy)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("georeport", "0002_external_updates"),
    ]

    operations = [
        migrations.AlterModelTable(name="apikey", table="apikeys_apikey"),
    ]
