from django.db import migrations
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat


def labels_without_text(apps, schema_editor):
    """Audit entries about posts and replies were labelled with the beginning of the text, which may name a
    mentioned member who has since withdrawn: they are labelled by number, as new ones are (announcements and
    stories keep their title)."""
    AuditLog = apps.get_model("core", "AuditLog")
    Post = apps.get_model("feed", "Post")
    numbered = Concat(Value("#"), "target_id", output_field=CharField())
    titled = Post.objects.exclude(title="").annotate(key=Cast("pk", CharField())).values("key")
    AuditLog.objects.filter(target_type="feed.reply").update(target_label=numbered)
    AuditLog.objects.filter(target_type="feed.post").exclude(target_id__in=titled).update(target_label=numbered)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("feed", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(labels_without_text, migrations.RunPython.noop),
    ]
