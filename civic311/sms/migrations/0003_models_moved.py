"""Phones and messages now live in civic311/messaging (its 0001): they leave this app's state.
No SQL: the tables were renamed by 0002."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0001_phones_and_messages"),
        ("sms", "0002_tables_to_messaging"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Message"),
                migrations.DeleteModel(name="Phone"),
            ],
            database_operations=[],
        ),
    ]
