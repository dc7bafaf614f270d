"""The admin permissions given on API keys follow them to their new app: the content type row
is relabelled rather than left stale beside a new one."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def relabel(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="apikeys", model="apikey").exists():
        content_type.objects.filter(app_label="georeport", model="apikey").update(
            app_label="apikeys"
        )


def unlabel(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="georeport", model="apikey").exists():
        content_type.objects.filter(app_label="apikeys", model="apikey").update(
            app_label="georeport"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("apikeys", "0001_api_keys"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(relabel, unlabel)]
