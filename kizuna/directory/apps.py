from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "kizuna.directory"
    verbose_name = "Directory"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import index, signals  # noqa: F401  (signals keep the index in step with profiles)

        # `flush` (tests, operators) empties the model tables only: the gram index is not one.
        post_migrate.connect(index.forget_orphan_grams, sender=self, dispatch_uid="directory.forget_orphan_grams")
