"""Phones and text messages, now in the core. Their tables were renamed by sms 0002, so this only
tells Django the models live here (no SQL)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("service_requests", "0004_partial_index_for_department_queues"),
        ("sms", "0002_tables_to_messaging"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Phone',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(max_length=32, unique=True, verbose_name='phone number')),
                        ('language', models.CharField(default='en', max_length=8, verbose_name='language')),
                        ('opted_out_at', models.DateTimeField(blank=True, null=True, verbose_name='opted out')),
                        ('state', models.CharField(choices=[('idle', 'Nothing under way'), ('service', 'Choosing the service'), ('address', 'Asked where'), ('confirm', 'Confirming the address'), ('duplicate', 'Offered a request nearby'), ('question', "Answering the service's questions"), ('description', 'Asked for a description')], default='idle', max_length=16, verbose_name='dialog state')),
                        ('data', models.JSONField(blank=True, default=dict, verbose_name='dialog data')),
                        ('state_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='state since')),
                        ('dialog', models.PositiveIntegerField(default=0, verbose_name='dialog')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                    ],
                    options={
                        'verbose_name': 'phone',
                        'verbose_name_plural': 'phones',
                    },
                ),
                migrations.CreateModel(
                    name='Message',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('direction', models.CharField(choices=[('in', 'From the resident'), ('out', 'To the resident')], max_length=3, verbose_name='direction')),
                        ('body', models.TextField(blank=True, verbose_name='text')),
                        ('provider_sid', models.CharField(blank=True, max_length=64, verbose_name='provider id')),
                        ('media', models.JSONField(blank=True, default=list, verbose_name='media')),
                        ('dialog', models.PositiveIntegerField(default=0, verbose_name='dialog')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='when')),
                        ('reply_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='messaging.message', verbose_name='reply to')),
                        ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='service_requests.servicerequest', verbose_name='request')),
                        ('phone', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='messaging.phone', verbose_name='phone')),
                    ],
                    options={
                        'verbose_name': 'text message',
                        'verbose_name_plural': 'text messages',
                        'ordering': ['at', 'id'],
                        'indexes': [models.Index(fields=['request', 'at'], name='sms_message_request_at'), models.Index(fields=['phone', 'dialog'], name='sms_message_phone_dialog')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('provider_sid', ''), _negated=True), fields=('provider_sid',), name='sms_message_provider_sid')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
