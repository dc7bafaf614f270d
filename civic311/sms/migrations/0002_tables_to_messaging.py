"""Phones and messages move to the core app civic311/messaging: first their tables take the new
app's names, rows and foreign keys kept (a rename, not a copy)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sms", "0001_phones_and_messages"),
    ]

    operations = [
        migrations.AlterModelTable(name="phone", table="messaging_phone"),
        migrations.AlterModelTable(name="message", table="messaging_message"),
    ]
