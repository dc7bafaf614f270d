"""The API key model, now in its own app. Its table was renamed by georeport 0003, so this only
tells Django the model lives here (no SQL)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("georeport", "0003_apikey_table"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiKey",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("app_name", models.CharField(max_length=100, verbose_name="app")),
                        ("contact_email", models.EmailField(max_length=254, verbose_name="developer email")),
                        ("app_url", models.URLField(blank=True, verbose_name="app website")),
                        ("privacy_policy_url", models.URLField(blank=True, verbose_name="privacy policy")),
                        ("kind", models.CharField(choices=[("test", "Test (sandbox requests, issued at once)"), ("production", "Production (approved by the city)")], max_length=16, verbose_name="kind")),
                        ("status", models.CharField(choices=[("active", "Active"), ("pending", "Waiting for approval"), ("revoked", "Revoked")], max_length=16, verbose_name="status")),
                        ("prefix", models.CharField(db_index=True, max_length=16, verbose_name="key starts with")),
                        ("key_hash", models.CharField(max_length=64, unique=True)),
                        ("can_post_updates", models.BooleanField(default=False, help_text="For back-office systems that push servicerequestupdates.", verbose_name="may post status updates")),
                        ("posts_per_minute", models.PositiveIntegerField(blank=True, help_text="Empty: the default.", null=True, verbose_name="submissions per minute")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("approved_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "verbose_name": "API key",
                        "verbose_name_plural": "API keys",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
