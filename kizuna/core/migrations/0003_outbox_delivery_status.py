from django.db import migrations, models


def existing_mail_was_delivered(apps, schema_editor):
    # Before this migration a row was only written once the message was in the outbox.
    apps.get_model("core", "OutboxEmail").objects.update(status="sent")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboxemail',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='outboxemail',
            name='error',
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name='outboxemail',
            name='last_attempt_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='outboxemail',
            name='status',
            field=models.CharField(choices=[('queued', 'Waiting to be sent'), ('sending', 'Being sent'), ('sent', 'Delivered to the outbox'), ('failed', 'Failed')], db_index=True, default='queued', max_length=10),
        ),
        migrations.RunPython(existing_mail_was_delivered, migrations.RunPython.noop),
    ]
